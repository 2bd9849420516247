/**
 * The comparison report of a plan: one self-contained HTML file (inline CSS
 * and SVG, no script, nothing fetched), with every figure beside its
 * conditions, its n and its confidence interval; the environment of each
 * board; what each benchmark measures; and the raw runs as CSV and JSON.
 */
import { runBoardOf, type BenchRun } from '../../shared/bench/results.ts';
import { shortConditionLabels, summarizeConditions, type ConditionSummary } from '../../shared/bench/summary.ts';
import type { RailSamples } from '../../shared/results.ts';
import { conditionSection, environmentSection, figures } from './report-sections.ts';
import type { HandIn } from '../../shared/bench/contract.ts';
import { barChart, escapeHtml, powerChart, type Bar } from './report-svg.ts';

export interface ReportInput {
  planId: string;
  runs: BenchRun[];
  samples(runId: string): RailSamples;
  markers(runId: string): { t: number; label: string }[];
  generatedAt?: Date;
  /** A lab's report: its title and who hands it in. */
  handIn?: HandIn;
}

export interface Report {
  html: string;
  csv: string;
  json: string;
}

const suiteDescriptions: Record<string, string> = {
  'mnist-train':
    'Trains a classifier on an MNIST-format dataset (NumPy: MLP 784-256-10 with SGD and momentum; PyTorch/JAX: LeNet-5) for the given epochs, then measures accuracy on the test images. Throughput is training images per second over the measured phase.',
  'cnn-infer':
    'Runs a convolutional network (ResNet-18, MobileNetV2 or LeNet-5, random weights) in a timed loop after a warm-up; latency percentiles and images per second.',
  gemm: 'Dense matrix multiplication of N×N matrices in a timed loop; TFLOP/s.',
  membw: 'Copies a large array in a timed loop; GB/s counted as read plus write.',
};

function runsOf(runs: readonly BenchRun[], summary: ConditionSummary): BenchRun[] {
  return runs.filter((run) => (run.params.condition === '' ? run.board : run.params.condition) === summary.condition);
}

function chartsOf(summaries: ConditionSummary[], runs: readonly BenchRun[]): string {
  const labels = shortConditionLabels(summaries);
  return figures
    .map((figure) => {
      const bars: Bar[] = [];
      for (const summary of summaries) {
        const value = figure.of(summary);
        if (value === null) continue;
        const done = runsOf(runs, summary).filter((run) => run.status === 'done');
        const points = done.map((run) => figure.value(run)).filter((point): point is number => typeof point === 'number');
        bars.push({
          label: labels.get(summary.condition) ?? summary.condition,
          value: value.median,
          low: value.ci?.low ?? value.min,
          high: value.ci?.high ?? value.max,
          points,
        });
      }
      const first = summaries.find((summary) => figure.of(summary) !== null);
      return bars.length === 0 || first === undefined ? '' : `<figure>${barChart(figure.label, figure.unit(first), bars)}</figure>`;
    })
    .join('\n');
}

/** The first successful run's power: the agent's total (the input rail where the board has one, else the sum of its rails). */
function traceOf(summary: ConditionSummary, runs: readonly BenchRun[], input: ReportInput, label: string): string {
  const run = runsOf(runs, summary).find((candidate) => candidate.status === 'done');
  if (run === undefined) return '';
  const samples = input.samples(run.id);
  const end = input.markers(run.id).find((marker) => marker.label === 'end')?.t ?? null;
  const source = run.metrics.energy?.source ?? run.params.environment?.powerSource ?? 'the board';
  const title = `${label} — repeat ${run.params.repeat}, total power (${source})`;
  return `<figure>${powerChart(title, samples.t, samples.rails.total ?? [], end)}<figcaption>Shaded: the measured phase between the agent's begin and end markers; energy counts only there.</figcaption></figure>`;
}

const style = `body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1b1f24}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.note{color:#57606a;font-size:12px}.hand-in{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 1em}.hand-in dt{font-weight:600}.hand-in dd{margin:0}.flag{color:#9a6700;font-size:12px}.raw{font-family:monospace;font-size:12px}
svg{width:100%;height:auto}.title{font-weight:600;font-size:13px}.label,.value,.tick{font-size:11px}.bar{fill:#54aeff}
.whisker{stroke:#0a3069;stroke-width:1.5}.dot{fill:#cf222e}.axis{stroke:#8c959f}.trace{fill:none;stroke:#cf222e;stroke-width:1.2}.window{fill:#ddf4ff}
@media print{section,figure{break-inside:avoid}}`;

