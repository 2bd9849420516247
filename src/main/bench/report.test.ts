import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/results.ts';
import { buildReport, conditionSummaries } from './report.ts';

function run(index: number, throughput: number, status: RunRecord['status'] = 'done'): RunRecord {
  return {
    id: `run-${index}`,
    kind: 'bench',
    board: 'nano',
    title: 'gemm',
    status,
    startedAt: 1_700_000_000_000 + index,
    finishedAt: 1_700_000_001_000 + index,
    params: {
      planId: 'p',
      suite: 'gemm',
      framework: 'numpy',
      repeat: index + 1,
      condition: 'nano | gemm | numpy | default batch | current mode',
      environment: { module: 'NVIDIA Jetson <Nano>' },
    },
    metrics:
      status === 'done'
        ? { throughput, throughputUnit: 'GFLOP/s', energy: { joules: throughput / 10, averageW: 5 } }
        : { reason: 'exit code 3, "torch" missing' },
  };
}

describe('buildReport', () => {
  const runs = [12, 10, 11, 13, 11.5, 10.5, 40].map((value, index) => run(index, value)).concat(run(7, 0, 'failed'));
  const samples = () => ({ t: [-1, 0, 0.5, 1, 1.5], rails: { total: [4000, 6000, 6100, 6050, 4100] } });
  const report = buildReport({
    planId: 'p',
    runs,
    samples,
    markers: () => [
      { t: 0, label: 'begin' },
      { t: 1, label: 'end' },
    ],
  });

  it('gives the median with its order-statistic CI and flags the outlier without dropping it', () => {
    const [summary] = conditionSummaries(runs);
    expect(summary).toMatchObject({ runs: 8, done: 7 });
    expect(summary?.figures.throughput?.summary).toMatchObject({ n: 7, median: 11.5, ci: { low: 10, high: 40 }, outliers: [6] });
    expect(report.html).toContain('95 % CI [10, 40]');
    expect(report.html).toContain('1 outlier(s) beyond 1.5 IQR, kept');
    expect(report.html).toContain('exit code 3, &quot;torch&quot; missing');
  });

  it('is self-contained: inline SVG, escaped text, no script and no external resource', () => {
    expect(report.html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(report.html).toContain('NVIDIA Jetson &lt;Nano&gt;');
    expect(report.html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('exports every run as CSV (quoted where needed) and JSON', () => {
    const lines = report.csv.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[8]).toContain('"exit code 3, ""torch"" missing"');
    expect(JSON.parse(report.json)).toHaveLength(8);
  });
});
