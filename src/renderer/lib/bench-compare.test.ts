import { describe, expect, it } from 'vitest';
import { compareCharts, metricUnit, type CompareLabels } from './bench-compare.ts';
import { readBenchRun, type BenchRun } from '../../shared/bench/results.ts';
import { summarizeConditions } from '../../shared/bench/summary.ts';

const labels: CompareLabels = {
  batch: (batch) => (batch === null ? 'default batch' : `batch ${batch}`),
  powerMode: (mode) => (mode.nvpmodel === null ? 'as is' : `mode ${mode.nvpmodel}`),
};

interface Condition {
  board: string;
  suite: string;
  framework: string;
  nvpmodel?: number;
  unit?: string;
}

/** `repeats` finished runs of a condition whose every metric is `value` times the repeat. */
function runs(condition: Condition, value: number, repeats = 3): BenchRun[] {
  const powerMode = { nvpmodel: condition.nvpmodel ?? null, jetsonClocks: false };
  const key = [condition.board, condition.suite, condition.framework, 'default batch', String(condition.nvpmodel ?? 'current mode')].join(
    ' | ',
  );
  return Array.from({ length: repeats }, (_, index) =>
    readBenchRun({
      id: `${key}-${index}`,
      board: condition.board,
      title: key,
      status: 'done',
      startedAt: index,
      finishedAt: index + 1,
      params: {
        condition: key,
        suite: condition.suite,
        framework: condition.framework,
        batch: null,
        powerMode,
        board: { key: condition.board, label: condition.board, simulated: false },
        repeat: index + 1,
      },
      metrics: {
        throughput: value * (index + 1),
        throughputUnit: condition.unit ?? 'samples/s',
        energy: { joules: value, averageW: value + index, jPerSample: value / 1000 },
        ...(condition.suite === 'cnn-infer' ? { latencyMs: { p50: value / 10 } } : {}),
      },
    }),
  );
}

