import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, medianInterval, minimumRepeatsFor, quantile, summarize } from './stats.ts';

describe('binomialHalfCdf', () => {
  it('matches exact binomial sums', () => {
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(10, 2)).toBeCloseTo(56 / 1024, 12);
    expect(binomialHalfCdf(5, 0)).toBeCloseTo(1 / 32, 12);
    expect(binomialHalfCdf(4, 4)).toBe(1);
  });
});

describe('medianInterval (order statistics)', () => {
  const ranks = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

  it('needs n ≥ 6 for 95 %: n = 5 has none, n = 6 is the range at 96.875 %', () => {
    expect(minimumRepeatsFor(0.95)).toBe(6);
    expect(medianInterval(ranks(5))).toBeNull();
    expect(medianInterval(ranks(6))).toEqual({ low: 1, high: 6, coverage: 0.96875, lowRank: 1, highRank: 6 });
  });

  it('gives the textbook ranks: n = 10 → x(2)…x(9) at 97.85 %, n = 20 → x(6)…x(15) at 95.86 %', () => {
    const ten = medianInterval(ranks(10));
    expect([ten?.lowRank, ten?.highRank]).toEqual([2, 9]);
    expect(ten?.coverage).toBeCloseTo(1 - 22 / 1024, 10);
    const twenty = medianInterval(ranks(20).map((rank) => rank * 10));
    expect([twenty?.low, twenty?.high]).toEqual([60, 150]);
    expect(twenty?.coverage).toBeCloseTo(0.9586, 4);
  });
});

describe('summarize', () => {
  it('computes median, type-7 quartiles and flags (not drops) outliers beyond 1.5 IQR', () => {
    const values = [10, 11, 12, 10.5, 11.5, 30, 10.8, 11.2];
    const summary = summarize(values);
    expect(summary?.n).toBe(8);
    expect(summary?.median).toBeCloseTo(11.1, 10);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 10);
    expect(summary?.outliers).toEqual([5]);
    expect(summary?.max).toBe(30);
    expect(summary?.ci).toMatchObject({ low: 10, high: 30, lowRank: 1, highRank: 8 });
  });

  it('says why there is no CI for three repeats, and skips non-finite values', () => {
    const summary = summarize([3, Number.NaN, 1, 2]);
    expect(summary).toMatchObject({ n: 3, median: 2, ci: null });
    expect(summary?.ciNote).toMatch(/at least 6 repeats \(n = 3\)/);
    expect(summarize([])).toBeNull();
  });
});
