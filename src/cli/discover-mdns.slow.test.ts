/**
 * `jwb discover --mdns` inside a network namespace (test/support/netns.ts):
 * a board announced by mDNS in the other namespace is printed like a board
 * a range scan found. Nothing leaves the two namespaces.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createNamespacePair } from '../../test/support/netns.ts';
import { jsonLines, runJwb } from '../../test/support/run-jwb.ts';

const responderPath = new URL('../../test/support/mdns-netns/responder.ts', import.meta.url).pathname;
const pair = createNamespacePair('jwbtest-cli');
if (typeof pair === 'string') process.stdout.write(`discover-mdns.slow.test.ts skipped: ${pair}\n`);
const dataDir = mkdtempSync(join(tmpdir(), 'jwb-cli-mdns-'));
afterAll(() => {
  if (typeof pair !== 'string') pair.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(typeof pair === 'string')('jwb discover --mdns', () => {
  it('prints the board announced on the interface, then a summary; another address is refused with the choices', async () => {
    if (typeof pair === 'string') return;
    const { a, b } = pair;
    const responder = spawn('ip', pair.exec(a, [process.execPath, responderPath, a.address, 'orin-lab', '2222']), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const env = { ...process.env, JWB_DATA_DIR: dataDir };
    const via = ['ip', 'netns', 'exec', b.name];
    try {
      const ready = await createInterface({ input: responder.stdout })[Symbol.asyncIterator]().next();
      expect(ready.value).toBe('ready');
      const found = await runJwb(['discover', '--mdns', '--interface', b.address, '--seconds', '3', '--json'], { env, via });
      expect(found.stderr).toBe('');
      expect(found.status).toBe(0);
      const lines = jsonLines(found.stdout);
      expect(lines[0]).toEqual({
        type: 'board',
        key: `network://${a.address}:2222`,
        host: a.address,
        port: 2222,
        name: 'orin-lab',
        banner: null,
        hostKeyFingerprint: null,
      });
      expect(lines.at(-1)).toMatchObject({ type: 'summary', found: 1, identified: 0, failed: 0 });

      const refused = await runJwb(['discover', '--mdns', '--interface', '169.254.77.9'], { env, via });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`(${b.address} (jwbv-b))`);
    } finally {
      const exited = new Promise((resolve) => responder.once('exit', resolve));
      responder.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});
