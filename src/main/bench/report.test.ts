import { describe, expect, it } from 'vitest';
import { BoardFactsSchema } from '../../shared/boards-contract.ts';
import { readBenchRun, type BenchRun } from '../../shared/bench/results.ts';
import { summarizeConditions } from '../../shared/bench/summary.ts';
import { buildReport } from './report.ts';

const facts = {
  kind: 'jetson',
  simulated: true,
  module: 'NVIDIA Jetson <Nano>',
  l4t: '32.7.1',
  jetpack: '4.6.1',
  python: '3.6.9',
  frameworks: [{ name: 'numpy', version: '1.19.5', cuda: null, simulated: false }],
};

/** Every identification field empty, as a board that answered nothing else would give. */
const emptyFacts = BoardFactsSchema.parse({
  kind: 'unknown',
  simulated: false,
  module: null,
  serialNumber: null,
  hostname: null,
  l4t: null,
  jetpack: null,
  ubuntu: null,
  kernel: null,
  arch: null,
  cpuCores: null,
  cuda: null,
  cudnn: null,
  tensorrt: null,
  opencv: null,
  python: null,
  ramMb: null,
  swapMb: null,
  diskFreeGb: null,
  diskTotalGb: null,
  powerMode: null,
  frameworks: [],
  addresses: [],
  internet: 'unknown',
});

function run(index: number, throughput: number, status: BenchRun['status'] = 'done'): BenchRun {
  return readBenchRun({
    id: `run-${index}`,
    board: 'sim-3',
    title: 'gemm',
    status,
    startedAt: 1_700_000_000_000 + index,
    finishedAt: 1_700_000_001_000 + index,
    params: {
      planId: 'p',
      suite: 'gemm',
      framework: 'numpy',
      repeat: index + 1,
      condition: 'sim-3 | gemm | numpy | default batch | current mode',
      board: { key: 'sim-3', label: 'nano-3', simulated: true },
      environment: {
        facts: { ...emptyFacts, ...facts },
        agentVersion: '0.2.0',
        powerSource: 'iio',
        powerMode: { name: 'MAXN', id: 0, jetsonClocks: false },
      },
    },
    metrics:
      status === 'done'
        ? {
            throughput,
            throughputUnit: 'GFLOP/s',
            energy: { joules: throughput / 10, averageW: 5, method: 'integral', source: 'iio', hz: 99.5, warning: null },
          }
        : { reason: 'exit code 3, "torch" missing' },
  });
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
    const [summary] = summarizeConditions(runs);
    expect(summary).toMatchObject({ runs: 8, failed: 1 });
    expect(summary?.throughput).toMatchObject({ n: 7, median: 11.5, ci: { low: 10, high: 40 }, outliers: [6] });
    expect(report.html).toContain('95 % CI [10, 40]');
    expect(report.html).toContain('1 outlier(s) beyond 1.5 IQR, kept');
    expect(report.html).toContain('exit code 3, &quot;torch&quot; missing');
  });

  it('describes the board by its name and identification, in words, says it is simulated and how energy was measured', () => {
    expect(report.html).toContain('<h3>nano-3 <span class="flag">simulated board');
    expect(report.html).toContain('<tr><th>JetPack</th><td>4.6.1</td></tr>');
    expect(report.html).toContain('<tr><th>Power source</th><td>iio</td></tr>');
    expect(report.html).toContain('numpy 1.19.5');
    expect(report.html).toContain('Energy from the trapezoid integral of the power samples, power read from iio at 99.5 Hz.');
    expect(report.html).not.toMatch(/sim-3|powerMode|null/);
  });

  it('names who hands a lab report in, under the lab’s title, escaped', () => {
    const lab = buildReport({
      planId: 'p',
      runs,
      samples,
      markers: () => [],
      handIn: { title: 'MNIST energy lab', student: 'Ada <L.>', group: 'B2', date: '2026-12-02' },
    });
    expect(lab.html).toContain('<title>MNIST energy lab</title>');
    expect(lab.html).toContain(
      '<dl class="hand-in"><dt>Student</dt><dd>Ada &lt;L.&gt;</dd><dt>Group</dt><dd>B2</dd><dt>Date</dt><dd>2026-12-02</dd></dl>',
    );
    expect(report.html).not.toContain('hand-in"');
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
