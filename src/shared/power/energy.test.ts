import { describe, expect, it } from 'vitest';
import { integrateEnergy, summarizeEnergy } from './energy.ts';

function trace(seconds: number, step: number, power: (t: number) => number, jitter = 0): { t: number[]; mw: number[] } {
  let seed = 7;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const count = Math.round(seconds / step);
  const t = Array.from({ length: count + 1 }, (_, index) =>
    index === 0 || index === count ? index * step : index * step + (random() - 0.5) * jitter,
  );
  return { t, mw: t.map(power) };
}

describe('integrateEnergy', () => {
  it('integrates a constant, a ramp and a jittered ramp exactly (trapezoid is exact for linear power)', () => {
    const constant = trace(10, 0.1, () => 5000);
    expect(integrateEnergy(constant.t, constant.mw, { maxGapS: 1 }).joules).toBeCloseTo(50, 6);
    const ramp = trace(10, 0.1, (t) => 1000 + 1000 * t, 0.05);
    // ∫0..10 (1 + t) W dt = 10 + 50 = 60 J
    expect(integrateEnergy(ramp.t, ramp.mw, { maxGapS: 1 }).joules).toBeCloseTo(60, 6);
  });

  it('integrates a step within 0.5 % at 10 Hz', () => {
    const step = trace(20, 0.1, (t) => (t < 10 ? 2000 : 8000));
    const result = integrateEnergy(step.t, step.mw, { maxGapS: 1 });
    expect(Math.abs(result.joules - 100) / 100).toBeLessThan(0.005);
    expect(result.peakW).toBe(8);
  });

  it('reports gaps and never bridges them', () => {
    const t = [0, 1, 2, 10, 11];
    const mw = [1000, 1000, 1000, 1000, 1000];
    const result = integrateEnergy(t, mw, { maxGapS: 2 });
    expect(result.joules).toBeCloseTo(3, 9);
    expect(result.gaps).toEqual([{ fromT: 2, toT: 10 }]);
    expect(result.gapS).toBe(8);
    expect(result.coveredS).toBe(3);
    expect(result.averageW).toBeCloseTo(1, 9);
  });

  it('treats a missing reading as a gap and clips to markers with interpolation', () => {
    expect(integrateEnergy([0, 1, 2], [1000, null, 1000], { maxGapS: 5 }).gaps.length).toBe(2);
    const ramp = integrateEnergy([0, 10], [0, 10000], { maxGapS: 20, fromT: 2, toT: 4 });
    // ∫2..4 t W dt = (16 − 4) / 2 = 6 J
    expect(ramp.joules).toBeCloseTo(6, 9);
  });
});

describe('summarizeEnergy', () => {
  it('gives per-rail joules, average and peak between markers, and no input when the board has none', () => {
    const t = [0, 1, 2, 3, 4];
    const summary = summarizeEnergy(
      t,
      { inputMw: [null, null, null, null, null], rails: { GPU: [1000, 1000, 3000, 3000, 3000], CPU: [500, 500, 500, 500, 500] } },
      { maxGapS: 2, fromT: 1, toT: 3 },
    );
    expect(summary.input).toBeNull();
    expect(summary.rails.GPU!.joules).toBeCloseTo(2 + 3, 9);
    expect(summary.rails.GPU!.peakW).toBe(3);
    expect(summary.rails.CPU!.averageW).toBeCloseTo(0.5, 9);
  });
});
