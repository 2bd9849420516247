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
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';
import { SqliteResultStore } from '../store/result-store.ts';
import { pushAgent, pushDataset } from './agent-push.ts';
import { BenchStore } from './bench-store.ts';
import { buildReport } from './report.ts';
import { formatNumber } from './report-svg.ts';
import { runPlan, type BenchBoardSession } from './runner.ts';
import { fashionMnistOrSynthetic } from './datasets.ts';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

let fleet: Fleet;
let folder: string;
let store: BenchStore;
let results: SqliteResultStore;

async function open(fleetIndex = 0): Promise<BenchBoardSession> {
  const board = fleet.boards[fleetIndex]!;
  const link = await SshLink.connect(
    { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
    {
      knownHosts: new KnownHosts(join(folder, 'known-hosts.json')),
      confirmNewHost: async (request) => request.fingerprint === board.fingerprint,
    },
  );
  return { key: board.name, label: board.modelName, link, sudoPassword: board.password, close: () => link.close() };
}

describe.skipIf(!hasNumpy)('the benchmark runner on a simulated board', () => {
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-bench-'));
    results = new SqliteResultStore(join(folder, 'results.sqlite'));
    store = new BenchStore(results.path);
    fleet = await startFleet({ profile: 'orin-nano', count: 1, port: 0, tickMs: 50 });
  }, 30_000);

  afterAll(async () => {
    store?.close();
    results?.close();
    await fleet?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs mnist-train ×3 with power, stores energy, and reports the statistics', async () => {
    const dataset = fashionMnistOrSynthetic(folder);
    const plan: BenchPlan = {
      boards: [fleet.boards[0]!.name],
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
        openBoard: () => open(),
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
      const metrics = run.metrics as {
        accuracy: number;
        samplesProcessed: number;
        energy: { joules: number; jPerSample: number; averageW: number };
      };
      expect(metrics.accuracy).toBeGreaterThan(0.3); // ten classes: chance is 0.1
      expect(metrics.energy.joules).toBeGreaterThan(0);
      expect(metrics.energy.jPerSample).toBeCloseTo(metrics.energy.joules / metrics.samplesProcessed, 9);
      const environment = run.params.environment as { module: string; l4t: string; jetpack: string; powerMode: { id: number } };
      expect(environment.module).toMatch(/Orin Nano/);
      expect(environment.l4t).toMatch(/^36\./);
      expect(environment.powerMode.id).toBe(0);

      const samples = store.samples(run.id);
      const markers = store.markers(run.id);
      const end = markers.find((marker) => marker.label === 'end')!.t;
      const input = samples.rails.VDD_IN!;
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      const during = input.filter((_, index) => samples.t[index]! > 0.5 && samples.t[index]! < end);
      expect(samples.t[0], 'readings before the measured phase').toBeLessThan(0);
      expect(during.length).toBeGreaterThan(20);
      expect(mean(during)).toBeGreaterThan(idleMw * 1.05);

      // The live chart was sent these very samples, in several batches, with the run's markers on the board's clock.
      const live = power.filter((batch) => batch.runId === run.id);
      expect(live.length).toBeGreaterThan(2);
      expect(live.flatMap((batch) => batch.totalMw)).toEqual(samples.rails.total);
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
    const accuracies = runs.map((run) => formatNumber(run.metrics.accuracy as number));
    for (const accuracy of accuracies) expect(report.html).toContain(accuracy);
    expect(report.html).toMatch(/needs at least 6 repeats \(n = 3\)/);
    expect(report.csv.split('\n')).toHaveLength(4);
  }, 60_000);

  it('cancels: the remote run stops at once, is stored as cancelled, and the rest of the plan is skipped', async () => {
    const plan: BenchPlan = {
      boards: [fleet.boards[0]!.name],
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
        openBoard: () => open(),
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
    const session = await open();
    try {
      expect((await pushAgent(session.link)).uploaded).toBe(false);
      expect((await pushDataset(session.link, fashionMnistOrSynthetic(folder), 'fashion-mnist')).uploaded).toBe(false);
    } finally {
      await session.close();
    }
  });
});
