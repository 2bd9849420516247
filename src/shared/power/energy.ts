/**
 * Energy from power samples: the trapezoid rule over the samples' real
 * timestamps. An interval longer than `maxGapS` is a gap: it is counted and
 * reported, and its energy is NOT guessed (a bridged gap would invent joules
 * the board may or may not have spent). A reading outside the plausibility
 * rule (src/shared/power/plausible.ts) is no reading and breaks the trace too,
 * and a sample at a time that is not a time is skipped: whatever the input,
 * every figure here is finite.
 */
import { isPlausibleMw, isPlausibleSeconds, plausibleMw } from './plausible.ts';

export interface EnergyGap {
  fromT: number;
  toT: number;
}

export interface EnergyResult {
  joules: number;
  /** Seconds covered by integrated intervals (gaps excluded). */
  coveredS: number;
  /** Seconds from the first to the last sample in range. */
  spanS: number;
  /** joules / coveredS, W; null when nothing was covered. */
  averageW: number | null;
  /** Highest reading in range, W; null without readings. */
  peakW: number | null;
  gaps: EnergyGap[];
  gapS: number;
  samples: number;
}

export interface EnergyOptions {
  /** Longest interval still integrated, s. */
  maxGapS: number;
  /** Integrate only within [fromT, toT] (values at the bounds are interpolated). */
  fromT?: number;
  toT?: number;
}

/** `t` in seconds, `mw` in milliwatts (null, NaN or implausible = no reading); returns joules. */
export function integrateEnergy(t: ArrayLike<number>, mw: ArrayLike<number | null>, options: EnergyOptions): EnergyResult {
  const from = options.fromT ?? Number.NEGATIVE_INFINITY;
  const to = options.toT ?? Number.POSITIVE_INFINITY;
  const result: EnergyResult = {
    joules: 0,
    coveredS: 0,
    spanS: 0,
    averageW: null,
    peakW: null,
    gaps: [],
    gapS: 0,
    samples: 0,
  };
  let millijoules = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  let previousTime = Number.NaN;
  let previous = Number.NaN;
  const count = Math.min(t.length, mw.length);
  for (let index = 0; index < count; index += 1) {
    const time = t[index];
    if (!isPlausibleSeconds(time)) continue;
    const value = plausibleMw(mw[index]);
    if (time >= from && time <= to) {
      result.samples += 1;
      if (!Number.isNaN(value) && (result.peakW === null || value / 1000 > result.peakW)) result.peakW = value / 1000;
      if (Number.isNaN(first)) first = time;
      last = time;
    }
    const before = previousTime;
    const beforeValue = previous;
    previousTime = time;
    previous = value;
    if (Number.isNaN(before)) continue;
    const start = Math.max(before, from);
    const end = Math.min(time, to);
    if (!(end > start)) continue;
    const interval = time - before;
    if (!(interval <= options.maxGapS) || Number.isNaN(value) || Number.isNaN(beforeValue)) {
      result.gaps.push({ fromT: start, toT: end });
      result.gapS += end - start;
      continue;
    }
    const slope = (value - beforeValue) / interval;
    const startValue = beforeValue + slope * (start - before);
    const endValue = beforeValue + slope * (end - before);
    millijoules += ((startValue + endValue) / 2) * (end - start);
    result.coveredS += end - start;
  }
  result.joules = millijoules / 1000;
  result.spanS = Number.isNaN(first) ? 0 : last - first;
  result.averageW = result.coveredS > 0 ? result.joules / result.coveredS : null;
  return result;
}

/** Fewer samples than this in a window: too short a run for its sampling rate. */
export const minSamplesForEnergy = 20;
/** The integral of every other sample further than this from the full one (%): too bursty a load for the rate. */
const burstyPct = 1;

/**
 * Why an integral may be off for its sampling rate, in words; null when the rate was enough. Too short:
 * fewer than 20 samples. Too bursty: dropping every other sample moves the integral by more than 1 %,
 * so the power changes on the samples' own time scale and a faster rate would change the figure. (On a
 * 2 s-period square-wave load, 1 Hz sampling is 15–50 % off and 100 Hz under 0.15 %: issue 11. The
 * agent applies the same rule, resources/agent/jwb_agent/energy.py.) A hardware counter needs neither.
 */
