import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import type { BoardLink, ExecResult } from '../../shared/board-link.ts';
import { SshLink } from '../link/ssh-link.ts';
import { identify } from './identify.ts';

const folder = mkdtempSync(join(tmpdir(), 'jwb-identify-'));
let fleet: Fleet | undefined;
let link: SshLink | undefined;

afterEach(async () => {
  await link?.close();
  link = undefined;
  await fleet?.dispose();
  fleet = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function linkTo(profile: string): Promise<SshLink> {
  fleet = await startFleet({ profile, count: 1, host: '127.0.0.2', port: 0 });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  link = await SshLink.connect(
    { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
    { knownHosts: new KnownHosts(join(folder, `${profile}-known-hosts.json`)), confirmNewHost: async () => true },
  );
  return link;
}

describe('identify over SSH against the simulator', () => {
  it('identifies a fresh Orin Nano, then sees JetPack and a framework once installed', async () => {
    const board = await linkTo('orin-nano');
    const fresh = await identify(board);
    expect(fresh).toMatchObject({
      kind: 'jetson',
      module: 'NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super',
      l4t: '36.4.7',
      jetpack: '6.2.1',
      ubuntu: 'Ubuntu 22.04.5 LTS',
      kernel: '5.15.148-tegra',
      arch: 'aarch64',
      cpuCores: 6,
      cuda: null,
      python: '3.10.12',
      ramMb: 7620,
      addresses: ['127.0.0.2/8'],
      // The simulator has no `timeout`/`getent`: the check cannot run, so it is unknown, not "no".
      internet: 'unknown',
    });
    // Nothing simulated is installed yet; the host's real NumPy (and Debian's torch, where installed for the
    // multi-board training) may show through: the simulator lends /usr/lib.
    expect(fresh.frameworks.filter((framework) => framework.name !== 'numpy' && framework.name !== 'torch')).toEqual([]);
    expect(fresh.frameworks.every((framework) => !framework.simulated)).toBe(true);
    expect(fresh.powerMode).toMatchObject({ current: '15W', currentId: 0, defaultId: 0 });
    expect(fresh.powerMode?.available.map((mode) => mode.name)).toEqual(['15W', '25W', 'MAXN_SUPER', '7W']);
    expect(fresh.diskFreeGb).toBeGreaterThan(1);

    const apt = await board.exec(['apt-get', 'install', '-y', 'nvidia-jetpack'], { sudoPassword: 'jetson' });
    expect(apt.code).toBe(0);
    const pip = await board.exec(['pip3', 'install', 'torch', 'numpy']);
    expect(pip.code).toBe(0);
    const installed = await identify(board);
    expect(installed).toMatchObject({ cuda: '12.6', cudnn: '9.3.0', tensorrt: '10.3.0' });
    // python3-libnvinfer (pulled by nvidia-jetpack) brings the tensorrt module; torch came from pip.
    expect(installed.frameworks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'tensorrt', version: '10.3.0', simulated: true }),
        expect.objectContaining({ name: 'torch', cuda: true, simulated: true }),
      ]),
    );
  });

  it('identifies a desktop GPU host as such, not as a Jetson', async () => {
    const facts = await identify(await linkTo('desktop-gpu'));
    expect(facts).toMatchObject({ kind: 'desktop-gpu', l4t: null, jetpack: null, powerMode: null, arch: 'x86_64' });
  });

  it('identifies an older Jetson (JetPack 4, L4T 32.7.1)', async () => {
    const facts = await identify(await linkTo('nano'));
    expect(facts).toMatchObject({ kind: 'jetson', l4t: '32.7.1', jetpack: '4.6.1' });
  });
});

describe('the identification script on a real POSIX shell', () => {
  it("runs under this machine's sh and identifies it as a Linux host", async () => {
    // Only exec is used by identify; the script itself is what this test checks (dash/bash, not the simulator's shell).
    const local = {
      exec: (argv: readonly string[]) =>
        new Promise<ExecResult>((resolve) => {
          execFile(argv[0] as string, argv.slice(1), { maxBuffer: 8 << 20 }, (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
          );
        }),
    } as unknown as BoardLink;
    const facts = await identify(local, { checkInternet: false });
    expect(['linux-host', 'desktop-gpu', 'jetson']).toContain(facts.kind);
    expect(facts.kernel).toBe(release());
    expect(facts.ramMb).toBe(Math.round(totalmem() / 1024 / 1024));
    expect(facts.diskTotalGb).toBeGreaterThan(0);
    expect(facts.internet).toBe('unknown');
  }, 60_000);
});
