/**
 * The install service through the contract (in-memory bridge) against a
 * simulated board of demo mode: connect it with the two-step trust, list its
 * recipes, install one, follow the events, read the procedure document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, WorkbenchBridge } from '../../shared/api.ts';
import type { Result } from '../../shared/errors.ts';
import { createWorkbench, type Workbench } from '../app.ts';
import { createMemoryBridge } from '../core/memory-transport.ts';
import { openConfStore } from '../store/conf-store.ts';
import { createInProcessSimulator } from '../../sim/in-process.ts';
import { startBoard } from '../../sim/fleet.ts';

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

let dataDir: string;
let workbench: Workbench;
let bridge: WorkbenchBridge;
let closeBridge: () => void;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-install-service-'));
  workbench = createWorkbench({
    shell: 'test',
    dataDir,
    store: openConfStore(dataDir),
    simulator: simulatorWithPassword(join(dataDir, 'boards')),
  });
  ({ bridge, close: closeBridge } = createMemoryBridge(workbench));
});

afterEach(async () => {
  closeBridge();
  await workbench.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

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

describe('install service', () => {
  it('installs jetson-stats on a demo board and documents it without the password', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    await waitForIdentified(boardId);
    const recipes = value(await bridge.call['install.recipes']({ boardId }));
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
    const { installId } = value(await bridge.call['install.start']({ boardId, library: 'jetson-stats' }));
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

  it('refuses an unknown library and a procedure before the end', async () => {
    const { boardId } = await connectedDemoBoard('orin-nano');
    const unknown = await bridge.call['install.start']({ boardId, library: 'no-such-lib' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not-found');
    const procedure = await bridge.call['install.procedure']({ installId: 'nope' });
    expect(procedure.ok ? null : procedure.error.code).toBe('not-found');
  }, 30_000);
});