export function samplingWarning(t: ArrayLike<number>, mw: ArrayLike<number | null>, options: EnergyOptions): string | null {
  const full = integrateEnergy(t, mw, options);
  if (full.samples < minSamplesForEnergy) {
    return `too short for its sampling rate: ${full.samples} samples (at least ${minSamplesForEnergy} are needed)`;
  }
  const everyOther = (values: ArrayLike<number | null>) => Array.from(values).filter((_, index) => index % 2 === 0);
  const half = integrateEnergy(everyOther(t as ArrayLike<number | null>) as number[], everyOther(mw), {
    ...options,
    maxGapS: options.maxGapS * 2,
  });
  const spread = full.joules === 0 ? 0 : (Math.abs(full.joules - half.joules) / Math.abs(full.joules)) * 100;
  return spread > burstyPct
    ? `too bursty for its sampling rate: at half the rate the energy moves by ${spread.toFixed(1)} %; sample faster`
    : null;
}

export interface RailEnergy {
  joules: number;
  averageW: number | null;
  peakW: number | null;
}

export interface EnergySummary {
  fromT: number;
  toT: number;
  /** The module input (or null when the board has no input rail). */
  input: RailEnergy | null;
  rails: Record<string, RailEnergy>;
  coveredS: number;
  gaps: EnergyGap[];
  gapS: number;
}

/** Per-rail energy, average and peak W between two times (e.g. two markers). */
export function summarizeEnergy(
  t: ArrayLike<number>,
  series: { inputMw: ArrayLike<number | null>; rails: Record<string, ArrayLike<number | null>> },
  options: EnergyOptions,
): EnergySummary {
  const fromT = options.fromT ?? (t.length > 0 ? (t[0] as number) : 0);
  const toT = options.toT ?? (t.length > 0 ? (t[t.length - 1] as number) : 0);
  const bounded = { ...options, fromT, toT };
  const pick = (result: EnergyResult): RailEnergy => ({ joules: result.joules, averageW: result.averageW, peakW: result.peakW });
  const rails: Record<string, RailEnergy> = {};
  let reference: EnergyResult | null = null;
  for (const [name, values] of Object.entries(series.rails)) {
    const result = integrateEnergy(t, values, bounded);
    rails[name] = pick(result);
    reference ??= result;
  }
  const hasInput = Array.from(series.inputMw).some(isPlausibleMw);
  const input = hasInput ? integrateEnergy(t, series.inputMw, bounded) : null;
  const coverage = input ?? reference;
  return {
    fromT,
    toT,
    input: input && pick(input),
    rails,
    coveredS: coverage?.coveredS ?? 0,
    gaps: coverage?.gaps ?? [],
    gapS: coverage?.gapS ?? 0,
  };
}

/**
 * The running energy of a live view: joules integrated from batches as they arrive, with the same rule
 * as `integrateEnergy` (trapezoid over the samples' own times; a step longer than `maxGapS`, or a missing
 * reading, is a gap whose energy is not guessed). A recording's summary, computed from the stored
 * samples, replaces this figure when the recording stops.
 */
export class EnergyCounter {
  joules = 0;
  /** Seconds integrated (gaps excluded): the denominator of the average. */
  coveredS = 0;
  gaps = 0;
  peakW: number | null = null;
  readonly #maxGapS: number;
  #lastT: number | undefined;
  #lastW: number | null = null;

  constructor(maxGapS: number) {
    this.#maxGapS = maxGapS;
  }

  /** Adds samples: times in seconds, power in milliwatts (null or implausible: no reading; an implausible time: skipped). */
  add(t: readonly number[], mw: readonly (number | null)[]): void {
    for (let index = 0; index < t.length; index += 1) {
      const time = t[index];
      const reading = mw[index];
      const watts = isPlausibleMw(reading) ? reading / 1000 : null;
      if (!isPlausibleSeconds(time) || (this.#lastT !== undefined && !(time > this.#lastT))) continue;
      if (this.#lastT !== undefined) this.#integrate(time - this.#lastT, watts);
      if (watts !== null && (this.peakW === null || watts > this.peakW)) this.peakW = watts;
      this.#lastT = time;
      this.#lastW = watts;
    }
  }

  /** Watts over the covered time, or null before any. */
  get averageW(): number | null {
    return this.coveredS > 0 ? this.joules / this.coveredS : null;
  }

  #integrate(step: number, watts: number | null): void {
    if (step > this.#maxGapS || watts === null || this.#lastW === null) {
      this.gaps += 1;
      return;
    }
    this.joules += ((watts + this.#lastW) / 2) * step;
    this.coveredS += step;
  }
}
