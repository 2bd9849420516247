import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * mDNS is multicast: it must never reach the host's real interfaces. This
 * test builds two network namespaces joined by a veth pair whose ends are
 * created directly inside them, with link-local addresses that exist only
 * there; the responder runs in one, the browser in the other.
 */
const namespaces = ['jwbtest-a', 'jwbtest-b'] as const;
const addresses = { a: '169.254.77.1', b: '169.254.77.2' };
const here = new URL('./mdns-netns/', import.meta.url).pathname;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function cleanUp(): void {
  for (const name of namespaces) {
    try {
      ip('netns', 'delete', name);
    } catch {
      // Not there: nothing to remove.
    }
  }
}

function setUp(): string | undefined {
  try {
    cleanUp();
    ip('netns', 'add', 'jwbtest-a');
    ip('netns', 'add', 'jwbtest-b');
    ip('-n', 'jwbtest-a', 'link', 'add', 'jwbv-a', 'type', 'veth', 'peer', 'name', 'jwbv-b', 'netns', 'jwbtest-b');
    for (const [space, link, address] of [
      ['jwbtest-a', 'jwbv-a', addresses.a],
      ['jwbtest-b', 'jwbv-b', addresses.b],
    ] as const) {
      ip('-n', space, 'addr', 'add', `${address}/24`, 'dev', link);
      ip('-n', space, 'link', 'set', 'lo', 'up');
      ip('-n', space, 'link', 'set', link, 'up', 'multicast', 'on');
      ip('-n', space, 'route', 'add', '224.0.0.0/4', 'dev', link);
    }
    return undefined;
  } catch (error) {
    cleanUp();
    return `ip netns is not permitted here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

const skipReason = setUp();
if (skipReason !== undefined) process.stdout.write(`mdns-source.slow.test.ts skipped: ${skipReason}\n`);
afterAll(() => {
  if (skipReason === undefined) cleanUp();
});

describe.skipIf(skipReason !== undefined)('MdnsSource inside network namespaces', () => {
  it('finds a board publishing _ssh._tcp through PTR, SRV and A answers', async () => {
    const responder = spawn(
      'ip',
      ['netns', 'exec', 'jwbtest-a', process.execPath, `${here}responder.ts`, addresses.a, 'orin-lab', '2222'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: responder.stdout })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('ready');
      const browser = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('ip', ['netns', 'exec', 'jwbtest-b', process.execPath, `${here}browse.ts`, addresses.b], {
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
        key: `network://${addresses.a}:2222`,
        protocol: 'network',
        address: `${addresses.a}:2222`,
        label: 'orin-lab',
        properties: { host: addresses.a, port: 2222, mdnsName: 'orin-lab.local', services: '_ssh._tcp' },
        source: 'mdns',
      });
    } finally {
      const exited = new Promise((resolve) => responder.once('exit', resolve));
      responder.kill('SIGTERM');
      await exited;
    }
  }, 15_000);
});
