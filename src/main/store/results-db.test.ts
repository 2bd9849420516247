import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/results.ts';
import { migrations } from './migrations.ts';
import { SqliteResultStore } from './result-store.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwb-results-'));
  path = join(dir, 'nested', 'results.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run: RunRecord = {
  id: 'run-1',
  kind: 'bench',
  board: 'sim:orin-nano-1',
  title: 'MNIST, PyTorch, batch 64',
  status: 'running',
  startedAt: 1_700_000_000_000,
  finishedAt: null,
  params: { batch: 64 },
  metrics: {},
};

it('creates the database with every migration and keeps runs across reopening', () => {
  const store = new SqliteResultStore(path);
  expect(store.schemaVersion).toBe(migrations.length);
  store.saveRun(run);
  store.finishRun(
    'run-1',
    { status: 'done', finishedAt: run.startedAt + 5000, metrics: { imagesPerSecond: 812.5 } },
    {
      t: [0, 0.5, 1],
      rails: { VDD_IN: [4100, 6200, 6150], VDD_CPU_GPU_CV: [900, 2500, 2400] },
    },
  );
  store.close();

  const reopened = new SqliteResultStore(path);
  expect(reopened.listRuns()).toEqual([{ ...run, status: 'done', finishedAt: run.startedAt + 5000, metrics: { imagesPerSecond: 812.5 } }]);
  expect(reopened.getSamples('run-1')).toEqual({
    t: [0, 0.5, 1],
    rails: { VDD_IN: [4100, 6200, 6150], VDD_CPU_GPU_CV: [900, 2500, 2400] },
  });
  reopened.close();
});

it('writes a run and its samples all or nothing', () => {
  const store = new SqliteResultStore(path);
  expect(() => store.finishRun('missing', { status: 'done', finishedAt: 1, metrics: {} }, { t: [0], rails: { VDD_IN: [1] } })).toThrow(
    /not in the results database/,
  );
  expect(store.getSamples('missing')).toEqual({ t: [], rails: {} });
  store.close();
});

it('refuses a database from a newer workbench instead of damaging it', () => {
  new SqliteResultStore(path).close();
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
  db.close();
  expect(() => new SqliteResultStore(path)).toThrow(/newer version of the workbench/);
});
