import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import type { InstallProgress } from '../../shared/install/install-contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';
import { findRecipe } from './recipes.ts';
import { runInstall, type InstallRequest } from './runner.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';

const folder = mkdtempSync(join(tmpdir(), 'jwb-offline-'));
let fleet: Fleet | undefined;
const links: SshLink[] = [];

afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  await fleet?.dispose();
  fleet = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The smallest valid zip (an empty end-of-central-directory record): a wheel in name only. */
const emptyZip = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);

function wheelFolder(files: string[]): string {
  const dir = mkdtempSync(join(folder, 'files-'));
  for (const file of files) writeFileSync(join(dir, file), Buffer.concat([emptyZip, Buffer.from(file)]));
  return dir;
}

async function setup(): Promise<{ link: SshLink; boardId: string; password: string; stateFolder: string }> {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.2', port: 0, password: 'Qz7-sudo-pw' });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  const link = await SshLink.connect(
    { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
    { knownHosts: new KnownHosts(join(folder, `${board.name}-${Date.now()}-known-hosts.json`)), confirmNewHost: async () => true },
  );
  links.push(link);
  return { link, boardId: board.name, password: board.password, stateFolder: mkdtempSync(join(folder, 'state-')) };
}

function request(board: Awaited<ReturnType<typeof setup>>, offlineDir: string, events: InstallProgress[]): InstallRequest {
  return {
    boardId: board.boardId,
    link: board.link,
    recipe: findRecipe('jetson-stats', checkoutResources.recipesDir),
    stateFolder: board.stateFolder,
    sudoPassword: board.password,
    simulator: true,
    offlineDir,
    onProgress: (progress) => events.push(progress),
  };
}

const files = ['jetson_stats-4.3.2-py3-none-any.whl', 'python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb'];

describe('offline install from a folder of wheels and debs', () => {
  it('installs jetson-stats from uploaded files with pip --no-index, and does not upload again', async () => {
    const board = await setup();
    const dir = wheelFolder(files);
    const events: InstallProgress[] = [];
    const outcome = await runInstall(request(board, dir, events));
    expect(outcome.verification.version).toBe('4.3.2');
    const home = `/home/${fleet?.boards[0]?.user ?? ''}/.jwb/offline`;
    expect(outcome.state.steps.map((step) => step.line)).toEqual([
      `sudo apt-get install -y ${home}/python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb`,
      `sudo pip3 install --no-index --find-links ${home} jetson-stats`,
    ]);
    const messages = events.flatMap((event) => (event.type === 'preflight' ? [event.message] : []));
    expect(messages).toContain(`Offline files in ${home}: 2 uploaded (SHA-256 checked), 0 already there`);
    expect(events).toContainEqual(expect.objectContaining({ type: 'step-skipped', index: 0, title: 'Refresh the package lists' }));
    const logs = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(logs).toContain(`Processing ${home}/jetson_stats-4.3.2-py3-none-any.whl`);
    expect(logs).toContain('Successfully installed jetson-stats-4.3.2');

    // Same files, fresh state, a reinstall (the probe would skip it): the hashes match on the board, nothing is sent again.
    const again: InstallProgress[] = [];
    await runInstall({ ...request(board, dir, again), stateFolder: mkdtempSync(join(folder, 'state-')), force: true });
    const second = again.flatMap((event) => (event.type === 'preflight' ? [event.message] : []));
    expect(second).toContain(`Offline files in ${home}: 0 uploaded (SHA-256 checked), 2 already there`);
    expect(second.some((message) => message.startsWith('Uploading'))).toBe(false);

    // A changed file is uploaded again, the unchanged one is kept.
    writeFileSync(join(dir, files[0] as string), Buffer.concat([emptyZip, Buffer.from('rebuilt')]));
    const third: InstallProgress[] = [];
    await runInstall({ ...request(board, dir, third), stateFolder: mkdtempSync(join(folder, 'state-')), force: true });
    expect(third.flatMap((event) => (event.type === 'preflight' ? [event.message] : []))).toContain(
      `Offline files in ${home}: 1 uploaded (SHA-256 checked), 1 already there`,
    );
  });

  it('stops before touching the board when a wheel is missing, with the download command', async () => {
    const board = await setup();
    const dir = wheelFolder([files[1] as string]);
    const events: InstallProgress[] = [];
    const error = await runInstall(request(board, dir, events)).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkbenchFailure);
    const failure = error as WorkbenchFailure;
    expect(failure.code).toBe('not-found');
    expect(failure.message).toContain(`The offline folder ${dir} lacks: jetson-stats.`);
    expect(failure.message).toContain(
      `pip download jetson-stats --platform manylinux2014_aarch64 --python-version 3.10 '--only-binary=:all:' -d ${dir}`,
    );
    expect(
      events.some((event) => event.type === 'step-started' || (event.type === 'preflight' && event.message.startsWith('Uploading'))),
    ).toBe(false);
  });

  it("the simulator's pip refuses --no-index when the folder has no matching wheel", async () => {
    const board = await setup();
    const result = await board.link.exec(['pip3', 'install', '--no-index', '--find-links', '/tmp', 'jetson-stats']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'ERROR: Could not find a version that satisfies the requirement jetson-stats (from versions: none)\nERROR: No matching distribution found for jetson-stats\n',
    );
  });
});
