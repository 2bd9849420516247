/**
 * Statistics over a condition's repeats: the median with a distribution-free
 * confidence interval, and outliers flagged (never dropped). Pure.
 *
 * The interval is the order-statistic (binomial, "sign test") interval for the
 * median: [x(k), x(n−k+1)] where k is the largest rank with
 * 2·P(Binomial(n, ½) ≤ k−1) ≤ α. It assumes only independent repeats of one
 * continuous quantity. Its coverage is at least 1 − α and jumps with n; the
 * smallest n that allows 95 % is 6 (k = 1, the range, 96.9 %): with n ≤ 5 no
 * 95 % interval exists, and `ci` is null with the reason.
 */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** The exact coverage of this order-statistic interval, e.g. 0.9785 for n = 10. */
  coverage: number;
  /** Ranks (1-based) of the bounds in the sorted values. */
  lowRank: number;
  highRank: number;
}

export interface Summary {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** 95 % CI of the median, or null when n is too small (`ciNote` says why). */
  ci: ConfidenceInterval | null;
  ciNote: string | null;
  /** Indices (into the input) of values beyond 1.5 IQR from the quartiles: flagged for a person to look at, still counted. */
  outliers: number[];
}

/** P(X ≤ k) for X ~ Binomial(n, ½), exact for the n of a benchmark (≤ 1000). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  // Sum in log space: 2^-n overflows nothing this way even for large n.
  let logTerm = -n * Math.LN2; // log C(n,0) · ½^n
  let total = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log((n - i + 1) / i);
    total += Math.exp(logTerm);
  }
  return Math.min(total, 1);
}

/** The order-statistic CI of the median for sorted values, or null when n cannot reach `level`. */
export function medianInterval(sorted: readonly number[], level = 0.95): ConfidenceInterval | null {
  const n = sorted.length;
  const alpha = 1 - level;
  let rank = 0;
  for (let k = 1; k <= Math.floor((n + 1) / 2); k += 1) {
    if (2 * binomialHalfCdf(n, k - 1) <= alpha) rank = k;
    else break;
  }
  if (rank === 0) return null;
  return {
    low: sorted[rank - 1] as number,
    high: sorted[n - rank] as number,
    coverage: 1 - 2 * binomialHalfCdf(n, rank - 1),
    lowRank: rank,
    highRank: n - rank + 1,
  };
}

/** The smallest number of repeats whose order-statistic interval reaches `level`. */
export function minimumRepeatsFor(level = 0.95): number {
  let n = 1;
  while (2 * binomialHalfCdf(n, 0) > 1 - level) n += 1;
  return n;
}

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

export function summarize(values: readonly number[], level = 0.95): Summary | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const n = sorted.length;
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  const ci = medianInterval(sorted, level);
  const needed = minimumRepeatsFor(level);
  return {
    n,
    median: quantile(sorted, 0.5),
    mean: sorted.reduce((sum, value) => sum + value, 0) / n,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    q1,
    q3,
    ci,
    ciNote: ci === null ? `${Math.round(level * 100)} % CI of the median needs at least ${needed} repeats (n = ${n})` : null,
    outliers: n < 4 ? [] : values.flatMap((value, index) => (value < q1 - fence || value > q3 + fence ? [index] : [])),
  };
}
