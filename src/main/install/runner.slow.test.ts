import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import type { InstallProgress } from '../../shared/install/install-contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { identify } from '../identify/identify.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';
import { installStatePath } from './install-state.ts';
import { procedureHtml, procedureMarkdown } from './procedure.ts';
import { findRecipe } from './recipes.ts';
import { runInstall, type InstallRequest } from './runner.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';

const folder = mkdtempSync(join(tmpdir(), 'jwb-install-'));
let fleet: Fleet | undefined;
const links: SshLink[] = [];

afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  await fleet?.dispose();
  fleet = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function start(profile: string): Promise<{ fleet: Fleet; password: string; boardId: string; stateFolder: string }> {
  // A password that no log or document would contain by chance ('jetson' is in every URL).
  fleet = await startFleet({ profile, count: 1, host: '127.0.0.2', port: 0, rebootDelayMs: 300, password: 'Qz7-sudo-pw' });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  return { fleet, password: board.password, boardId: board.name, stateFolder: mkdtempSync(join(folder, 'state-')) };
}

async function connect(): Promise<SshLink> {
  const board = fleet?.boards[0];
  if (board === undefined) throw new Error('no board');
  const link = await SshLink.connect(
    { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
    { knownHosts: new KnownHosts(join(folder, `${board.name}-known-hosts.json`)), confirmNewHost: async () => true },
  );
  links.push(link);
  return link;
}

/** After a reboot the board answers again once its delay is over: try until it does (bounded). */
async function reconnect(): Promise<SshLink> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      return await connect();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw lastError;
}

async function failureOf(work: Promise<unknown>): Promise<WorkbenchFailure> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof WorkbenchFailure)) throw new Error(`expected a WorkbenchFailure, got ${String(error)}`);
  return error;
}

function request(
  link: SshLink,
  library: string,
  setup: { password: string; boardId: string; stateFolder: string },
  events: InstallProgress[],
): InstallRequest {
  return {
    boardId: setup.boardId,
    link,
    recipe: findRecipe(library, checkoutResources.recipesDir),
    stateFolder: setup.stateFolder,
    sudoPassword: setup.password,
    simulator: true,
    onProgress: (progress) => events.push(progress),
  };
}

