/**
 * The benchmark service through the contract (in-memory bridge) on a
 * simulated board of demo mode: a plan starts, its power streams on
 * `bench.onDidPower` while it runs, and a dataset folder that cannot be used
 * is refused before anything starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, WorkbenchBridge } from '../../shared/api.ts';
import type { BenchPlanInput } from '../../shared/bench/contract.ts';
import type { Result } from '../../shared/errors.ts';
import { createWorkbench, type Workbench } from '../app.ts';
import { createMemoryBridge } from '../core/memory-transport.ts';
import { openConfStore } from '../store/conf-store.ts';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

let dataDir: string;
let workbench: Workbench;
let bridge: WorkbenchBridge;
let closeBridge: () => void;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-bench-service-'));
  workbench = createWorkbench({ shell: 'test', dataDir, store: openConfStore(dataDir) });
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

function planFor(demoBoardId: string, extra: Partial<BenchPlanInput> = {}): BenchPlanInput {
  return {
    targets: [{ demoBoardId }],
    frameworks: ['numpy'],
    suites: ['mnist-train'],
    batchSizes: [],
    powerModes: [],
    repeats: 1,
    epochs: 1,
    trainLimit: 1000,
    testLimit: 200,
    ...extra,
  };
}

describe.skipIf(!hasNumpy)('bench.* through the contract', () => {
  it('streams the run’s power while it runs, ending with the measured phase’s markers', async () => {
    const demo = value(await bridge.call['demo.add']({ profile: 'orin-nano' }));
    const power: EventPayload<'bench.onDidPower'>[] = [];
    const stopPower = bridge.on('bench.onDidPower', (batch) => power.push(batch));
    const finished = new Promise<EventPayload<'bench.onDidProgress'>>((resolve) => {
      bridge.on('bench.onDidProgress', (event) => {
        if (event.stage === 'plan-done') resolve(event);
      });
    });
    const { planId } = value(await bridge.call['bench.start']({ plan: planFor(demo.id) }));
    const done = await finished;
    stopPower();
    expect(done.counts).toEqual({ done: 1, failed: 0, cancelled: 0 });
    expect(power.length).toBeGreaterThan(2);
    expect(power.every((batch) => batch.planId === planId && batch.label === demo.name)).toBe(true);
    expect(power.flatMap((batch) => batch.markers).map((marker) => marker.label)).toEqual(['begin', 'end']);
    const [run] = value(await bridge.call['bench.runs']({ planId, limit: 10 }));
    // The energy was integrated from these very samples: as many fall between the markers.
    const [begin, end] = power.flatMap((batch) => batch.markers).map((marker) => marker.t);
    const inside = power.flatMap((batch) => batch.t).filter((t) => t >= begin! && t <= end!).length;
    const integrated = (run?.metrics.energy as { samples: number }).samples;
    expect(Math.abs(inside - integrated)).toBeLessThanOrEqual(2);
    expect(power.flatMap((batch) => batch.t).length, 'the warm-up is drawn too').toBeGreaterThan(inside);
  }, 60_000);

  it('refuses a dataset folder that is missing or lacks the idx files, before anything starts', async () => {
    const demo = value(await bridge.call['demo.add']({ profile: 'orin-nano' }));
    const missing = await bridge.call['bench.start']({ plan: planFor(demo.id, { dataset: join(dataDir, 'nowhere') }) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const empty = await bridge.call['bench.start']({ plan: planFor(demo.id, { dataset: dataDir }) });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/lacks train-images/) } });
    expect(value(await bridge.call['bench.runs']({ limit: 10 }))).toEqual([]);
  });
});
