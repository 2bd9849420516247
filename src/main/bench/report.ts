/**
 * The comparison report of a plan: one self-contained HTML file (inline CSS
 * and SVG, no script, nothing fetched), with every figure beside its
 * conditions, its n and its confidence interval; the environment of each
 * board; what each benchmark measures; and the raw runs as CSV and JSON.
 */
import { summarize, type Summary } from '../../shared/bench/stats.ts';
import type { RailSamples, RunRecord } from '../../shared/results.ts';
import { barChart, escapeHtml, formatNumber, powerChart, type Bar } from './report-svg.ts';

export interface ReportInput {
  planId: string;
  runs: RunRecord[];
  samples(runId: string): RailSamples;
  markers(runId: string): { t: number; label: string }[];
  generatedAt?: Date;
}

export interface Report {
  html: string;
  csv: string;
  json: string;
}

interface MetricDefinition {
  key: string;
  label: string;
  unit: (run: RunRecord) => string;
  value(run: RunRecord): number | null;
}

function metric(run: RunRecord, path: string): number | null {
  let value: unknown = run.metrics;
  for (const part of path.split('.'))
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const metricDefinitions: MetricDefinition[] = [
  {
    key: 'throughput',
    label: 'Throughput',
    unit: (run) => String(run.metrics.throughputUnit ?? 'items/s'),
    value: (run) => metric(run, 'throughput'),
  },
  { key: 'accuracy', label: 'Test accuracy', unit: () => 'fraction', value: (run) => metric(run, 'accuracy') },
  { key: 'seconds', label: 'Measured phase', unit: () => 's', value: (run) => metric(run, 'seconds') },
  { key: 'joules', label: 'Energy (begin→end)', unit: () => 'J', value: (run) => metric(run, 'energy.joules') },
  { key: 'averageW', label: 'Average power', unit: () => 'W', value: (run) => metric(run, 'energy.averageW') },
  { key: 'jPerSample', label: 'Energy per sample', unit: () => 'J/sample', value: (run) => metric(run, 'energy.jPerSample') },
];

const suiteDescriptions: Record<string, string> = {
  'mnist-train':
    'Trains a classifier on an MNIST-format dataset (NumPy: MLP 784-256-10 with SGD and momentum; PyTorch/JAX: LeNet-5) for the given epochs, then measures accuracy on the test images. Throughput is training images per second over the measured phase.',
  'cnn-infer':
    'Runs a convolutional network (ResNet-18, MobileNetV2 or LeNet-5, random weights) in a timed loop after a warm-up; latency percentiles and images per second.',
  gemm: 'Dense matrix multiplication of N×N matrices in a timed loop; TFLOP/s.',
  membw: 'Copies a large array in a timed loop; GB/s counted as read plus write.',
};

interface Group {
  condition: string;
  runs: RunRecord[];
  done: RunRecord[];
}

function groupsOf(runs: RunRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const run of runs) {
    const condition = String(run.params.condition ?? run.title);
    const group = groups.get(condition) ?? { condition, runs: [], done: [] };
    group.runs.push(run);
    if (run.status === 'done') group.done.push(run);
    groups.set(condition, group);
  }
  return [...groups.values()];
}

function summaryCell(summary: Summary | null, digits = 4): string {
  if (summary === null) return '<td>—</td>';
  const ci =
    summary.ci === null
      ? `<span class="note">no 95 % CI: ${escapeHtml(summary.ciNote ?? '')}; range ${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)}</span>`
      : `95 % CI [${formatNumber(summary.ci.low, digits)}, ${formatNumber(summary.ci.high, digits)}] <span class="note">(order statistics x(${summary.ci.lowRank})…x(${summary.ci.highRank}), coverage ${(summary.ci.coverage * 100).toFixed(1)} %)</span>`;
  const outliers =
    summary.outliers.length > 0 ? ` <span class="flag">${summary.outliers.length} outlier(s) beyond 1.5 IQR, kept</span>` : '';
  return `<td><b>${formatNumber(summary.median, digits)}</b> <span class="note">median, n = ${summary.n}</span><br>${ci}${outliers}</td>`;
}

