/**
 * Test helper, run INSIDE a network namespace by
 * src/main/discovery/mdns-source.slow.test.ts
 * (`ip netns exec <ns> node browse.ts <interface ip>`): browses with
 * MdnsSource until a port appears, prints it as JSON, stops the source and
 * exits (non-zero after 8 s without an answer).
 */
import { MdnsSource } from '../../../src/main/discovery/mdns-source.ts';

const address = process.argv[2];
if (address === undefined) throw new Error('usage: browse.ts <interface ip>');
const source = new MdnsSource({ interface: address, bind: '0.0.0.0', queryIntervalMs: 500 });
const timer = setTimeout(() => {
  process.stderr.write('no mDNS answer within 8 s\n');
  process.exit(2);
}, 8000);
source.onDidChange((event) => {
  if (event.type !== 'add') return;
  clearTimeout(timer);
  process.stdout.write(`${JSON.stringify(event.port)}\n`);
  void source.stop().then(() => process.exit(0));
});
await source.start();
