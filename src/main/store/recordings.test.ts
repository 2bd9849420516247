import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import { summarizeEnergy } from '../../shared/power/energy.ts';
import { ResultsDb } from './results-db.ts';
import { Recordings } from './recordings.ts';

let folder: string;
let results: ResultsDb;
let store: Recordings;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jwb-recording-store-'));
  results = new ResultsDb(join(folder, 'results.sqlite'));
  store = new Recordings(results);
});

afterEach(() => {
  results.close();
  rmSync(folder, { recursive: true, force: true });
});

function chunk(from: number, count: number, mw: (t: number) => number): SampleColumns {
  const columns = emptyColumns(from);
  for (let index = 0; index < count; index += 1) {
    const t = (from + index) * 0.5;
    columns.t.push(t);
    columns.inputMw.push(mw(t));
    columns.railSumMw.push(mw(t) + 500);
    columns.rails.VDD_IN = [...(columns.rails.VDD_IN ?? []), mw(t)];
    columns.rails.VDD_SOC = [...(columns.rails.VDD_SOC ?? []), from === 0 ? null : 500];
    columns.cpuLoad.push(10);
    columns.gpuLoad.push(null);
    columns.gpuMhz.push(null);
    columns.emcLoad.push(3);
    columns.ramUsedMb.push(1500);
    columns.temps.cpu = [...(columns.temps.cpu ?? []), index === 1 ? null : 40.25];
  }
  return columns;
}

describe('Recordings', () => {
  it('stores a recording: its run with the power mode, samples written in chunks, markers', () => {
    const powerMode = { name: 'MAXN', id: 0 };
    store.begin({
      id: 'rec',
      board: 'orin',
      title: 'bench',
      status: 'running',
      startedAt: 1000,
      finishedAt: null,
      params: { powerMode },
      metrics: {},
    });
    store.append(
      'rec',
      0,
      chunk(0, 4, () => 4000),
    );
    store.append(
      'rec',
      4,
      chunk(4, 4, (t) => (t < 3 ? 4000 : 10000)),
    );
    expect(store.list()[0]?.status).toBe('running');
    store.finish(
      'rec',
      [
        { t: 3, label: 'load' },
        { t: 1, label: 'warm' },
      ],
      { status: 'done', finishedAt: 2000, metrics: { samples: 8 } },
    );

    const stored = store.get('rec');
    expect(stored?.run).toMatchObject({ board: 'orin', status: 'done', finishedAt: 2000, params: { powerMode }, metrics: { samples: 8 } });
    expect(stored?.columns.t).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(stored?.columns.inputMw).toEqual([4000, 4000, 4000, 4000, 4000, 4000, 10000, 10000]);
    expect(stored?.columns.rails.VDD_SOC).toEqual([null, null, null, null, 500, 500, 500, 500]);
    expect(stored?.columns.temps.cpu).toEqual([40.25, null, 40.25, 40.25, 40.25, null, 40.25, 40.25]);
    expect(stored?.columns.emcLoad.every((value) => value === 3)).toBe(true);
    expect(stored?.markers).toEqual([
      { t: 1, label: 'warm' },
      { t: 3, label: 'load' },
    ]);
    // Energy between the two markers (trapezoids): 4 W from 1 s to 2.5 s (6 J), then 4 → 10 W over 0.5 s (3.5 J).
    const between = summarizeEnergy(stored!.columns.t, stored!.columns, { maxGapS: 1, fromT: 1, toT: 3 });
    expect(between.input?.joules).toBeCloseTo(9.5, 9);
    expect(between.input?.averageW).toBeCloseTo(4.75, 9);
    expect(store.get('missing')).toBeUndefined();
  });

  it('lists only telemetry runs, newest first', () => {
    store.begin({ id: 'a', board: 'x', title: 'first', status: 'running', startedAt: 1, finishedAt: null, params: {}, metrics: {} });
    store.begin({ id: 'b', board: 'x', title: 'second', status: 'running', startedAt: 2, finishedAt: null, params: {}, metrics: {} });
    expect(store.list().map((run) => run.id)).toEqual(['b', 'a']);
    expect(store.list(1)).toHaveLength(1);
  });
});
