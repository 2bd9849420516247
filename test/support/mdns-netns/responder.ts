/**
 * Test helper, run INSIDE a network namespace by the mDNS tests
 * (`ip netns exec <ns> node responder.ts <ip> <name> <port> [announced ip]`):
 * answers mDNS on the interface with `<ip>` like avahi on a board publishing
 * `_ssh._tcp`, its A record the announced address (the interface's unless
 * given). Prints "ready" once bound.
 */
import makeMdns from 'multicast-dns';

const [address = '', name = 'board', portText = '22', announced = address] = process.argv.slice(2);
const host = `${name}.local`;
const instance = `${name}._ssh._tcp.local`;
const mdns = makeMdns({ interface: address, bind: '0.0.0.0' });

const records = {
  ptr: { name: '_ssh._tcp.local', type: 'PTR' as const, ttl: 120, data: instance },
  srv: { name: instance, type: 'SRV' as const, ttl: 120, data: { target: host, port: Number(portText) } },
  a: { name: host, type: 'A' as const, ttl: 120, data: announced },
};

mdns.on('query', (query) => {
  for (const question of query.questions) {
    if (question.type === 'PTR' && question.name === '_ssh._tcp.local')
      mdns.respond({ answers: [records.ptr], additionals: [records.srv, records.a] });
    if (question.type === 'SRV' && question.name === instance) mdns.respond({ answers: [records.srv], additionals: [records.a] });
    if (question.type === 'A' && question.name === host) mdns.respond({ answers: [records.a] });
  }
});
mdns.on('ready', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => mdns.destroy(() => process.exit(0)));
