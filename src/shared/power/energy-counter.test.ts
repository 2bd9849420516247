import { describe, expect, it } from 'vitest';
import { EnergyCounter } from './energy.ts';
import { maxGapFor } from './gaps.ts';

describe('EnergyCounter', () => {
  it('integrates with the trapezoid rule across batches', () => {
    const counter = new EnergyCounter(maxGapFor(0.5));
    counter.add([0, 0.5, 1], [4000, 4000, 6000]);
    counter.add([1.5, 2], [6000, 4000]);
    // 0.5 s × (4 + 4 + 5 + 6 + 5)/… : 2 + 2.5 + 3 + 2.5 = 10 J over 2 s
    expect(counter.joules).toBeCloseTo(10, 9);
    expect(counter.coveredS).toBeCloseTo(2, 9);
    expect(counter.averageW).toBeCloseTo(5, 9);
    expect(counter.peakW).toBe(6);
  });

  it('does not guess the energy of a gap or of a missing reading', () => {
    const counter = new EnergyCounter(maxGapFor(0.5)); // 1.75 s
    counter.add([0, 0.5], [2000, 2000]);
    counter.add([10, 10.5], [2000, 2000]); // 9.5 s without samples
    counter.add([11, 11.5], [null, 2000]);
    expect(counter.gaps).toBe(3);
    expect(counter.joules).toBeCloseTo(2, 9);
    expect(counter.coveredS).toBeCloseTo(1, 9);
  });

  it('ignores a repeated sample', () => {
    const counter = new EnergyCounter(2);
    counter.add([0, 1], [1000, 1000]);
    counter.add([1, 2], [1000, 1000]);
    expect(counter.joules).toBeCloseTo(2, 9);
  });
});
