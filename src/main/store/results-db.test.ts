import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

it('makes the database readable by its owner only, in a folder only its owner reads', () => {
  new ResultsDb(path).close();
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
});

it('names a damaged database and what to do about it, and leaves the file as it was', () => {
  mkdirSync(join(dir, 'nested'));
  writeFileSync(path, 'not a database at all, but someone typed here'.repeat(100));
  expect(() => new ResultsDb(path)).toThrow(
    new RegExp(`The results database ${path.replaceAll('/', '\\/')} cannot be read: .*Move it aside .* start the workbench again`),
  );
  expect(readFileSync(path, 'utf8')).toMatch(/^not a database at all/);
});
