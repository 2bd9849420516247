import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BenchRuns } from './bench-runs.ts';
import { migrations } from './migrations.ts';
import { ResultsDb } from './results-db.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwb-results-'));
  path = join(dir, 'nested', 'results.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('creates the database with every migration and keeps runs across reopening', () => {
  const results = new ResultsDb(path);
  expect(results.schemaVersion).toBe(migrations.length);
  new BenchRuns(results).save({
    id: 'run-1',
    kind: 'bench',
    board: 'sim-1',
    title: 'MNIST, PyTorch, batch 64',
    status: 'done',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_005_000,
    params: { planId: 'p', batch: 64 },
    metrics: { throughput: 812.5 },
    samples: { t: [0, 0.5, 1], rails: { VDD_IN: [4100, 6200, 6150], VDD_CPU_GPU_CV: [900, 2500, 2400] } },
    markers: [{ t: 0, label: 'begin' }],
  });
  results.close();

  const reopened = new ResultsDb(path);
  const runs = new BenchRuns(reopened);
  expect(runs.runs({ planId: 'p' })).toMatchObject([
    { id: 'run-1', status: 'done', params: { batch: 64 }, metrics: { throughput: 812.5 } },
  ]);
  expect(runs.samples('run-1')).toEqual({ t: [0, 0.5, 1], rails: { VDD_IN: [4100, 6200, 6150], VDD_CPU_GPU_CV: [900, 2500, 2400] } });
  expect(runs.markers('run-1')).toEqual([{ t: 0, label: 'begin' }]);
  reopened.close();
});

it('writes all or nothing', () => {
  const results = new ResultsDb(path);
  expect(() =>
    results.transaction(() => {
      results.db.prepare(`INSERT INTO runs (id, kind, board, title, status, started_at) VALUES ('a', 'bench', 'b', 't', 'done', 1)`).run();
      throw new Error('cut');
    }),
  ).toThrow('cut');
  expect(new BenchRuns(results).runs()).toEqual([]);
  results.close();
});

it('refuses a database from a newer workbench instead of damaging it', () => {
  new ResultsDb(path).close();
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
  db.close();
  expect(() => new ResultsDb(path)).toThrow(/newer version of the workbench/);
});