describe('compareCharts', () => {
  const summaries = summarizeConditions([
    ...runs({ board: 'nano-1', suite: 'mnist-train', framework: 'numpy' }, 100),
    ...runs({ board: 'nano-1', suite: 'mnist-train', framework: 'torch' }, 300),
    ...runs({ board: 'agx-2', suite: 'mnist-train', framework: 'numpy' }, 200),
    ...runs({ board: 'nano-1', suite: 'cnn-infer', framework: 'torch', unit: 'images/s' }, 50, 6),
  ]);

  it('draws one chart per suite, groups by the parts that vary and colours by the compare-by dimension', () => {
    const charts = compareCharts(summaries, 'throughput', 'framework', labels);
    expect(charts.map((chart) => [chart.key, chart.suite, chart.unit])).toEqual([
      ['mnist-train', 'mnist-train', 'samples/s'],
      ['cnn-infer', 'cnn-infer', 'images/s'],
    ]);
    const [mnist] = charts;
    expect(mnist?.categories).toEqual(['nano-1', 'agx-2']); // only the board varies once the framework is the colour
    expect(mnist?.series.map((series) => series.label)).toEqual(['numpy', 'torch']);
    expect(mnist?.series[0]?.bars.map((bar) => bar?.median)).toEqual([200, 400]);
    expect(mnist?.series[1]?.bars.map((bar) => bar?.median ?? null)).toEqual([600, null]); // torch never ran on agx-2
    expect(mnist?.series[0]?.bars[0]).toMatchObject({ low: null, high: null, n: 3 });
    expect(charts[1]?.series[0]?.bars[0]).toMatchObject({ median: 175, low: 50, high: 300, n: 6 }); // six repeats: a CI
  });

  it('recolours by board and names each group by what is left', () => {
    const [mnist] = compareCharts(summaries, 'averageW', 'board', labels);
    expect(mnist?.unit).toBe('W');
    expect(mnist?.series.map((series) => series.key)).toEqual(['nano-1', 'agx-2']);
    expect(mnist?.categories).toEqual(['numpy', 'torch']);
    expect(mnist?.series[1]?.bars.map((bar) => bar?.median ?? null)).toEqual([201, null]);
  });

  it('labels power modes with the given names and keeps every part when nothing varies', () => {
    const modes = summarizeConditions([
      ...runs({ board: 'nano-1', suite: 'gemm', framework: 'numpy', nvpmodel: 0 }, 10),
      ...runs({ board: 'nano-1', suite: 'gemm', framework: 'numpy', nvpmodel: 1 }, 20),
    ]);
    const [gemm] = compareCharts(modes, 'jPerSample', 'powerMode', labels);
    expect(gemm?.unit).toBe('J/sample');
    expect(gemm?.series.map((series) => series.label)).toEqual(['mode 0', 'mode 1']);
    expect(gemm?.categories).toEqual(['nano-1 · numpy · default batch']);
    expect(gemm?.series.map((series) => series.bars[0]?.median)).toEqual([0.01, 0.02]);
  });

  it('keeps a value’s colour and the groups’ order the same in every suite’s chart', () => {
    const mixed = summarizeConditions([
      ...runs({ board: 'nano-1', suite: 'mnist-train', framework: 'numpy' }, 1),
      ...runs({ board: 'agx-2', suite: 'mnist-train', framework: 'numpy' }, 2),
      // The boards run in parallel: the gemm runs of agx-2 may be stored first.
      ...runs({ board: 'agx-2', suite: 'gemm', framework: 'torch' }, 3),
      ...runs({ board: 'agx-2', suite: 'gemm', framework: 'numpy' }, 3),
      ...runs({ board: 'nano-1', suite: 'gemm', framework: 'numpy' }, 4),
    ]);
    const byBoard = compareCharts(mixed, 'averageW', 'board', labels);
    expect(byBoard.map((chart) => chart.series.map((series) => [series.key, series.colour]))).toEqual([
      [
        ['nano-1', 0],
        ['agx-2', 1],
      ],
      [
        ['nano-1', 0],
        ['agx-2', 1],
      ],
    ]);
    const byFramework = compareCharts(mixed, 'averageW', 'framework', labels);
    expect(byFramework[1]?.categories).toEqual(['nano-1', 'agx-2']);
    expect(byFramework[1]?.series.map((series) => [series.key, series.colour])).toEqual([
      ['numpy', 0],
      ['torch', 1],
    ]);
  });

  it('gives an empty chart to a suite that does not measure the metric', () => {
    const charts = compareCharts(summaries, 'latencyP50Ms', 'framework', labels);
    expect(charts.map((chart) => [chart.suite, chart.unit, chart.series.length])).toEqual([
      ['mnist-train', 'ms', 0],
      ['cnn-infer', 'ms', 1],
    ]);
    expect(charts[0]?.categories).toEqual([]);
  });

  it('splits a suite whose frameworks count throughput in different units', () => {
    const mixed = summarizeConditions([
      ...runs({ board: 'nano-1', suite: 'mnist-train', framework: 'numpy', unit: 'samples/s' }, 100),
      ...runs({ board: 'nano-1', suite: 'mnist-train', framework: 'jax', unit: 'images/s' }, 200),
    ]);
    const charts = compareCharts(mixed, 'throughput', 'framework', labels);
    expect(charts.map((chart) => [chart.key, chart.series.map((series) => series.key)])).toEqual([
      ['mnist-train|samples/s', ['numpy']],
      ['mnist-train|images/s', ['jax']],
    ]);
    expect(compareCharts(mixed, 'averageW', 'framework', labels).map((chart) => chart.key)).toEqual(['mnist-train']);
  });

  it('takes the throughput unit from a condition that measured it', () => {
    expect(
      metricUnit('throughput', summarizeConditions(runs({ board: 'b', suite: 'membw', framework: 'numpy', unit: 'copies/s' }, 1))),
    ).toBe('copies/s');
    expect(metricUnit('latencyP50Ms', [])).toBe('ms');
  });
});
