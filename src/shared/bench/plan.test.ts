import { describe, expect, it } from 'vitest';
import { estimatePlan, expandBoard, expandPlan, type BenchPlan } from './plan.ts';

const plan: BenchPlan = {
  boards: ['a', 'b'],
  frameworks: ['numpy', 'torch'],
  suites: ['gemm', 'mnist-train'],
  batchSizes: [32, 64],
  powerModes: [
    { nvpmodel: 0, jetsonClocks: true },
    { nvpmodel: 1, jetsonClocks: false },
  ],
  repeats: 3,
  epochs: 2,
  seconds: 4,
  trainLimit: 6000,
};

describe('expandPlan', () => {
  it('crosses every factor: 2 boards × 2 frameworks × 2 suites × 2 batches × 2 modes × 3 repeats', () => {
    const runs = expandPlan(plan);
    expect(runs).toHaveLength(96);
    expect(new Set(runs.map((run) => run.condition)).size).toBe(32);
    expect(runs.filter((run) => run.board === 'b').map((run) => run.index)).toEqual([...Array(48).keys()]);
  });

  it('keeps a power mode together and interleaves repeats across conditions', () => {
    const runs = expandBoard(plan, 'a');
    expect(runs.slice(0, 24).every((run) => run.powerMode.nvpmodel === 0)).toBe(true);
    expect(runs.slice(0, 8).every((run) => run.repeat === 1)).toBe(true);
    expect(runs[8]?.repeat).toBe(2);
    expect(runs[0]?.condition).toBe('a | gemm | numpy | batch 32 | nvpmodel 0 + jetson_clocks');
  });

  it('defaults to one batch and the current power mode', () => {
    const runs = expandPlan({ ...plan, boards: ['a'], batchSizes: [], powerModes: [], repeats: 1 });
    expect(runs.map((run) => run.condition)).toContain('a | gemm | numpy | default batch | current mode');
    expect(runs).toHaveLength(4);
  });
});

describe('estimatePlan', () => {
  it('adds run times per board and takes the longest board (boards run in parallel)', () => {
    const estimate = estimatePlan(plan);
    // Per board: 24 gemm runs × (3 + 4) s + 24 mnist runs × (5 + 2 epochs × 8.5 s × 0.1) s + 2 mode switches × 5 s.
    const board = 24 * 7 + 24 * (5 + 1.7) + 10;
    expect(estimate.perBoard.a?.runs).toBe(48);
    expect(estimate.perBoard.a?.seconds).toBeCloseTo(board, 9);
    expect(estimate.runs).toBe(96);
    expect(estimate.seconds).toBeCloseTo(board, 9);
  });
});
