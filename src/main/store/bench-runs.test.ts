import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BenchRuns } from './bench-runs.ts';
import { ResultsDb } from './results-db.ts';

let dir: string;
let results: ResultsDb;
let runs: BenchRuns;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwb-bench-runs-'));
  results = new ResultsDb(join(dir, 'results.sqlite'));
  runs = new BenchRuns(results);
});

afterEach(() => {
  results.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = { id: 'run-1', kind: 'bench', board: 'sim-1', title: 'gemm', startedAt: 1_700_000_000_000, params: { planId: 'p' } };

it('writes a run as it goes: its row when it starts, its samples as they stream, all of it replaced when it ends (issue 16, item 5)', () => {
  runs.begin({ ...row, status: 'running', finishedAt: null, metrics: {} });
  expect(runs.runs({ planId: 'p' })).toMatchObject([{ id: 'run-1', status: 'running', finishedAt: null }]);
  runs.appendSamples('run-1', 0, { t: [1, 1.01], rails: { total: [5000, 5100], VDD_IN: [5000, Number.NaN] } });
  runs.appendSamples('run-1', 2, { t: [1.02], rails: { total: [5200], VDD_IN: [5200] } });
  expect(runs.samples('run-1')).toEqual({ t: [1, 1.01, 1.02], rails: { total: [5000, 5100, 5200], VDD_IN: [5000, Number.NaN, 5200] } });

  runs.save({
    ...row,
    status: 'done',
    finishedAt: 1_700_000_020_000,
    metrics: { throughput: 12 },
    samples: { t: [-0.5, 0, 0.5], rails: { total: [5000, 5100, 5200] } },
    markers: [
      { t: 0, label: 'begin' },
      { t: 0.5, label: 'end' },
    ],
  });
  expect(runs.runs({ planId: 'p' })).toMatchObject([{ id: 'run-1', status: 'done', metrics: { throughput: 12 } }]);
  expect(runs.samples('run-1')).toEqual({ t: [-0.5, 0, 0.5], rails: { total: [5000, 5100, 5200] } });
  expect(runs.markers('run-1').map((marker) => marker.label)).toEqual(['begin', 'end']);
});