function conditionSection(group: Group): string {
  const rows = metricDefinitions
    .map((definition) => {
      const summary = summarize(group.done.map((run) => definition.value(run) ?? Number.NaN));
      if (summary === null) return '';
      const unit = group.done[0] ? definition.unit(group.done[0]) : '';
      const values = group.done.map((run) => formatNumber(definition.value(run), 4)).join(', ');
      return `<tr><th>${escapeHtml(definition.label)} <span class="note">${escapeHtml(unit)}</span></th>${summaryCell(summary)}<td class="raw">${escapeHtml(values)}</td></tr>`;
    })
    .join('\n');
  const failures = group.runs
    .filter((run) => run.status !== 'done')
    .map(
      (run) =>
        `<li>repeat ${escapeHtml(String(run.params.repeat ?? '?'))}: ${escapeHtml(run.status)} — ${escapeHtml(String(run.metrics.reason ?? ''))}</li>`,
    )
    .join('');
  const first = group.runs[0];
  const conditions = first
    ? `epochs ${escapeHtml(String(first.params.epochs ?? 'default'))}, measured seconds ${escapeHtml(String(first.params.seconds ?? 'default'))}, train limit ${escapeHtml(String(first.params.trainLimit ?? 'all'))}, test limit ${escapeHtml(String(first.params.testLimit ?? 'all'))}, dataset ${escapeHtml(String(first.params.dataset ?? 'the agent default'))}, power sampled with ${escapeHtml(String((first.metrics.energy as { source?: string } | null)?.source ?? '—'))}`
    : '';
  return [
    `<section><h3>${escapeHtml(group.condition)}</h3>`,
    `<p class="note">${group.done.length} of ${group.runs.length} runs succeeded; ${conditions}.</p>`,
    `<table><tr><th>Figure</th><th>Median and 95 % CI</th><th>Every repeat</th></tr>${rows}</table>`,
    failures === '' ? '' : `<ul class="failures">${failures}</ul>`,
    '</section>',
  ].join('\n');
}

function chartsOf(groups: Group[]): string {
  return metricDefinitions
    .map((definition) => {
      const bars: Bar[] = [];
      for (const group of groups) {
        const points = group.done.map((run) => definition.value(run)).filter((value): value is number => value !== null);
        const summary = summarize(points);
        if (summary === null) continue;
        bars.push({
          label: group.condition,
          value: summary.median,
          low: summary.ci?.low ?? summary.min,
          high: summary.ci?.high ?? summary.max,
          points,
        });
      }
      const first = groups.find((group) => group.done.length > 0)?.done[0];
      return bars.length === 0 || first === undefined ? '' : `<figure>${barChart(definition.label, definition.unit(first), bars)}</figure>`;
    })
    .join('\n');
}

function traceOf(group: Group, input: ReportInput): string {
  const run = group.done[0];
  if (run === undefined) return '';
  const samples = input.samples(run.id);
  const rail = samples.rails.VDD_IN ? 'VDD_IN' : 'total';
  const end = input.markers(run.id).find((marker) => marker.label === 'end')?.t ?? null;
  return `<figure>${powerChart(`${group.condition} — repeat ${String(run.params.repeat ?? 1)}, ${rail}`, samples.t, samples.rails[rail] ?? [], end)}<figcaption>Shaded: the measured phase between the agent's begin and end markers; energy counts only there.</figcaption></figure>`;
}

function environmentSection(runs: RunRecord[]): string {
  const byBoard = new Map<string, Record<string, unknown>>();
  for (const run of runs)
    if (run.params.environment && !byBoard.has(run.board)) byBoard.set(run.board, run.params.environment as Record<string, unknown>);
  return [...byBoard.entries()]
    .map(([board, environment]) => {
      const rows = Object.entries(environment)
        .map(
          ([key, value]) =>
            `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td></tr>`,
        )
        .join('');
      return `<h3>${escapeHtml(board)}</h3><table>${rows}</table>`;
    })
    .join('\n');
}

