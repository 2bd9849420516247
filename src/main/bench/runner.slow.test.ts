/**
 * The runner against a simulated Orin Nano over real SSH: the agent and a
 * Fashion-MNIST subset pushed (then found cached), mnist-train with NumPy
 * three times, power rising on the input rail between the markers, energy
 * and J/sample stored in SQLite, statistics and the HTML report from them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchPowerBatch, BenchProgress } from '../../shared/bench/contract.ts';
import type { BenchPlan } from '../../shared/bench/plan.ts';
import { boardKey, type BoardRef } from '../../shared/boards/board-ref.ts';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { pushAgent } from '../agent/agent-push.ts';
import { BoardRegistry } from '../boards/board-registry.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';
import { openConfStore } from '../store/conf-store.ts';
import { ResultsDb } from '../store/results-db.ts';
import { BenchRuns } from '../store/bench-runs.ts';
import { fashionMnistOrSynthetic, pushDataset } from './datasets.ts';
import { buildReport } from './report.ts';
import { formatNumber } from './report-svg.ts';
import { runPlan, type PlanBoard } from './runner.ts';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

let fleet: Fleet;
let folder: string;
let store: BenchRuns;
let results: ResultsDb;
let registry: BoardRegistry;

function refOf(fleetIndex = 0): BoardRef {
  const board = fleet.boards[fleetIndex]!;
  return { kind: 'address', host: board.host, port: board.port, user: board.user, password: board.password };
}

/** The plan's board as the service builds it: its name from the registry, opened through it. */
function planBoard(fleetIndex = 0): PlanBoard {
  const ref = refOf(fleetIndex);
  return { ...registry.name(ref), open: () => registry.open(ref) };
}