export function buildReport(input: ReportInput): Report {
  const summaries = summarizeConditions(input.runs);
  const labels = shortConditionLabels(summaries);
  const suites = [...new Set(input.runs.map((run) => run.params.suite))];
  const boards = [...new Map(input.runs.map((run) => [run.board, runBoardOf(run)])).values()];
  const simulated = boards.filter((board) => board.simulated).map((board) => board.label);
  const title = input.handIn?.title ?? input.runs.find((run) => run.params.planTitle !== null)?.params.planTitle ?? 'Benchmark report';
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>${handInBlock(input.handIn)}<p class="note">Boards: ${escapeHtml(boards.map((board) => board.label).join(', '))} · ${input.runs.length} runs · generated ${escapeHtml((input.generatedAt ?? new Date()).toISOString())} · plan ${escapeHtml(input.planId)}</p>`,
    simulated.length === 0
      ? ''
      : `<p class="flag">Simulated: ${escapeHtml(simulated.join(', '))}. Figures from the Jetson Workbench simulator show how the workflow runs, not what real hardware does.</p>`,
    "<h2>How to read it</h2><p>Each condition (board, suite, framework, batch, power mode) was repeated; repeats were interleaved across conditions. A figure is the <b>median</b> of the repeats with a distribution-free <b>95 % confidence interval</b> from order statistics (the binomial sign-test interval): it needs at least 6 repeats; with fewer the range is shown instead and said so. Repeats beyond 1.5 interquartile ranges are flagged, never dropped. Energy counts only between the agent's begin and end markers; each condition says how it was measured: the hardware energy counter where the board has one (NVML), else the trapezoid integral of the power samples, with the source and the sampling rate.</p>",
    '<h2>Charts</h2>',
    `<p class="note">Bars: medians; whiskers: the 95 % CI where n allows it, else min–max; dots: every repeat.</p>${chartsOf(summaries, input.runs)}`,
    '<h2>Results by condition</h2>',
    ...summaries.map((summary) => conditionSection(summary, runsOf(input.runs, summary))),
    '<h2>Power during the runs</h2>',
    ...summaries.map((summary) => traceOf(summary, input.runs, input, labels.get(summary.condition) ?? summary.condition)),
    '<h2>Benchmarks</h2><dl>',
    ...suites.map(
      (suite) => `<dt><b>${escapeHtml(suite)}</b></dt><dd>${escapeHtml(suiteDescriptions[suite] ?? 'See resources/agent/README.md.')}</dd>`,
    ),
    '</dl><h2>Environment</h2>',
    environmentSection(input.runs),
    '</body></html>',
  ].join('\n');
  return { html, csv: runsCsv(input.runs), json: `${JSON.stringify(input.runs, null, 2)}\n` };
}

const csvColumns: Array<[string, (run: BenchRun) => unknown]> = [
  ['id', (run) => run.id],
  ['board', (run) => runBoardOf(run).label],
  ['board_key', (run) => run.board],
  ['simulated', (run) => runBoardOf(run).simulated],
  ['suite', (run) => run.params.suite],
  ['framework', (run) => run.params.framework],
  ['batch', (run) => run.params.batch],
  ['nvpmodel', (run) => run.params.powerMode.nvpmodel],
  ['jetson_clocks', (run) => run.params.powerMode.jetsonClocks],
  ['repeat', (run) => run.params.repeat],
  ['status', (run) => run.status],
  ['reason', (run) => run.metrics.reason],
  ['started_at', (run) => new Date(run.startedAt).toISOString()],
  ['throughput', (run) => run.metrics.throughput],
  ['throughput_unit', (run) => run.metrics.throughputUnit],
  ['accuracy', (run) => run.metrics.accuracy],
  ['seconds', (run) => run.metrics.seconds],
  ['samples_processed', (run) => run.metrics.samplesProcessed],
  ['energy_j', (run) => run.metrics.energy?.joules],
  ['energy_method', (run) => run.metrics.energy?.method],
  ['integral_j', (run) => run.metrics.energy?.integralJoules],
  ['counter_vs_integral_pct', (run) => run.metrics.energy?.differencePct],
  ['power_source', (run) => run.metrics.energy?.source],
  ['sampling_hz', (run) => run.metrics.energy?.hz],
  ['average_w', (run) => run.metrics.energy?.averageW],
  ['j_per_sample', (run) => run.metrics.energy?.jPerSample],
  ['energy_warning', (run) => run.metrics.energy?.warning],
];

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function runsCsv(runs: readonly BenchRun[]): string {
  const lines = [
    csvColumns.map(([name]) => name).join(','),
    ...runs.map((run) => csvColumns.map(([, get]) => csvField(get(run))).join(',')),
  ];
  return lines.join('\n');
}

/** The lines a teacher looks for first: who, which group, when. */
function handInBlock(handIn: HandIn | undefined): string {
  if (handIn === undefined) return '';
  const rows: Array<[string, string | undefined]> = [
    ['Student', handIn.student],
    ['Group', handIn.group],
    ['Date', handIn.date],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  if (shown.length === 0) return '';
  return `<dl class="hand-in">${shown.map(([label, value]) => `<dt>${label}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}
