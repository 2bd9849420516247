import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptySample, settleTotals, type Sample } from '../../shared/telemetry/sample.ts';
import { ResultsDb } from '../store/results-db.ts';
import { maxGapFor } from '../../shared/power/gaps.ts';
import { Recorder } from './recorder.ts';
import { recordingEnergy } from '../../shared/telemetry/columns.ts';
import { Recordings } from '../store/recordings.ts';

function sample(t: number, inputMw = 5000, extraRail?: number): Sample {
  const value = emptySample(t);
  value.railNames = extraRail === undefined ? ['VDD_IN', 'VDD_CPU_GPU_CV'] : ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC'];
  value.railMw = extraRail === undefined ? [inputMw, 1000] : [inputMw, 1000, extraRail];
  value.railAvgMw = value.railMw.map(() => Number.NaN);
  value.cpuLoad = [50, null, 30];
  value.tempNames = ['cpu'];
  value.tempC = [45.5];
  value.ramUsedMb = 2000;
  settleTotals(value);
  return value;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function openStore(): { store: Recordings; close(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'jwb-recorder-'));
  folders.push(folder);
  const results = new ResultsDb(join(folder, 'results.sqlite'));
  const store = new Recordings(results);
  return { store, close: () => results.close() };
}

describe('Recorder', () => {
  it('numbers samples in order and counts gaps and the samples lost inside them', () => {
    const recorder = new Recorder({ intervalS: 0.1 });
    const samples = [0, 0.1, 0.2, 1.2, 1.3].map((t) => sample(t));
    for (const value of samples) recorder.add(value);
    expect(samples.map((value) => value.seq)).toEqual([0, 1, 2, 3, 4]);
    // 0.2 → 1.2 is a 1 s step at 10 Hz: one gap, nine samples missing.
    expect(recorder.counts).toEqual({ samples: 5, gaps: 1, lost: 9 });
    recorder.add(sample(1.4), 3);
    expect(recorder.counts).toEqual({ samples: 6, gaps: 2, lost: 12 });
    expect(maxGapFor(0.1)).toBeCloseTo(0.55);
  });

  it('batches samples as columns, with rails that appear later padded with null', () => {
    const recorder = new Recorder({ intervalS: 0.1 });
    expect(recorder.takeBatch()).toBeNull();
    recorder.add(sample(0, 4000));
    recorder.add(sample(0.1, 4100, 700));
    const batch = recorder.takeBatch();
    expect(batch?.seq0).toBe(0);
    expect(batch?.t).toEqual([0, 0.1]);
    expect(batch?.inputMw).toEqual([4000, 4100]);
    expect(batch?.rails).toEqual({ VDD_IN: [4000, 4100], VDD_CPU_GPU_CV: [1000, 1000], VDD_SOC: [null, 700] });
    expect(batch?.cpuLoad).toEqual([40, 40]);
    expect(batch?.temps).toEqual({ cpu: [45.5, 45.5] });
    recorder.add(sample(0.2));
    expect(recorder.takeBatch()?.seq0).toBe(2);
  });

  it('keeps a bounded history and a bounded batch when nobody takes it', () => {
    const recorder = new Recorder({ intervalS: 0.01, ringCapacity: 1000, maxBatch: 300 });
    for (let index = 0; index < 5000; index += 1) recorder.add(sample(index * 0.01));
    const recent = recorder.recent();
    expect(recent.t.length).toBeGreaterThanOrEqual(1000);
    expect(recent.t.length).toBeLessThan(1000 + 300);
    expect(recent.t[recent.t.length - 1]).toBeCloseTo(49.99);
    expect(recent.seq0 + recent.t.length).toBe(5000);
    expect(recent.rails.VDD_IN).toHaveLength(recent.t.length);
    expect(recorder.takeBatch()!.t.length).toBeLessThanOrEqual(300);
  });

  it('writes a recording in chunks with its markers, and integrates its energy', () => {
    const { store, close } = openStore();
    const recorder = new Recorder({ intervalS: 0.1, chunkSize: 16 }, store);
    store.begin({ id: 'r1', board: 'b', title: 'test', status: 'running', startedAt: 1, finishedAt: null, params: {}, metrics: {} });
    recorder.add(sample(99.9));
    recorder.startRecording('r1', 100);
    for (let index = 0; index <= 100; index += 1) recorder.add(sample(100 + index * 0.1, index < 50 ? 4000 : 8000));
    expect(recorder.mark('phase 2', 105)).toBeCloseTo(5);
    const active = recorder.stopRecording();
    expect(active?.stored).toBe(101);
    store.finish('r1', active?.markers ?? [], { status: 'done', finishedAt: 2, metrics: {} });
    const stored = store.get('r1');
    expect(stored?.columns.t).toHaveLength(101);
    expect(stored?.columns.t[0]).toBeCloseTo(0);
    expect(stored?.markers).toEqual([{ t: expect.closeTo(5, 6) as unknown as number, label: 'phase 2' }]);
    const energy = recordingEnergy(stored!.columns, maxGapFor(0.1));
    // 4 W for 4.9 s, a ramp to 8 W over 0.1 s, 8 W for 5 s: 19.6 + 0.6 + 40 J.
    expect(energy.input?.joules).toBeCloseTo(4 * 4.9 + 0.6 + 8 * 5, 6);
    expect(energy.rails.VDD_CPU_GPU_CV?.joules).toBeCloseTo(10, 6);
    const second = recordingEnergy(stored!.columns, maxGapFor(0.1), 5, 10);
    expect(second.input?.averageW).toBeCloseTo(8, 6);
    expect(recorder.stopRecording()).toBeNull();
    close();
  });

  it('keeps the first 32 rails and sensors of a board that invents names, and says which it ignored (issue 16, item 3)', () => {
    const { store, close } = openStore();
    const recorder = new Recorder({ intervalS: 0.1, chunkSize: 16 }, store);
    store.begin({ id: 'r2', board: 'b', title: 'test', status: 'running', startedAt: 1, finishedAt: null, params: {}, metrics: {} });
    recorder.startRecording('r2', 0);
    const ignored: string[] = [];
    for (let index = 0; index < 1000; index += 1) {
      const value = sample(index * 0.1);
      value.railNames = [...value.railNames, `INVENTED_${index}`, 'constructor'];
      value.railMw = [...value.railMw, 100, 100];
      value.railAvgMw = [...value.railAvgMw, Number.NaN, Number.NaN];
      value.tempNames = [...value.tempNames, `zone${index}`];
      value.tempC = [...value.tempC, 40];
      settleTotals(value);
      ignored.push(...recorder.add(value));
      if (index === 0) expect(value.railSumMw).toBe(6100); // INVENTED_0 is kept (the cap is not reached yet), `constructor` never
    }
    const recent = recorder.recent();
    expect(Object.keys(recent.rails)).toHaveLength(32);
    expect(Object.keys(recent.temps)).toHaveLength(32);
    expect(recent.rails.VDD_IN?.at(-1)).toBe(5000);
    expect(recent.railSumMw.at(-1)).toBe(6000); // the ignored rails are not in the sum either
    expect(ignored).toContain('INVENTED_999');
    expect(ignored).toContain('constructor');
    expect(ignored).not.toContain('INVENTED_0');
    recorder.stopRecording();
    expect(Object.keys(store.get('r2')!.columns.rails)).toHaveLength(32);
    close();
  });

  it('writes a recording by time as well as by count: no sample waits more than flushS (issue 16, item 5)', () => {
    const { store, close } = openStore();
    const recorder = new Recorder({ intervalS: 0.5, chunkSize: 512, flushS: 2 }, store);
    store.begin({ id: 'r3', board: 'b', title: 'test', status: 'running', startedAt: 1, finishedAt: null, params: {}, metrics: {} });
    recorder.startRecording('r3', 100);
    recorder.add(sample(100));
    recorder.add(sample(100.5));
    recorder.writeDue(101.9);
    expect(store.get('r3')?.columns.t).toEqual([]);
    recorder.writeDue(102);
    expect(store.get('r3')?.columns.t).toEqual([0, 0.5]);
    recorder.add(sample(103));
    recorder.writeDue(104.5);
    expect(store.get('r3')?.columns.t).toEqual([0, 0.5]);
    recorder.writeDue(105);
    expect(store.get('r3')?.columns.t).toEqual([0, 0.5, 3]);
    close();
  });
});
