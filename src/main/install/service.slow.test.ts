/**
 * The install service through the contract (in-memory bridge) against a
 * simulated board of demo mode: connect it with the two-step trust, list its
 * recipes, install one, follow the events, read the procedure document.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, WorkbenchBridge } from '../../shared/api.ts';
import { createInProcessSimulator } from '../../sim/in-process.ts';
import { startBoard } from '../../sim/fleet.ts';
import { openTestWorkbench, value, type TestWorkbench } from '../../../test/support/test-workbench.ts';

/** Demo boards with an unusual password, so the document and events can be searched for it ('jetson' is in every title). */
const password = 'Qz7-sudo-pw';

function simulatorWithPassword(dataRoot: string) {
  return {
    profiles: createInProcessSimulator(dataRoot).profiles,
    async start(options: { profile: string; name: string; host: string; port: number }) {
      const running = await startBoard({ ...options, dataRoot, password });
      return {
        ...running.descriptor(),
        async dispose() {
          await running.ssh.dispose();
          await running.serial?.dispose();
          running.board.dispose();
        },
      };
    },
  };
}

let test: TestWorkbench;
let dataDir: string;
let bridge: WorkbenchBridge;

beforeEach(() => {
  test = openTestWorkbench('jwb-install-service-', (folder) => ({ simulator: simulatorWithPassword(join(folder, 'boards')) }));
  ({ dataDir, bridge } = test);
});

afterEach(() => test.dispose());

async function connectedDemoBoard(profile: string): Promise<{ boardId: string }> {
  const demo = value(await bridge.call['demo.add']({ profile }));
  let board = value(await bridge.call['boards.list']({})).find((candidate) => candidate.demoId === demo.id);
  for (let attempt = 0; board === undefined && attempt < 50; attempt += 1) {
    // The inventory mirror runs after demo.onDidChange; wait for it through boards.onDidChange.
    await new Promise<void>((resolve) => {
      const stop = bridge.on('boards.onDidChange', () => (stop(), resolve()));
    });
    board = value(await bridge.call['boards.list']({})).find((candidate) => candidate.demoId === demo.id);
  }
  if (board === undefined) throw new Error('the demo board was not mirrored into the inventory');
  const first = value(await bridge.call['boards.connect']({ id: board.id, password: demo.password }));
  expect(first.status).toBe('host-key-unknown');
  if (first.status !== 'host-key-unknown') throw new Error('unexpected');
  value(await bridge.call['boards.trustHostKey']({ id: board.id, fingerprint: first.fingerprint }));
  const second = value(await bridge.call['boards.connect']({ id: board.id }));
  expect(second.status).toBe('connected');
  expect(demo.password).toBe(password);
  return { boardId: board.id };
}

async function waitForIdentified(boardId: string): Promise<void> {
  for (;;) {
    const details = value(await bridge.call['boards.details']({ id: boardId }));
    if (details.facts !== null && !details.identifying) return;
    await new Promise<void>((resolve) => {
      const stop = bridge.on('boards.onDidChange', () => (stop(), resolve()));
    });
  }
}

/** Follows one install through its events until it ends. */
function followInstall(): { events: EventPayload<'install.onDidProgress'>[]; ended: Promise<EventPayload<'install.onDidProgress'>> } {
  const events: EventPayload<'install.onDidProgress'>[] = [];
  const ended = new Promise<EventPayload<'install.onDidProgress'>>((resolve) => {
    const stop = bridge.on('install.onDidProgress', (event) => {
      events.push(event);
      if (event.state === 'running') return;
      stop();
      resolve(event);
    });
  });
  return { events, ended };
}

/** The smallest valid zip (an empty end-of-central-directory record) plus a marker: a wheel in name only. */
function offlineFolder(files: string[]): string {
  const folder = join(dataDir, 'wheels');
  mkdirSync(folder, { recursive: true });
  for (const file of files)
    writeFileSync(join(folder, file), Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18), Buffer.from(file)]));
  return folder;
}

