/**
 * Energy from power samples: the trapezoid rule over the samples' real
 * timestamps. An interval longer than `maxGapS` is a gap: it is counted and
 * reported, and its energy is NOT guessed (a bridged gap would invent joules
 * the board may or may not have spent). Non-finite readings also break the trace.
 */
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

/** `t` in seconds, `mw` in milliwatts (null/NaN = no reading); returns joules. */
export function integrateEnergy(t: ArrayLike<number>, mw: ArrayLike<number | null>, options: EnergyOptions): EnergyResult {
  const from = options.fromT ?? Number.NEGATIVE_INFINITY;
  const to = options.toT ?? Number.POSITIVE_INFINITY;
  const result: EnergyResult = { joules: 0, coveredS: 0, spanS: 0, averageW: null, peakW: null, gaps: [], gapS: 0, samples: 0 };
  let millijoules = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  const count = Math.min(t.length, mw.length);
  for (let index = 0; index < count; index += 1) {
    const time = t[index] as number;
    const value = mw[index] ?? Number.NaN;
    if (time >= from && time <= to) {
      result.samples += 1;
      if (Number.isFinite(value) && (result.peakW === null || value / 1000 > result.peakW)) result.peakW = value / 1000;
      if (Number.isNaN(first)) first = time;
      last = time;
    }
    if (index === 0) continue;
    const previousTime = t[index - 1] as number;
    const previous = mw[index - 1] ?? Number.NaN;
    const start = Math.max(previousTime, from);
    const end = Math.min(time, to);
    if (!(end > start)) continue;
    const interval = time - previousTime;
    if (!(interval <= options.maxGapS) || !Number.isFinite(value) || !Number.isFinite(previous)) {
      result.gaps.push({ fromT: start, toT: end });
      result.gapS += end - start;
      continue;
    }
    const slope = (value - previous) / interval;
    const startValue = previous + slope * (start - previousTime);
    const endValue = previous + slope * (end - previousTime);
    millijoules += ((startValue + endValue) / 2) * (end - start);
    result.coveredS += end - start;
  }
  result.joules = millijoules / 1000;
  result.spanS = Number.isNaN(first) ? 0 : last - first;
  result.averageW = result.coveredS > 0 ? result.joules / result.coveredS : null;
  return result;
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
  const hasInput = Array.from(series.inputMw).some((value) => value !== null && Number.isFinite(value));
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