describe.skipIf(!hasNumpy)('the benchmark runner on a simulated board', () => {
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-bench-'));
    results = new ResultsDb(join(folder, 'results.sqlite'));
    store = new BenchRuns(results);
    fleet = await startFleet({ profile: 'orin-nano', count: 1, port: 0, tickMs: 50 });
    registry = new BoardRegistry({
      store: openConfStore(folder),
      dataDir: folder,
      simulated: { list: () => [] },
      trust: { kind: 'on-first-use', onNewHost: () => undefined },
    });
  }, 30_000);

  afterAll(async () => {
    await registry?.dispose();
    results?.close();
    await fleet?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs mnist-train ×3 with power, stores energy, and reports the statistics', async () => {
    const dataset = fashionMnistOrSynthetic(folder);
    const plan: BenchPlan = {
      boards: [boardKey(refOf())],
      frameworks: ['numpy'],
      suites: ['mnist-train'],
      batchSizes: [],
      powerModes: [{ nvpmodel: 0, jetsonClocks: false }],
      repeats: 3,
      epochs: 3,
    };
    // The idle input rail, read off the simulated board before any work.
    const idleMw = fleet.running[0]!.board.snapshot().rails.find((rail) => rail.name === 'VDD_IN')!.mw;
    const events: BenchProgress[] = [];
    const power: BenchPowerBatch[] = [];
    const counts = await runPlan(
      'plan-1',
      plan,
      {
        store,
        boards: [planBoard()],
        agentRoot: checkoutResources.agentDir,
        emit: (event) => events.push(event),
        emitPower: (batch) => power.push(batch),
        dataset: { localDir: dataset, name: 'fashion-mnist' },
        settleMs: 200,
      },
      new AbortController().signal,
    );
    expect(counts, JSON.stringify(events.filter((event) => event.stage === 'run-failed'))).toEqual({ done: 3, failed: 0, cancelled: 0 });
    expect(events.map((event) => event.stage)).toEqual(
      expect.arrayContaining(['preparing', 'power-mode', 'running', 'epoch', 'run-done', 'board-done', 'plan-done']),
    );

    const runs = store.runs({ planId: 'plan-1' });
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      const { metrics } = run;
      expect(metrics.accuracy).toBeGreaterThan(0.3); // ten classes: chance is 0.1
      expect(metrics.energy?.joules).toBeGreaterThan(0);
      expect(metrics.energy).toMatchObject({ method: 'integral', source: 'hwmon', warning: null });
      expect(metrics.energy?.hz).toBeGreaterThan(50); // the sensors are sampled at the agent's 100 Hz
      expect(metrics.energy?.jPerSample).toBeCloseTo((metrics.energy?.joules ?? 0) / (metrics.samplesProcessed ?? 1), 9);
      const environment = run.params.environment;
      expect(environment?.facts?.module).toMatch(/Orin Nano/);
      expect(environment?.facts?.l4t).toMatch(/^36\./);
      expect(environment?.facts?.simulated).toBe(true);
      expect(environment?.powerSource).toBe('hwmon');
      expect(environment?.powerMode?.id).toBe(0);
      expect(run.params.board).toMatchObject({ simulated: true });

      const samples = store.samples(run.id);
      const markers = store.markers(run.id);
      const end = markers.find((marker) => marker.label === 'end')!.t;
      const input = samples.rails.VDD_IN!;
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      const during = input.filter((_, index) => samples.t[index]! > 0.5 && samples.t[index]! < end);
      expect(samples.t[0], 'readings before the measured phase').toBeLessThan(0);
      expect(during.length).toBeGreaterThan(20);
      // Rises with the agent's CPU work; on a loaded machine the agent gets less CPU a second, so the rise is small but there.
      expect(mean(during)).toBeGreaterThan(idleMw * 1.02);

      // The live chart was sent these very samples, in several batches, with the run's markers on the board's clock.
      const live = power.filter((batch) => batch.runId === run.id);
      expect(live.length).toBeGreaterThan(2);
      expect(live.flatMap((batch) => batch.inputMw)).toEqual(samples.rails.total);
      expect(live.every((batch) => batch.inputRail === 'VDD_IN' && batch.planId === 'plan-1')).toBe(true);
      const times = live.flatMap((batch) => batch.t);
      expect(Math.abs(times[0]! - run.startedAt / 1000)).toBeLessThan(30); // epoch seconds, not the agent's monotonic clock
      const liveMarkers = live.flatMap((batch) => batch.markers);
      expect(liveMarkers.map((marker) => marker.label)).toEqual(['begin', 'end']);
      expect(liveMarkers[1]!.t - liveMarkers[0]!.t).toBeCloseTo(end, 1);
    }

    const report = buildReport({ planId: 'plan-1', runs, samples: (id) => store.samples(id), markers: (id) => store.markers(id) });
    expect(report.html).toContain('<svg');
    expect(report.html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // As the report prints them (3 significant digits, no trailing zeros: 0.830 is shown as 0.83).
    const accuracies = runs.map((run) => formatNumber(run.metrics.accuracy));
    for (const accuracy of accuracies) expect(report.html).toContain(accuracy);
    expect(report.html).toMatch(/needs at least 6 repeats \(n = 3\)/);
    expect(report.csv.split('\n')).toHaveLength(4);
  }, 60_000);

  it('cancels: the remote run stops at once, is stored as cancelled, and the rest of the plan is skipped', async () => {
    const plan: BenchPlan = {
      boards: [boardKey(refOf())],
      frameworks: ['numpy'],
      suites: ['gemm'],
      batchSizes: [],
      powerModes: [],
      repeats: 3,
      seconds: 30,
    };
    const controller = new AbortController();
    let abortedAt = 0;
    const counts = await runPlan(
      'plan-cancel',
      plan,
      {
        store,
        boards: [planBoard()],
        agentRoot: checkoutResources.agentDir,
        emit: (event) => {
          if (event.stage === 'running') {
            abortedAt = Date.now();
            setTimeout(() => controller.abort(), 1500);
          }
        },
      },
      controller.signal,
    );
    expect(Date.now() - abortedAt).toBeLessThan(6000);
    expect(counts).toEqual({ done: 0, failed: 0, cancelled: 3 });
    const [stored] = store.runs({ planId: 'plan-cancel' });
    expect(stored).toMatchObject({ status: 'cancelled', metrics: { reason: 'cancelled' } });
  }, 20_000);

  it('finds the agent and the dataset already on the board the second time', async () => {
    const lease = await registry.open(refOf());
    try {
      expect((await pushAgent(lease.link, checkoutResources.agentDir)).uploaded).toBe(false);
      expect((await pushDataset(lease.link, fashionMnistOrSynthetic(folder), 'fashion-mnist')).uploaded).toBe(false);
    } finally {
      await lease.release();
    }
  });
});
