import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createNamespacePair } from '../../../test/support/netns.ts';

/**
 * mDNS is multicast: it must never reach the host's real interfaces. The
 * responder and the browser run in two network namespaces joined by a veth
 * pair that exists only there (test/support/netns.ts).
 */
const helpers = new URL('../../../test/support/mdns-netns/', import.meta.url).pathname;
const pair = createNamespacePair('jwbtest-mdns');
const skipReason = typeof pair === 'string' ? pair : undefined;
if (skipReason !== undefined) process.stdout.write(`mdns-source.slow.test.ts skipped: ${skipReason}\n`);
afterAll(() => {
  if (typeof pair !== 'string') pair.dispose();
});

describe.skipIf(typeof pair === 'string')('MdnsSource inside network namespaces', () => {
  it('finds a board publishing _ssh._tcp through PTR, SRV and A answers', async () => {
    if (typeof pair === 'string') return;
    const { a, b } = pair;
    const responder = spawn('ip', pair.exec(a, [process.execPath, `${helpers}responder.ts`, a.address, 'orin-lab', '2222']), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: responder.stdout })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('ready');
      const browser = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('ip', pair.exec(b, [process.execPath, `${helpers}browse.ts`, b.address]), {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(browser.stderr).toBe('');
      expect(browser.status).toBe(0);
      expect(JSON.parse(browser.stdout)).toEqual({
        key: `network://${a.address}:2222`,
        protocol: 'network',
        address: `${a.address}:2222`,
        label: 'orin-lab',
        properties: { host: a.address, port: 2222, mdnsName: 'orin-lab.local', services: '_ssh._tcp' },
        source: 'mdns',
      });
    } finally {
      const exited = new Promise((resolve) => responder.once('exit', resolve));
      responder.kill('SIGTERM');
      await exited;
    }
  }, 15_000);
});