const style = `body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1b1f24}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.note{color:#57606a;font-size:12px}.flag{color:#9a6700;font-size:12px}.raw{font-family:monospace;font-size:12px}
svg{width:100%;height:auto}.title{font-weight:600;font-size:13px}.label,.value,.tick{font-size:11px}.bar{fill:#54aeff}
.whisker{stroke:#0a3069;stroke-width:1.5}.dot{fill:#cf222e}.axis{stroke:#8c959f}.trace{fill:none;stroke:#cf222e;stroke-width:1.2}.window{fill:#ddf4ff}
@media print{section,figure{break-inside:avoid}}`;

export function buildReport(input: ReportInput): Report {
  const groups = groupsOf(input.runs);
  const suites = [...new Set(input.runs.map((run) => String(run.params.suite ?? '')))];
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>Jetson Workbench benchmark report ${escapeHtml(input.planId)}</title><style>${style}</style></head><body>`,
    `<h1>Benchmark report</h1><p class="note">Plan ${escapeHtml(input.planId)} · ${input.runs.length} runs · generated ${escapeHtml((input.generatedAt ?? new Date()).toISOString())}</p>`,
    "<h2>How to read it</h2><p>Each condition (board, suite, framework, batch, power mode) was repeated; repeats were interleaved across conditions. A figure is the <b>median</b> of the repeats with a distribution-free <b>95 % confidence interval</b> from order statistics (the binomial sign-test interval): it needs at least 6 repeats; with fewer the range is shown instead and said so. Repeats beyond 1.5 interquartile ranges are flagged, never dropped. Energy is the trapezoid integral of the input power between the agent's begin and end markers.</p>",
    '<h2>Charts</h2>',
    `<p class="note">Bars: medians; whiskers: the 95 % CI where n allows it, else min–max; dots: every repeat.</p>${chartsOf(groups)}`,
    '<h2>Results by condition</h2>',
    ...groups.map(conditionSection),
    '<h2>Power during the runs</h2>',
    ...groups.map((group) => traceOf(group, input)),
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

const csvColumns: Array<[string, (run: RunRecord) => unknown]> = [
  ['id', (run) => run.id],
  ['board', (run) => run.board],
  ['suite', (run) => run.params.suite],
  ['framework', (run) => run.params.framework],
  ['batch', (run) => run.params.batch],
  ['power_mode', (run) => JSON.stringify(run.params.powerMode ?? null)],
  ['repeat', (run) => run.params.repeat],
  ['status', (run) => run.status],
  ['reason', (run) => run.metrics.reason],
  ['started_at', (run) => new Date(run.startedAt).toISOString()],
  ['throughput', (run) => run.metrics.throughput],
  ['throughput_unit', (run) => run.metrics.throughputUnit],
  ['accuracy', (run) => run.metrics.accuracy],
  ['seconds', (run) => run.metrics.seconds],
  ['samples_processed', (run) => run.metrics.samplesProcessed],
  ['energy_j', (run) => metric(run, 'energy.joules')],
  ['average_w', (run) => metric(run, 'energy.averageW')],
  ['j_per_sample', (run) => metric(run, 'energy.jPerSample')],
  ['agent_energy_j', (run) => metric(run, 'agentEnergy.joules')],
];

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function runsCsv(runs: RunRecord[]): string {
  const lines = [
    csvColumns.map(([name]) => name).join(','),
    ...runs.map((run) => csvColumns.map(([, get]) => csvField(get(run))).join(',')),
  ];
  return lines.join('\n');
}

export interface ConditionSummary {
  condition: string;
  runs: number;
  done: number;
  figures: Record<string, { unit: string; summary: Summary }>;
}

/** Per condition, every figure's statistics over the successful repeats (for `jwb bench` and scripts). */
export function conditionSummaries(runs: RunRecord[]): ConditionSummary[] {
  return groupsOf(runs).map((group) => {
    const figures: ConditionSummary['figures'] = {};
    for (const definition of metricDefinitions) {
      const summary = summarize(group.done.map((run) => definition.value(run) ?? Number.NaN));
      if (summary !== null && group.done[0]) figures[definition.key] = { unit: definition.unit(group.done[0]), summary };
    }
    return { condition: group.condition, runs: group.runs.length, done: group.done.length, figures };
  });
}
