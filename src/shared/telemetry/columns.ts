/**
 * Samples as columns: the shape batched to the renderer (one event carries
 * many samples, ≤ 10 events a second) and stored per recording. A rail or
 * sensor missing from a sample is null in its column, so columns stay aligned
 * with `t` (the chart uses `parsing: false` and wants plain arrays).
 */
import type { Sample } from './sample.ts';

export interface SampleColumns {
  /** Sequence number of the first sample; the rest follow without holes (holes are gaps the recorder counted). */
  seq0: number;
  /** Seconds (Unix epoch, fractional) for live batches; seconds since the recording began for recordings. */
  t: number[];
  /** Module input power, mW; null where the board has no input rail. */
  inputMw: (number | null)[];
  /** Sum of connected rails, mW. */
  railSumMw: (number | null)[];
  /** mW per rail name. */
  rails: Record<string, (number | null)[]>;
  /** Mean load of the online CPU cores, %. */
  cpuLoad: (number | null)[];
  /** First GPU's load, %. */
  gpuLoad: (number | null)[];
  /** First GPU's first clock, MHz. */
  gpuMhz: (number | null)[];
  emcLoad: (number | null)[];
  ramUsedMb: (number | null)[];
  /** °C per sensor name. */
  temps: Record<string, (number | null)[]>;
}

export function emptyColumns(seq0 = 0): SampleColumns {
  return { seq0, t: [], inputMw: [], railSumMw: [], rails: {}, cpuLoad: [], gpuLoad: [], gpuMhz: [], emcLoad: [], ramUsedMb: [], temps: {} };
}

export function meanCpuLoad(sample: Sample): number | null {
  let sum = 0;
  let online = 0;
  for (const core of sample.cpu) {
    if (core === null) continue;
    sum += core.load;
    online += 1;
  }
  return online === 0 ? null : sum / online;
}

/** Appends one sample; `t` overrides the sample's own time (recordings store time since start). */
export function appendSample(columns: SampleColumns, sample: Sample, t = sample.t): void {
  const index = columns.t.length;
  columns.t.push(t);
  columns.inputMw.push(sample.inputMw);
  columns.railSumMw.push(sample.railSumMw);
  columns.cpuLoad.push(meanCpuLoad(sample));
  const gpu = sample.gpu[0];
  columns.gpuLoad.push(gpu === undefined ? null : gpu.load);
  columns.gpuMhz.push(gpu?.mhz[0] ?? null);
  columns.emcLoad.push(sample.emc === null ? null : sample.emc.load);
  columns.ramUsedMb.push(sample.ram === null ? null : sample.ram.usedMb);
  appendKeyed(columns.rails, index, sample.rails, (rail) => rail.mw);
  appendKeyed(columns.temps, index, sample.temps, (celsius) => celsius);
}

function appendKeyed<V>(target: Record<string, (number | null)[]>, index: number, values: Record<string, V>, pick: (value: V) => number | null): void {
  for (const name in values) {
    let column = target[name];
    if (column === undefined) {
      column = new Array<number | null>(index).fill(null);
      target[name] = column;
    }
    column.push(pick(values[name] as V));
  }
  for (const name in target) {
    const column = target[name] as (number | null)[];
    if (column.length === index) column.push(null);
  }
}

export function columnsOf(samples: readonly Sample[]): SampleColumns {
  const columns = emptyColumns(samples[0]?.seq ?? 0);
  for (const sample of samples) appendSample(columns, sample);
  return columns;
}
