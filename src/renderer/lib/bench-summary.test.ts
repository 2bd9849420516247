import { describe, expect, it } from 'vitest';
import { sampleBenchRun } from '../testing/fake-bench.ts';
import { shortConditionLabels, shortConditionOf, summarizeRuns, type StoredBenchRun } from './bench-summary.ts';

/** A run as the runner stores it (src/main/bench/runner.ts paramsOf, bench-run.ts metricsOf). */
function storedRun(condition: string, params: Record<string, unknown>, metrics: Record<string, unknown>, status = 'done'): StoredBenchRun {
  return { board: 'demo-1', status, params: { planId: 'p', condition, ...params }, metrics };
}

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

  it('summarizes average power, energy per sample and p50 latency, and reads the condition’s parts', () => {
    const condition = 'demo-2 | cnn-infer | torch | batch 8 | nvpmodel 0 + jetson_clocks';
    const params = {
      suite: 'cnn-infer',
      framework: 'torch',
      batch: 8,
      powerMode: { nvpmodel: 0, jetsonClocks: true },
      boardLabel: 'agx-orin-2',
    };
    const rows = summarizeRuns(
      [1, 2, 3].map((repeat) =>
        storedRun(
          condition,
          { ...params, repeat },
          {
            throughput: 100 * repeat,
            throughputUnit: 'images/s',
            latencyMs: { p50: 2 * repeat, p90: 3 * repeat, p99: 4 * repeat, mean: 2.5 * repeat },
            energy: { joules: 30 * repeat, averageW: 9 + repeat, jPerSample: 0.01 * repeat },
          },
        ),
      ),
    );
    const row = rows[0];
    expect(row?.averageW?.median).toBe(11);
    expect(row?.jPerSample?.median).toBeCloseTo(0.02);
    expect(row?.latencyP50Ms?.median).toBe(4);
    expect(row?.latencyP50Ms?.n).toBe(3);
    expect(row?.parts).toEqual({
      board: 'agx-orin-2',
      suite: 'cnn-infer',
      framework: 'torch',
      batch: 8,
      powerMode: { nvpmodel: 0, jetsonClocks: true },
      powerModeLabel: 'nvpmodel 0 + jetson_clocks',
    });
  });

  it('leaves a metric null when no finished run has it, and takes the board label from any run that has one', () => {
    const condition = 'pi@127.0.0.1:22 | mnist-train | numpy | default batch | current mode';
    const params = { suite: 'mnist-train', framework: 'numpy', batch: null, powerMode: { nvpmodel: null, jetsonClocks: false } };
    const rows = summarizeRuns([
      { ...storedRun(condition, params, { reason: 'unreachable' }, 'failed'), board: 'pi@127.0.0.1:22' },
      // mnist-train has no latency, and an energy without a sample count has no J/sample.
      {
        ...storedRun(
          condition,
          { ...params, boardLabel: 'pi-lab' },
          { throughput: 50, throughputUnit: null, energy: { joules: 5, averageW: 4, jPerSample: null } },
        ),
        board: 'pi@127.0.0.1:22',
      },
    ]);
    const row = rows[0];
    expect(row?.parts.board).toBe('pi-lab'); // the failed run (first) has no label; the finished one does
    expect(row?.parts.powerModeLabel).toBe('current mode');
    expect(row?.parts.batch).toBeNull();
    expect(row?.latencyP50Ms).toBeNull();
    expect(row?.jPerSample).toBeNull();
    expect(row?.averageW?.median).toBe(4);
    expect(row?.throughputUnit).toBe('items/s'); // a null unit is not the string "null"
    expect(row?.failed).toBe(1);
  });

  it('names a board that never answered by its key', () => {
    const rows = summarizeRuns([{ ...storedRun('c', { suite: 'gemm' }, { reason: 'unreachable' }, 'failed'), board: 'pi@127.0.0.1:22' }]);
    expect(rows[0]?.parts).toMatchObject({ board: 'pi@127.0.0.1:22', suite: 'gemm', framework: '' });
    expect(rows[0]?.throughput).toBeNull();
  });
});

describe('shortConditionLabels', () => {
  const params = {
    suite: 'mnist-train',
    framework: 'numpy',
    batch: null,
    powerMode: { nvpmodel: null, jetsonClocks: false },
    boardLabel: 'nano-1',
  };

  it('names each condition by what differs, and by suite and framework when nothing does', () => {
    const one = summarizeRuns([storedRun('a', params, {})]);
    expect([...shortConditionLabels(one).values()]).toEqual(['mnist-train · numpy']);

    const two = summarizeRuns([
      storedRun('a', params, {}),
      storedRun('b', { ...params, framework: 'torch', powerMode: { nvpmodel: 0, jetsonClocks: true } }, {}),
    ]);
    const labels = shortConditionLabels(two);
    expect(labels.get('a')).toBe(`numpy · ${two[0]?.parts.powerModeLabel}`);
    expect(labels.get('b')).toBe(`torch · ${two[1]?.parts.powerModeLabel}`);
    expect(two[0]?.parts.powerModeLabel).not.toBe(two[1]?.parts.powerModeLabel);
  });
});

describe('shortConditionOf', () => {
  const key = 'demo-1 | cnn-infer | torch | batch 64 | nvpmodel 0 + jetson_clocks';
  const plan = { targets: [1], suites: ['cnn-infer'], frameworks: ['torch'], batchSizes: [64], powerModes: [{}] };

  it('keeps what the plan varies, suite and framework when it varies nothing', () => {
    expect(shortConditionOf(key, plan)).toBe('cnn-infer · torch');
    expect(shortConditionOf(key, { ...plan, batchSizes: [32, 64], powerModes: [{}, {}] })).toBe('batch 64 · nvpmodel 0 + jetson_clocks');
    expect(shortConditionOf('not a key', plan)).toBe('not a key');
  });
});
