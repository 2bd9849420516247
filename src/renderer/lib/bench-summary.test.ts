import { describe, expect, it } from 'vitest';
import { sampleBenchRun } from '../testing/fake-bench.ts';
import { summarizeRuns } from './bench-summary.ts';

describe('summarizeRuns', () => {
  it('groups repeats by condition in plan order and summarizes only the runs that finished', () => {
    const a = 'demo-1 | mnist-train | numpy | default batch | current mode';
    const b = 'demo-1 | gemm | numpy | default batch | current mode';
    const failed = { ...sampleBenchRun('p', a, 3, 0.1, 1), status: 'failed', metrics: { reason: 'exit 5' } };
    const rows = summarizeRuns([
      sampleBenchRun('p', a, 1, 0.8, 100),
      sampleBenchRun('p', b, 1, 0, 7),
      sampleBenchRun('p', a, 2, 0.9, 300),
      failed,
    ]);
    expect(rows.map((row) => row.condition)).toEqual([a, b]);
    const first = rows[0];
    expect(first?.runs).toBe(3);
    expect(first?.failed).toBe(1);
    expect(first?.accuracy?.median).toBeCloseTo(0.85);
    expect(first?.throughput?.median).toBe(200);
    expect(first?.throughputUnit).toBe('images/s');
    expect(first?.joules?.median).toBe(11.5); // energy.joules: 11 and 12
    expect(first?.accuracy?.ci).toBeNull(); // two repeats are too few for a 95 % interval
  });

  it('gives a confidence interval once there are six repeats', () => {
    const condition = 'c';
    const rows = summarizeRuns([1, 2, 3, 4, 5, 6].map((repeat) => sampleBenchRun('p', condition, repeat, 0.8, repeat * 10)));
    expect(rows[0]?.throughput?.ci).toMatchObject({ low: 10, high: 60 });
  });
});
