/**
 * The benchmark service through the contract (in-memory bridge) on a
 * simulated board of demo mode: a plan starts, its power streams on
 * `bench.onDidPower` while it runs, and a dataset folder that cannot be used
 * is refused before anything starts.
 */
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, WorkbenchBridge } from '../../shared/api.ts';
import type { BenchPlanInput } from '../../shared/bench/contract.ts';
import { factRows } from '../../shared/identify/fact-rows.ts';
import { openTestWorkbench, value, type TestWorkbench } from '../../../test/support/test-workbench.ts';
import { escapeHtml } from './report-svg.ts';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

let test: TestWorkbench;
let dataDir: string;
let bridge: WorkbenchBridge;

beforeEach(() => {
  test = openTestWorkbench('jwb-bench-service-');
  ({ dataDir, bridge } = test);
});

afterEach(() => test.dispose());

function planFor(simulatedId: string, extra: Partial<BenchPlanInput> = {}): BenchPlanInput {
  return {
    boards: [{ kind: 'simulated', id: simulatedId }],
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
    const integrated = run?.metrics.energy?.samples ?? 0;
    expect(Math.abs(inside - integrated)).toBeLessThanOrEqual(2);
    expect(power.flatMap((batch) => batch.t).length, 'the warm-up is drawn too').toBeGreaterThan(inside);
  }, 60_000);

  it('runs a plan on a simulated board of every profile, each run with energy from the source its probe prefers', async () => {
    const expected: Record<string, string> = {
      tx1: 'iio',
      tx2: 'iio',
      nano: 'iio',
      'agx-xavier': 'iio',
      'xavier-nx': 'hwmon',
      'orin-nano': 'hwmon',
      'orin-nx': 'hwmon',
      'agx-orin': 'hwmon',
      'desktop-gpu': 'nvidia-smi',
    };
    const profiles = value(await bridge.call['demo.profiles']({})).map((profile) => profile.id);
    expect(profiles.sort()).toEqual(Object.keys(expected).sort());
    const boards = await Promise.all(profiles.map(async (profile) => value(await bridge.call['demo.add']({ profile }))));
    const finished = new Promise<void>((resolve) => {
      bridge.on('bench.onDidProgress', (event) => {
        if (event.stage === 'plan-done') resolve();
      });
    });
    const plan = {
      ...planFor(boards[0]!.id, { suites: ['gemm'], seconds: 0.5 }),
      boards: boards.map((board) => ({ kind: 'simulated' as const, id: board.id })),
    };
    const { planId } = value(await bridge.call['bench.start']({ plan }));
    await finished;
    const runs = value(await bridge.call['bench.runs']({ planId, limit: 100 }));
    expect(runs).toHaveLength(profiles.length);
    for (const run of runs) {
      const profile = boards.find((board) => board.id === run.board)!.profile;
      expect(run.status, `${profile}: ${run.metrics.reason}`).toBe('done');
      expect(run.params.board).toMatchObject({ label: boards.find((board) => board.id === run.board)!.name, simulated: true });
      expect(run.params.environment?.powerSource, profile).toBe(expected[profile]);
      expect(run.metrics.energy?.source, profile).toBe(expected[profile]);
      expect(run.metrics.energy?.joules, profile).toBeGreaterThan(0);
    }

    // The report's environment of each board is what `jwb info` (boards.identify) says of it, row for row.
    const { html } = value(await bridge.call['bench.report']({ planId }));
    for (const board of boards.filter((candidate) => ['tx1', 'desktop-gpu'].includes(candidate.profile))) {
      const { facts } = value(await bridge.call['boards.identify']({ board: { kind: 'simulated', id: board.id } }));
      for (const [label, fact] of factRows(facts))
        expect(html).toContain(`<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(fact ?? 'unknown')}</td></tr>`);
    }
    expect(html).not.toMatch(/demo-|sim-\d/);
  }, 120_000);

  it('refuses a dataset folder that is missing or lacks the idx files, before anything starts', async () => {
    const demo = value(await bridge.call['demo.add']({ profile: 'orin-nano' }));
    const missing = await bridge.call['bench.start']({ plan: planFor(demo.id, { dataset: join(dataDir, 'nowhere') }) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const empty = await bridge.call['bench.start']({ plan: planFor(demo.id, { dataset: dataDir }) });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/lacks train-images/) } });
    expect(value(await bridge.call['bench.runs']({ limit: 10 }))).toEqual([]);
  });
});
