/**
 * Issue 16, item 5: a board that reboots while it is recording. The stored
 * recording shows the reboot as a gap (not a `done` recording with 0 gaps),
 * and live power runs again on its own once the board is back: the Boards
 * view's link reconnects and the same source starts on the same recorder.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { WorkbenchBridge } from '../../shared/api.ts';
import { startBoard, type RunningBoard } from '../../sim/fleet.ts';
import { nextEvent } from '../../../test/support/next-event.ts';
import { openTestWorkbench, value, type TestWorkbench } from '../../../test/support/test-workbench.ts';
import type { Simulator } from '../demo/demo-boards.ts';
import { createInProcessSimulator } from '../../sim/in-process.ts';

let test: TestWorkbench;
let bridge: WorkbenchBridge;
/** The demo boards as the simulator runs them, so the test can reboot one. */
const running: RunningBoard[] = [];

/** Demo mode's simulator, keeping each board's handle and booting in 1.5 s. */
function rebootableSimulator(dataRoot: string): Simulator {
  return {
    profiles: () => createInProcessSimulator(dataRoot).profiles(),
    async start(options) {
      const board = await startBoard({ ...options, dataRoot, rebootDelayMs: 1500 });
      running.push(board);
      const descriptor = board.descriptor();
      return {
        ...descriptor,
        async dispose() {
          await board.ssh.dispose();
          board.board.dispose();
        },
      };
    },
  };
}

beforeEach(() => {
  test = openTestWorkbench('jwb-reboot-', (dataDir) => ({ simulator: rebootableSimulator(join(dataDir, 'simulated-boards')) }));
  ({ bridge } = test);
});

afterEach(async () => {
  await test.dispose();
  running.length = 0;
});

it('stores a reboot mid-recording as a gap and resumes telemetry when the board is back', { timeout: 60_000 }, async () => {
  const demo = value(await bridge.call['demo.add']({ profile: 'orin-nano' }));
  let samples = 0;
  bridge.on('telemetry.onDidSample', (batch) => (samples += batch.t.length));
  const state = value(
    await bridge.call['telemetry.start']({ board: { kind: 'simulated', id: demo.id }, source: 'tegrastats', intervalMs: 250 }),
  );
  const { id } = value(await bridge.call['telemetry.record.start']({ board: state.board }));
  await nextEvent(bridge, 'telemetry.onDidSample', () => samples >= 6);

  const board = running[0]!.board;
  const away = nextEvent(bridge, 'telemetry.onDidChange', (change) => change.state === 'starting');
  let wentAway = false;
  const resumed = nextEvent(
    bridge,
    'telemetry.onDidChange',
    (change) => (wentAway ||= change.state === 'starting') && change.state === 'running',
  );
  board.reboot();
  expect((await away).error).toMatch(/when the board is back/);
  await resumed;
  const before = samples;
  await nextEvent(bridge, 'telemetry.onDidSample', () => samples >= before + 6);

  const info = value(await bridge.call['telemetry.record.stop']({ board: state.board }));
  expect(info.status).toBe('done');
  expect(info.energy?.gaps.length).toBeGreaterThanOrEqual(1);
  // The gap spans the reboot: at least the 1.5 s the board was away.
  expect(Math.max(...(info.energy?.gaps ?? []).map((gap) => gap.toT - gap.fromT))).toBeGreaterThan(1.5);
  expect(info.samples).toBeGreaterThanOrEqual(12);
  expect(value(await bridge.call['telemetry.list']({}))).toMatchObject([{ board: state.board, state: 'running', error: null }]);
  expect(value(await bridge.call['telemetry.recordings']({})).map((recording) => recording.id)).toEqual([id]);
});