describe('install runner against the simulator', () => {
  it('installs PyTorch on a JetPack 6 Orin Nano end to end and writes the procedure', async () => {
    const setup = await start('orin-nano');
    const events: InstallProgress[] = [];
    const outcome = await runInstall(request(await connect(), 'pytorch', setup, events));
    expect(outcome.family).toBe('jp6');
    expect(outcome.verification).toMatchObject({ version: '2.5.0', cuda: true, gpuOp: 'simulated', extra: { torchvision: '0.20.0' } });
    expect(outcome.state.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(events.filter((event) => event.type === 'step-started')).toHaveLength(4);
    const logs = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(logs).toContain('Setting up nvidia-jetpack');
    expect(logs).toContain('Successfully installed torch-2.5.0 torchvision-0.20.0');

    const markdown = procedureMarkdown(outcome);
    expect(markdown).toContain('JetPack | 6.2.1 (L4T 36.4.7)');
    expect(markdown).toContain('| ` sudo apt-get install -y nvidia-jetpack ` | done |');
    expect(markdown).toContain("pip3 install 'torch==2.5.0' 'torchvision==0.20.0' --index-url https://pypi.jetson-ai-lab.io/jp6/cu126");
    expect(markdown).toMatch(/\| Version \| 2\.5\.0 \|/);
    expect(procedureHtml(outcome)).toContain('<code>sudo apt-get update</code>');
    // The board (L4T 36.4.7) meets the cu126 wheels' L4T 36.4: no warning. The unconfirmed pin is listed.
    expect(events.some((event) => event.type === 'preflight' && event.message.includes('built for L4T'))).toBe(false);
    expect(markdown).toMatch(
      /## Step notes\n\n- Step 4 \(Install PyTorch 2\.5 .*\): Not confirmed by the published sources\. torch 2\.5 is a jetson-containers pin for L4T 36/,
    );
    // The sudo password appears nowhere we keep or show.
    const saved = readFileSync(installStatePath(setup.stateFolder, setup.boardId, 'pytorch'), 'utf8');
    for (const text of [markdown, procedureHtml(outcome), saved, JSON.stringify(events)]) expect(text).not.toContain(setup.password);
  });

  it("installs NVIDIA's TensorFlow wheel on JetPack 6 as root (sudo pip3, NVIDIA's pattern)", async () => {
    const setup = await start('orin-nano');
    const outcome = await runInstall(request(await connect(), 'tensorflow', setup, []));
    expect(outcome.verification).toMatchObject({ cuda: true });
    // The recipe's own command, as the board ran it (the simulator's index carries the jp/v61 wheel).
    expect(outcome.state.steps.at(-1)?.line).toBe(
      "sudo pip3 install --extra-index-url https://developer.download.nvidia.com/compute/redist/jp/v61 'tensorflow==2.17.1+nv24.07'",
    );
    expect(procedureMarkdown(outcome)).toContain('tensorflow==2.17.1+nv24.07');
  });

  it('warns before installing wheels built for a newer L4T than the board runs (JetPack 6.0 vs cu126)', async () => {
    const setup = await start('orin-nano');
    const link = await connect();
    const facts = { ...(await identify(link, { checkInternet: false })), l4t: '36.3.0', jetpack: '6.0' };
    const events: InstallProgress[] = [];
    await runInstall({ ...request(link, 'onnxruntime-gpu', setup, events), facts });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'preflight',
        warning: true,
        message:
          'The wheels are built for L4T 36.4 or newer (its CUDA and cuDNN); this board runs L4T 36.3.0. Update JetPack first, or expect import errors.',
      }),
    );
  });

  it('builds Caffe on a JetPack 4 Nano (the simulator stands in for the compiler)', async () => {
    const setup = await start('nano');
    const events: InstallProgress[] = [];
    const outcome = await runInstall(request(await connect(), 'caffe', setup, events));
    expect(outcome.family).toBe('jp4');
    expect(outcome.verification).toMatchObject({ version: '1.0.0', cuda: true });
    const lines = outcome.state.steps.map((step) => step.line);
    expect(lines[1]).toMatch(/^sudo apt-get install -y libprotobuf-dev .* build-essential$/);
    expect(lines[4]).toBe("pip3 install 'caffe==1.0.0'");
    // A 4 GB Nano has about 2 GB of swap: the build is warned about, not refused.
    expect(events).toContainEqual(expect.objectContaining({ type: 'preflight', warning: true, message: expect.stringContaining('swap') }));
  });

  it('resumes after a dropped connection without repeating finished steps', async () => {
    const setup = await start('orin-nano');
    const running = setup.fleet.running[0];
    const first: InstallProgress[] = [];
    const firstRequest = request(await connect(), 'pytorch', setup, first);
    let rebooted = false;
    firstRequest.onProgress = (progress) => {
      first.push(progress);
      // Mid-step: the third step has started printing when the board goes away.
      if (!rebooted && progress.type === 'log' && progress.index === 2) {
        rebooted = true;
        running?.board.reboot();
      }
    };
    const failure = await failureOf(runInstall(firstRequest));
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toContain('finished steps will not be repeated');
    const saved = JSON.parse(readFileSync(installStatePath(setup.stateFolder, setup.boardId, 'pytorch'), 'utf8')) as {
      steps: Array<{ outcome: string }>;
    };
    expect(saved.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'interrupted']);

    const second: InstallProgress[] = [];
    const outcome = await runInstall(request(await reconnect(), 'pytorch', setup, second));
    expect(
      second.filter((event) => event.type === 'step-skipped').map((event) => (event.type === 'step-skipped' ? event.index : -1)),
    ).toEqual([0, 1]);
    expect(
      second.filter((event) => event.type === 'step-started').map((event) => (event.type === 'step-started' ? event.index : -1)),
    ).toEqual([2, 3]);
    expect(outcome.verification.version).toBe('2.5.0');
    expect(outcome.state.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('fails cleanly on a wrong sudo password, before any step runs', async () => {
    const setup = await start('orin-nano');
    const events: InstallProgress[] = [];
    const failure = await failureOf(
      runInstall({ ...request(await connect(), 'pytorch', setup, events), sudoPassword: 'not-the-password' }),
    );
    expect(failure.code).toBe('auth-failed');
    expect(failure.message).toBe('The board refused the sudo password. Enter it again.');
    expect(events.some((event) => event.type === 'step-started')).toBe(false);
    expect(JSON.stringify(events)).not.toContain('not-the-password');
  });

  it('refuses a library with no path for the JetPack, with the reason', async () => {
    const setup = await start('nano');
    const link = await connect();
    const jax = await failureOf(runInstall(request(link, 'jax', setup, [])));
    expect(jax.code).toBe('unsupported');
    expect(jax.message).toMatch(/^JAX on JetPack 4\.6\.\d+: Not available for this JetPack: /);
  });

  it('stops with a clear message when the disk fills during a step', async () => {
    const setup = await start('orin-nano');
    const running = setup.fleet.running[0];
    const events: InstallProgress[] = [];
    const install = request(await connect(), 'tensorflow', setup, events);
    install.onProgress = (progress) => {
      events.push(progress);
      if (progress.type === 'step-started' && progress.index === 1) running?.board.fillDisk();
    };
    const failure = await failureOf(runInstall(install));
    expect(failure.code).toBe('disk-full');
    expect(failure.message).toContain("The board's disk is full");
    expect(failure.detail).toContain('No space left on device');
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'disk-full' } });
  });

  it('runs the steps the first time, skips them once installed (said so), and runs them again when forced or too old', async () => {
    const setup = await start('orin-nano');
    const link = await connect();
    const started = (events: InstallProgress[]): number[] =>
      events.flatMap((event) => (event.type === 'step-started' ? [event.index] : []));
    const preflight = (events: InstallProgress[]): string[] =>
      events.flatMap((event) => (event.type === 'preflight' ? [event.message] : []));

    const first: InstallProgress[] = [];
    const installed = await runInstall(request(link, 'jetson-stats', setup, first));
    expect(started(first)).toEqual([0, 1, 2]);
    expect(preflight(first)).toContain('jetson-stats (jtop) is not installed yet');
    expect(installed.state.alreadyInstalled).toBeNull();
    expect(procedureMarkdown(installed)).toContain('The library was not installed before.');

    // Second time: no sudo password is even needed, nothing runs but the probe and the verification.
    const second: InstallProgress[] = [];
    const { sudoPassword: _unused, ...withoutSudo } = request(link, 'jetson-stats', setup, second);
    const skipped = await runInstall(withoutSudo);
    expect(started(second)).toEqual([]);
    expect(preflight(second)).toContain(
      'jetson-stats (jtop) 4.3.2 is already installed: the install steps are skipped, only the verification runs',
    );
    expect(second.filter((event) => event.type === 'step-skipped')).toEqual(
      [0, 1, 2].map((index) => expect.objectContaining({ index, reason: 'already installed, version 4.3.2' })),
    );
    expect(skipped.verification.version).toBe('4.3.2');
    expect(skipped.state.steps.map((step) => [step.outcome, step.note, step.exitCode])).toEqual(
      Array.from({ length: 3 }, () => ['skipped', 'already installed, version 4.3.2', null]),
    );
    const saved = JSON.parse(readFileSync(installStatePath(setup.stateFolder, setup.boardId, 'jetson-stats'), 'utf8')) as {
      alreadyInstalled: { version: string; skipped: boolean };
      steps: Array<{ outcome: string }>;
    };
    expect(saved.alreadyInstalled).toMatchObject({ version: '4.3.2', skipped: true });
    expect(saved.steps.map((step) => step.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    const markdown = procedureMarkdown(skipped);
    expect(markdown).toContain("` python3 -c 'import jtop; print(jtop.__version__)' `");
    expect(markdown).toContain('Already installed, version 4.3.2 (the recipe accepts any version): the install steps were skipped');
    expect(markdown).toContain('| ` sudo pip3 install -U jetson-stats ` | skipped: already installed, version 4.3.2 | 0.0 s |');
    expect(procedureHtml(skipped)).toContain('<td>skipped: already installed, version 4.3.2</td>');

    // Reinstall asked: the steps run again, and the document says the library was there before.
    const forced: InstallProgress[] = [];
    const again = await runInstall({ ...request(link, 'jetson-stats', setup, forced), force: true });
    expect(started(forced)).toEqual([0, 1, 2]);
    expect(preflight(forced)).toContain('jetson-stats (jtop) 4.3.2 is already installed: reinstalling, as asked');
    expect(procedureMarkdown(again)).toContain(
      'Version 4.3.2 was installed before (the recipe accepts any version); the install steps ran again.',
    );

    // A recipe that wants a newer version than the board has installs it.
    const recipe = findRecipe('jetson-stats', checkoutResources.recipesDir);
    const jp6 = recipe.families.jp6;
    if (!('probe' in jp6)) throw new Error('jetson-stats has a JetPack 6 plan');
    const newer = { ...recipe, families: { ...recipe.families, jp6: { ...jp6, probe: { ...jp6.probe, minVersion: '99.0' } } } };
    const older: InstallProgress[] = [];
    await runInstall({ ...request(link, 'jetson-stats', setup, older), recipe: newer });
    expect(started(older)).toEqual([0, 1, 2]);
    expect(preflight(older)).toContain("jetson-stats (jtop) 4.3.2 is installed but older than the recipe's 99.0: installing");
  });
});
