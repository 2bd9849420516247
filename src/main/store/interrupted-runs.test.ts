/**
 * Issue 16, item 5: a workbench killed mid-run left its recording `running`
 * with 0 samples forever. At the next opening of the database, the runs whose
 * process is gone are marked failed, interrupted at their last stored sample,
 * their samples kept; a run whose process still lives is left alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import { BenchRuns } from './bench-runs.ts';
import { Recordings } from './recordings.ts';
import { ResultsDb } from './results-db.ts';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwb-interrupted-'));
  path = join(dir, 'results.sqlite');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const startedAt = Date.UTC(2026, 0, 5, 9, 0, 0);

function constantPower(count: number, stepS: number, mw: number): SampleColumns {
  const columns = emptyColumns(0);
  for (let index = 0; index < count; index += 1) {
    columns.t.push(index * stepS);
    for (const series of [columns.inputMw, columns.railSumMw]) series.push(mw);
    columns.rails.VDD_IN = [...(columns.rails.VDD_IN ?? []), mw];
    for (const series of [columns.cpuLoad, columns.gpuLoad, columns.gpuMhz, columns.emcLoad, columns.ramUsedMb]) series.push(null);
  }
  return columns;
}

/** Runs left by a process that was killed: the rows say `running`, some samples reached the disk. */
function leaveRunsBehind(): void {
  const results = new ResultsDb(path);
  const recordings = new Recordings(results);
  recordings.begin({
    id: 'rec',
    board: 'b',
    title: 'rec',
    status: 'running',
    startedAt,
    finishedAt: null,
    params: { intervalMs: 500 },
    metrics: {},
  });
  recordings.append('rec', 0, constantPower(21, 0.5, 4000));
  const bench = new BenchRuns(results);
  bench.begin({
    id: 'run',
    kind: 'bench',
    board: 'b',
    title: 'gemm',
    status: 'running',
    startedAt,
    finishedAt: null,
    params: {},
    metrics: {},
  });
  bench.appendSamples('run', 0, { t: [0.5, 1, 7.25], rails: { total: [5000, 5000, 5000] } });
  bench.begin({
    id: 'empty',
    kind: 'bench',
    board: 'b',
    title: 'gemm',
    status: 'running',
    startedAt,
    finishedAt: null,
    params: {},
    metrics: {},
  });
  results.close();
}

it('marks the runs of a process that is gone as interrupted at their last stored sample, samples and energy kept', () => {
  leaveRunsBehind();
  const results = new ResultsDb(path, { processAlive: () => false });
  const recording = new Recordings(results).list()[0]!;
  expect(recording).toMatchObject({ status: 'failed', finishedAt: startedAt + 10_000 });
  expect(recording.metrics).toMatchObject({ reason: 'interrupted at 2026-01-05T09:00:10.000Z', samples: 21 });
  expect((recording.metrics.energy as { input: { joules: number } }).input.joules).toBeCloseTo(40, 9);
  expect(new Recordings(results).get('rec')?.columns.t).toHaveLength(21);

  const bench = new BenchRuns(results);
  const [run, empty] = ['run', 'empty'].map((id) => bench.runs().find((candidate) => candidate.id === id)!);
  expect(run).toMatchObject({
    status: 'failed',
    finishedAt: startedAt + 7250,
    metrics: { reason: 'interrupted at 2026-01-05T09:00:07.250Z' },
  });
  expect(bench.samples('run').t).toEqual([0.5, 1, 7.25]);
  expect(empty).toMatchObject({ status: 'failed', finishedAt: startedAt, metrics: { reason: 'interrupted at 2026-01-05T09:00:00.000Z' } });
  results.close();
});

it('leaves alone the runs of a process that is still at work (another window, a jwb command)', () => {
  leaveRunsBehind();
  const results = new ResultsDb(path, { processAlive: (pid) => pid === process.pid });
  expect(new Recordings(results).list()[0]?.status).toBe('running');
  expect(new BenchRuns(results).runs().map((run) => run.status)).toEqual(['running', 'running']);
  results.close();
});
