import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../results.ts';
import { readBenchRun, type BenchRun } from './results.ts';
import { shortConditionLabels, summarizeConditions } from './summary.ts';

/** A run as the runner stores it (src/main/bench/runner.ts paramsOf, bench-run.ts metricsOf), read back as the core reads it. */
function storedRun(
  condition: string,
  params: Record<string, unknown>,
  metrics: Record<string, unknown>,
  status: RunStatus = 'done',
): BenchRun {
  return readBenchRun({
    id: condition,
    board: 'sim-1',
    title: 't',
    status,
    startedAt: 0,
    finishedAt: 1,
    params: { planId: 'p', condition, ...params },
    metrics,
  });
}

function sampleBenchRun(condition: string, repeat: number, accuracy: number, throughput: number): BenchRun {
  return storedRun(
    condition,
    { repeat, suite: 'mnist-train', framework: 'numpy', board: { key: 'sim-1', label: 'orin-nano-1', simulated: true } },
    { accuracy, throughput, throughputUnit: 'images/s', energy: { joules: 10 + repeat, method: 'integral', source: 'hwmon', hz: 100 } },
  );
}

describe('summarizeConditions', () => {
  it('groups repeats by condition in plan order and summarizes only the runs that finished', () => {
    const a = 'sim-1 | mnist-train | numpy | default batch | current mode';
    const b = 'sim-1 | gemm | numpy | default batch | current mode';
    const failed = storedRun(a, { repeat: 3 }, { reason: 'exit 5' }, 'failed');
    const rows = summarizeConditions([sampleBenchRun(a, 1, 0.8, 100), sampleBenchRun(b, 1, 0, 7), sampleBenchRun(a, 2, 0.9, 300), failed]);
    expect(rows.map((row) => row.condition)).toEqual([a, b]);
    const first = rows[0];
    expect(first?.runs).toBe(3);
    expect(first?.failed).toBe(1);
    expect(first?.accuracy?.median).toBeCloseTo(0.85);
    expect(first?.throughput?.median).toBe(200);
    expect(first?.throughputUnit).toBe('images/s');
    expect(first?.joules?.median).toBe(11.5); // energy.joules: 11 and 12
    expect(first?.energy).toEqual({ method: 'integral', source: 'hwmon', hz: 100, warning: null });
    expect(first?.accuracy?.ci).toBeNull(); // two repeats are too few for a 95 % interval
  });

  it('gives a confidence interval once there are six repeats', () => {
    const condition = 'c';
    const rows = summarizeConditions([1, 2, 3, 4, 5, 6].map((repeat) => sampleBenchRun(condition, repeat, 0.8, repeat * 10)));
    expect(rows[0]?.throughput?.ci).toMatchObject({ low: 10, high: 60 });
  });

  it('summarizes average power, energy per sample and p50 latency, and reads the condition’s parts', () => {
    const condition = 'sim-2 | cnn-infer | torch | batch 8 | nvpmodel 0 + jetson_clocks';
    const params = {
      suite: 'cnn-infer',
      framework: 'torch',
      batch: 8,
      powerMode: { nvpmodel: 0, jetsonClocks: true },
      board: { key: 'sim-2', label: 'agx-orin-2', simulated: true },
    };
    const rows = summarizeConditions(
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
      board: { key: 'sim-2', label: 'agx-orin-2', simulated: true },
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
    const rows = summarizeConditions([
      { ...storedRun(condition, params, { reason: 'unreachable' }, 'failed'), board: 'pi@127.0.0.1:22' },
      // mnist-train has no latency, and an energy without a sample count has no J/sample.
      {
        ...storedRun(
          condition,
          { ...params, board: { key: 'pi@127.0.0.1:22', label: 'pi-lab', simulated: false } },
          { throughput: 50, throughputUnit: null, energy: { joules: 5, averageW: 4, jPerSample: null } },
        ),
        board: 'pi@127.0.0.1:22',
      },
    ]);
    const row = rows[0];
    expect(row?.parts.board.label).toBe('pi-lab'); // the failed run (first) has no name; the finished one does
    expect(row?.parts.powerModeLabel).toBe('current mode');
    expect(row?.parts.batch).toBeNull();
    expect(row?.latencyP50Ms).toBeNull();
    expect(row?.jPerSample).toBeNull();
    expect(row?.averageW?.median).toBe(4);
    expect(row?.throughputUnit).toBe('items/s'); // a null unit is not the string "null"
    expect(row?.failed).toBe(1);
  });

  it('names a board that never answered by its key', () => {
    const rows = summarizeConditions([
      { ...storedRun('c', { suite: 'gemm' }, { reason: 'unreachable' }, 'failed'), board: 'pi@127.0.0.1:22' },
    ]);
    expect(rows[0]?.parts).toMatchObject({ board: { key: 'pi@127.0.0.1:22', label: 'pi@127.0.0.1:22' }, suite: 'gemm', framework: '' });
    expect(rows[0]?.throughput).toBeNull();
  });
});

describe('shortConditionLabels', () => {
  const params = {
    suite: 'mnist-train',
    framework: 'numpy',
    batch: null,
    powerMode: { nvpmodel: null, jetsonClocks: false },
    board: { key: 'sim-1', label: 'nano-1', simulated: true },
  };

  it('names each condition by what differs, and by suite and framework when nothing does', () => {
    const one = summarizeConditions([storedRun('a', params, {})]);
    expect([...shortConditionLabels(one).values()]).toEqual(['mnist-train · numpy']);

    const two = summarizeConditions([
      storedRun('a', params, {}),
      storedRun('b', { ...params, framework: 'torch', powerMode: { nvpmodel: 0, jetsonClocks: true } }, {}),
    ]);
    const labels = shortConditionLabels(two);
    expect(labels.get('a')).toBe(`numpy · ${two[0]?.parts.powerModeLabel}`);
    expect(labels.get('b')).toBe(`torch · ${two[1]?.parts.powerModeLabel}`);
    expect(two[0]?.parts.powerModeLabel).not.toBe(two[1]?.parts.powerModeLabel);
  });
});
