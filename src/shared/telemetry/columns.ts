/**
 * Samples as columns: the shape batched to the renderer (one event carries
 * many samples, ≤ 10 events a second) and stored per recording. A rail or
 * sensor missing from a sample is null in its column, so columns stay aligned
 * with `t` (the chart uses `parsing: false` and wants plain arrays); so is a
 * reading that is not a finite number (JSON, the store's and the wire's
 * format, has no NaN or Infinity).
 */
import { summarizeEnergy, type EnergySummary } from '../power/energy.ts';
import { meanCpuLoad, type Sample } from './sample.ts';

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

/** A value as a column holds it: NaN (a sample's "no reading") and anything not finite become null. */
function reading(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

export function emptyColumns(seq0 = 0): SampleColumns {
  return {
    seq0,
    t: [],
    inputMw: [],
    railSumMw: [],
    rails: {},
    cpuLoad: [],
    gpuLoad: [],
    gpuMhz: [],
    emcLoad: [],
    ramUsedMb: [],
    temps: {},
  };
}

/** Appends one sample; `t` overrides the sample's own time (recordings store time since start). */
export function appendSample(columns: SampleColumns, sample: Sample, t = sample.t): void {
  const index = columns.t.length;
  columns.t.push(t);
  columns.inputMw.push(reading(sample.inputMw));
  columns.railSumMw.push(reading(sample.railSumMw));
  columns.cpuLoad.push(reading(meanCpuLoad(sample)));
  const gpu = sample.gpu[0];
  columns.gpuLoad.push(reading(gpu?.load));
  columns.gpuMhz.push(reading(gpu?.mhz[0]));
  columns.emcLoad.push(reading(sample.emcLoad));
  columns.ramUsedMb.push(reading(sample.ramUsedMb));
  appendKeyed(columns.rails, index, sample.railNames, sample.railMw);
  appendKeyed(columns.temps, index, sample.tempNames, sample.tempC);
}

function appendKeyed(
  target: Record<string, (number | null)[]>,
  index: number,
  names: readonly string[],
  values: readonly (number | null)[],
): void {
  for (let position = 0; position < names.length; position += 1) {
    const name = names[position] as string;
    let column = target[name];
    if (column === undefined) {
      column = new Array<number | null>(index).fill(null);
      target[name] = column;
    }
    // A name printed twice in one line keeps its first value (columns stay aligned with `t`).
    if (column.length === index) column.push(reading(values[position]));
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

/** Energy of columns between two of their times (all of them when left out): a recording's, by the one integrator. */
export function recordingEnergy(columns: SampleColumns, maxGapS: number, fromT?: number, toT?: number): EnergySummary {
  return summarizeEnergy(columns.t, { inputMw: columns.inputMw, rails: columns.rails }, { maxGapS, fromT, toT });
}