describe('install service', () => {
  it('installs jetson-stats on a demo board and documents it without the password', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    await waitForIdentified(boardId);
    const recipes = value(await bridge.call['install.recipes']({ board: { kind: 'inventory', id: boardId } }));
    const stats = recipes.find((recipe) => recipe.library === 'jetson-stats');
    expect(stats).toMatchObject({ supported: true, family: 'jp6', reason: null });
    expect(stats?.steps.length).toBeGreaterThan(0);
    expect(recipes.some((recipe) => !recipe.supported && recipe.reason !== null)).toBe(true);

    const events: EventPayload<'install.onDidProgress'>[] = [];
    const finished = new Promise<EventPayload<'install.onDidProgress'>>((resolve) => {
      bridge.on('install.onDidProgress', (event) => {
        events.push(event);
        if (event.state !== 'running') resolve(event);
      });
    });
    const { installId } = value(await bridge.call['install.start']({ board: { kind: 'inventory', id: boardId }, library: 'jetson-stats' }));
    const last = await finished;
    expect(last, JSON.stringify(last.error)).toMatchObject({ kind: 'finished', state: 'done', installId });
    const verified = events.find((event) => event.kind === 'verified');
    expect(verified?.verification?.version).toMatch(/^\d+\.\d+/);
    expect(events.filter((event) => event.kind === 'step-finished')).toHaveLength(stats?.steps.length ?? -1);
    expect(events.some((event) => event.kind === 'log' && (event.text ?? '').length > 0)).toBe(true);

    const procedure = value(await bridge.call['install.procedure']({ installId }));
    for (const step of stats?.steps ?? []) expect(procedure.markdown).toContain(step.line);
    expect(procedure.html).toContain('<h2>Verification</h2>');
    expect(procedure.markdown).not.toContain(password);
    expect(procedure.html).not.toContain(password);
    expect(JSON.stringify(events)).not.toContain(password);
  }, 60_000);

  it('installs JAX on a JetPack 6 demo board and verifies that it sees the GPU', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    await waitForIdentified(boardId);
    const board = { kind: 'inventory', id: boardId } as const;
    const jax = value(await bridge.call['install.recipes']({ board })).find((recipe) => recipe.library === 'jax');
    expect(jax).toMatchObject({ supported: true, family: 'jp6' });
    const { events, ended } = followInstall();
    const { installId } = value(await bridge.call['install.start']({ board, library: 'jax' }));
    const last = await ended;
    expect(last, JSON.stringify(last.error)).toMatchObject({ kind: 'finished', state: 'done', installId });
    expect(events.filter((event) => event.kind === 'step-finished')).toHaveLength(jax?.steps.length ?? -1);
    // The simulator's jax is a stand-in: it sees the board's CUDA device, and says no GPU op ran.
    const verified = { version: '0.4.28', cuda: true, gpuOp: 'simulated' };
    expect(events.find((event) => event.kind === 'verified')?.verification).toMatchObject(verified);
    expect(value(await bridge.call['install.procedure']({ installId })).verification).toMatchObject(verified);
  }, 60_000);

  it('refuses an unknown library and a procedure before the end', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    const unknown = await bridge.call['install.start']({ board: { kind: 'inventory', id: boardId }, library: 'no-such-lib' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not-found');
    const procedure = await bridge.call['install.procedure']({ installId: 'nope' });
    expect(procedure.ok ? null : procedure.error.code).toBe('not-found');
  }, 30_000);

  it('answers a mistyped sudo password at once with auth-failed, and takes the right one on the retry', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    const board = { kind: 'inventory' as const, id: boardId };
    const refused = followInstall();
    value(await bridge.call['install.start']({ board, library: 'jetson-stats', sudoPassword: 'not-it' }));
    const last = await refused.ended;
    expect(last).toMatchObject({
      kind: 'failed',
      state: 'failed',
      error: { code: 'auth-failed', message: 'The board refused the sudo password. Enter it again.' },
    });
    // The install that failed is over: a retry is not "already running".
    const retried = followInstall();
    value(await bridge.call['install.start']({ board, library: 'jetson-stats', sudoPassword: password }));
    const second = await retried.ended;
    expect(second, JSON.stringify(second.error)).toMatchObject({ kind: 'finished', state: 'done' });
  }, 30_000);

  it('installs from an offline folder given in install.start: uploaded files, pip --no-index, recorded in the procedure', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    await waitForIdentified(boardId);
    const folder = offlineFolder(['jetson_stats-4.3.2-py3-none-any.whl', 'python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb']);
    const { events, ended } = followInstall();
    const { installId } = value(
      await bridge.call['install.start']({ board: { kind: 'inventory', id: boardId }, library: 'jetson-stats', offlineDir: folder }),
    );
    const last = await ended;
    expect(last, JSON.stringify(last.error)).toMatchObject({ kind: 'finished', state: 'done', installId });

    const messages = events.flatMap((event) => (event.kind === 'preflight' && event.message !== null ? [event.message] : []));
    const remote = messages.find((message) => message.startsWith('Offline files in '))?.match(/^Offline files in (\S+):/)?.[1];
    expect(remote).toMatch(/\/\.jwb\/offline$/);
    expect(messages).toContain(`Offline files in ${remote ?? ''}: 2 uploaded (SHA-256 checked), 0 already there`);
    const started = events.filter((event) => event.kind === 'step-started').map((event) => event.line);
    expect(started).toEqual([
      `sudo apt-get install -y ${remote ?? ''}/python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb`,
      `sudo pip3 install --no-index --find-links ${remote ?? ''} jetson-stats`,
    ]);
    const log = events.map((event) => event.text ?? '').join('');
    // The simulator's pip found the wheel in the uploaded folder, not on an index.
    expect(log).toContain(`Processing ${remote ?? ''}/jetson_stats-4.3.2-py3-none-any.whl`);
    expect(events.find((event) => event.kind === 'verified')?.verification?.version).toBe('4.3.2');

    const procedure = value(await bridge.call['install.procedure']({ installId }));
    expect(procedure.markdown).toContain(`sudo pip3 install --no-index --find-links ${remote ?? ''} jetson-stats`);
    expect(procedure.markdown).not.toContain('| ` sudo pip3 install -U jetson-stats ` |');
  }, 60_000);

  it('answers install.start with a clear error for an offline folder that is relative, missing or a file', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    const relative = await bridge.call['install.start']({
      board: { kind: 'inventory', id: boardId },
      library: 'jetson-stats',
      offlineDir: 'wheels',
    });
    expect(relative.ok ? null : relative.error.code).toBe('invalid-request');
    const tooLong = await bridge.call['install.start']({
      board: { kind: 'inventory', id: boardId },
      library: 'jetson-stats',
      offlineDir: `/${'a'.repeat(5000)}`,
    });
    expect(tooLong.ok ? null : tooLong.error.code).toBe('invalid-request');
    const missing = await bridge.call['install.start']({
      board: { kind: 'inventory', id: boardId },
      library: 'jetson-stats',
      offlineDir: join(dataDir, 'nowhere'),
    });
    expect(missing.ok ? null : missing.error).toMatchObject({
      code: 'not-found',
      message: `The offline folder ${join(dataDir, 'nowhere')} does not exist on this computer.`,
    });
    const file = join(dataDir, 'a-wheel.whl');
    writeFileSync(file, 'zip');
    const notFolder = await bridge.call['install.start']({
      board: { kind: 'inventory', id: boardId },
      library: 'jetson-stats',
      offlineDir: file,
    });
    expect(notFolder.ok ? null : notFolder.error).toMatchObject({
      code: 'invalid-request',
      message: expect.stringContaining('is a file, not a folder'),
    });
  }, 30_000);

  it('skips the steps of a library already installed, says why in the events and the document, and reinstalls with force', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    await waitForIdentified(boardId);
    const install = async (force?: boolean) => {
      const { events, ended } = followInstall();
      const { installId } = value(
        await bridge.call['install.start']({
          board: { kind: 'inventory', id: boardId },
          library: 'jetson-stats',
          ...(force === undefined ? {} : { force }),
        }),
      );
      const last = await ended;
      expect(last, JSON.stringify(last.error)).toMatchObject({ state: 'done' });
      return { events, procedure: value(await bridge.call['install.procedure']({ installId })) };
    };
    const kinds = (events: EventPayload<'install.onDidProgress'>[], kind: string) => events.filter((event) => event.kind === kind);

    const first = await install();
    expect(kinds(first.events, 'step-started')).toHaveLength(3);
    const second = await install();
    expect(kinds(second.events, 'step-started')).toHaveLength(0);
    expect(kinds(second.events, 'step-skipped').map((event) => event.message)).toEqual(
      Array.from({ length: 3 }, () => 'already installed, version 4.3.2'),
    );
    expect(second.procedure.markdown).toContain('skipped: already installed, version 4.3.2');
    const forced = await install(true);
    expect(kinds(forced.events, 'step-started')).toHaveLength(3);
    expect(forced.procedure.markdown).not.toContain('skipped: already installed');
  }, 60_000);
});
