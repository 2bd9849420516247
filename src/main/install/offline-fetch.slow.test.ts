/**
 * Offline boards whose wheels the workbench downloads itself: this
 * computer's real pip (`python3 -m pip download`, for the board's aarch64
 * platform and Python) against a package index served on loopback, then the
 * install from the uploaded files on a simulated board.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import type { InstallProgress } from '../../shared/install/install-contract.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';
import { findRecipe } from './recipes.ts';
import { runInstall, type InstallRequest } from './runner.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';

const python = '/usr/bin/python3';
const hasPip = spawnSync(python, ['-m', 'pip', '--version']).status === 0;
const wheel = 'jetson_stats-4.3.2-py3-none-any.whl';
const deb = 'python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb';

const folder = mkdtempSync(join(tmpdir(), 'jwb-offline-fetch-'));
let index: Server;
let indexUrl = '';
let fleet: Fleet | undefined;
const links: SshLink[] = [];

/** A real (tiny) wheel: pip reads its metadata to resolve dependencies. */
function buildWheel(path: string): void {
  const script = [
    'import sys, zipfile',
    'info = "jetson_stats-4.3.2.dist-info/"',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    z.writestr("jtop/__init__.py", "__version__ = \'4.3.2\'\\n")',
    '    z.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: jetson-stats\\nVersion: 4.3.2\\n")',
    '    z.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
    '    z.writestr(info + "RECORD", "")',
  ].join('\n');
  const made = spawnSync(python, ['-c', script, path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
}

beforeAll(async () => {
  const served = join(folder, wheel);
  buildWheel(served);
  const bytes = readFileSync(served);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // A PEP 503 "simple" index with one project, as PyPI serves it.
  index = createServer((request, response) => {
    if (request.url === '/simple/jetson-stats/') {
      response.setHeader('content-type', 'text/html');
      response.end(`<!DOCTYPE html><html><body><a href="/files/${wheel}#sha256=${sha256}">${wheel}</a></body></html>`);
    } else if (request.url === `/files/${wheel}`) response.end(bytes);
    else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
  indexUrl = `http://127.0.0.1:${(index.address() as AddressInfo).port}/simple`;
});

afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  await fleet?.dispose();
  fleet = undefined;
});

afterAll(async () => {
  await new Promise((resolve) => index?.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

async function request(offlineDir: string, pipEnv: NodeJS.ProcessEnv, events: InstallProgress[]): Promise<InstallRequest> {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.2', port: 0, password: 'Qz7-sudo-pw' });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  const link = await SshLink.connect(
    { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
    { knownHosts: new KnownHosts(join(folder, `known-hosts-${Date.now()}.json`)), confirmNewHost: async () => true },
  );
  links.push(link);
  return {
    boardId: board.name,
    link,
    recipe: findRecipe('jetson-stats', checkoutResources.recipesDir),
    stateFolder: mkdtempSync(join(folder, 'state-')),
    sudoPassword: board.password,
    simulator: true,
    offlineDir,
    fetchMissing: true,
    // No pip.conf of this machine: pip talks to the loopback index and nothing else.
    fetch: {
      python,
      env: { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1', ...pipEnv },
    },
    onProgress: (progress) => events.push(progress),
  };
}

function offlineFolder(): string {
  const dir = mkdtempSync(join(folder, 'files-'));
  // The .deb cannot be fetched on this computer (another architecture and release): it is already there.
  writeFileSync(join(dir, deb), 'a .deb in name only');
  return dir;
}

describe.skipIf(!hasPip)('offline install, wheels downloaded on this computer', () => {
  it("fetches the missing wheel with this computer's pip for the board's platform, then installs it on the board", async () => {
    const dir = offlineFolder();
    const events: InstallProgress[] = [];
    const outcome = await runInstall(await request(dir, { PIP_INDEX_URL: indexUrl }, events));
    expect(readdirSync(dir).sort()).toEqual([deb, wheel].sort());
    expect(outcome.verification.version).toBe('4.3.2');
    const logs = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(logs).toContain(
      `-m pip download jetson-stats --platform manylinux2014_aarch64 --python-version 3.10 --only-binary=:all: -d ${dir}`,
    );
    expect(logs).toMatch(/Saved .*jetson_stats-4\.3\.2-py3-none-any\.whl/);
    const messages = events.flatMap((event) => (event.type === 'preflight' ? [event.message] : []));
    expect(messages).toContain('Downloaded the wheels of 1 pip step(s)');
  }, 90_000);

  it('says so when this computer cannot reach the index, before touching the board', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const events: InstallProgress[] = [];
    const env = { PIP_INDEX_URL: `http://127.0.0.1:${port}/simple`, PIP_RETRIES: '0', PIP_TIMEOUT: '2' };
    await expect(runInstall(await request(offlineFolder(), env, events))).rejects.toThrow(
      /pip could not download jetson-stats on this computer \(exit \d+\): check that it reaches the package index/,
    );
    expect(events.some((event) => event.type === 'step-started')).toBe(false);
  }, 90_000);
});
