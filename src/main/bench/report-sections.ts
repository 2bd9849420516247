/**
 * The parts of the benchmark report that describe (rather than chart): each
 * condition's figures with their CI and how the energy was measured, and
 * each board's environment from its identification, in words (the same rows
 * `jwb info` prints). HTML strings, every value escaped.
 */
import { fullConditionLabel, type ConditionSummary } from '../../shared/bench/summary.ts';
import { runBoardOf, type BenchRun } from '../../shared/bench/results.ts';
import type { Summary } from '../../shared/bench/stats.ts';
import { factRows } from '../../shared/identify/fact-rows.ts';
import { escapeHtml, formatNumber } from './report-svg.ts';

/** A figure of the report: its label and unit, its summary over a condition, its value in one run. */
export interface Figure {
  label: string;
  unit: (summary: ConditionSummary) => string;
  of: (summary: ConditionSummary) => Summary | null;
  value: (run: BenchRun) => number | null | undefined;
}

export const figures: Figure[] = [
  {
    label: 'Throughput',
    unit: (summary) => summary.throughputUnit,
    of: (summary) => summary.throughput,
    value: (run) => run.metrics.throughput,
  },
  { label: 'Test accuracy', unit: () => 'fraction', of: (summary) => summary.accuracy, value: (run) => run.metrics.accuracy },
  { label: 'Measured phase', unit: () => 's', of: (summary) => summary.seconds, value: (run) => run.metrics.seconds },
  { label: 'Energy (begin→end)', unit: () => 'J', of: (summary) => summary.joules, value: (run) => run.metrics.energy?.joules },
  { label: 'Average power', unit: () => 'W', of: (summary) => summary.averageW, value: (run) => run.metrics.energy?.averageW },
  {
    label: 'Energy per sample',
    unit: () => 'J/sample',
    of: (summary) => summary.jPerSample,
    value: (run) => run.metrics.energy?.jPerSample,
  },
];

const methodWords = { counter: 'the hardware energy counter (NVML)', integral: 'the trapezoid integral of the power samples' } as const;

/** How a condition's energy was measured, in one sentence: method, source, sampling rate, and any warning. */
export function energySentence(summary: ConditionSummary): string {
  const energy = summary.energy;
  if (energy === null) return 'No energy: the board offered no power reading during these runs.';
  const rate = energy.hz === null ? '' : ` at ${formatNumber(energy.hz, 3)} Hz`;
  const source = energy.source === null ? '' : `, power read from ${energy.source}${rate}`;
  const warning = energy.warning === null ? '' : ` Caution: ${energy.warning}.`;
  return `Energy from ${methodWords[energy.method]}${source}.${warning}`;
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

function conditionsLine(run: BenchRun | undefined): string {
  if (run === undefined) return '';
  const { params } = run;
  return `epochs ${params.epochs ?? 'default'}, measured seconds ${params.seconds ?? 'default'}, train limit ${params.trainLimit ?? 'all'}, test limit ${params.testLimit ?? 'all'}, dataset ${params.dataset ?? 'the agent default'}`;
}

export function conditionSection(summary: ConditionSummary, runs: readonly BenchRun[]): string {
  const done = runs.filter((run) => run.status === 'done');
  const rows = figures
    .map((figure) => {
      const value = figure.of(summary);
      if (value === null) return '';
      const raw = done.map((run) => formatNumber(figure.value(run), 4)).join(', ');
      return `<tr><th>${escapeHtml(figure.label)} <span class="note">${escapeHtml(figure.unit(summary))}</span></th>${summaryCell(value)}<td class="raw">${escapeHtml(raw)}</td></tr>`;
    })
    .join('\n');
  const failures = runs
    .filter((run) => run.status !== 'done')
    .map((run) => `<li>repeat ${run.params.repeat}: ${escapeHtml(run.status)} — ${escapeHtml(run.metrics.reason ?? '')}</li>`)
    .join('');
  const simulated = summary.parts.board.simulated ? ' <span class="flag">simulated board</span>' : '';
  return [
    `<section><h3>${escapeHtml(fullConditionLabel(summary.parts))}${simulated}</h3>`,
    `<p class="note">${done.length} of ${runs.length} runs succeeded; ${escapeHtml(conditionsLine(runs[0]))}.</p>`,
    `<p class="note">${escapeHtml(energySentence(summary))}</p>`,
    `<table><tr><th>Figure</th><th>Median and 95 % CI</th><th>Every repeat</th></tr>${rows}</table>`,
    failures === '' ? '' : `<ul class="failures">${failures}</ul>`,
    '</section>',
  ].join('\n');
}

/** Each board once: its name (and that it was simulated), its identification in words, how its power was read. */
export function environmentSection(runs: readonly BenchRun[]): string {
  const byBoard = new Map<string, BenchRun>();
  for (const run of runs) if (run.params.environment !== null && !byBoard.has(run.board)) byBoard.set(run.board, run);
  return [...byBoard.values()]
    .map((run) => {
      const board = runBoardOf(run);
      const environment = run.params.environment;
      const modes = [...new Set(runs.filter((other) => other.board === run.board).map((other) => powerModeWords(other)))];
      const rows: Array<[string, string | null]> = [
        ...(environment?.facts === null || environment?.facts === undefined ? [] : factRows(environment.facts)),
        ['Power source', environment?.powerSource ?? 'none: no power reading'],
        ['Power mode during the runs', modes.join('; ')],
        ['Workbench agent', environment?.agentVersion ?? null],
      ];
      const body = rows
        .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value ?? 'unknown')}</td></tr>`)
        .join('');
      const simulated = board.simulated ? ' <span class="flag">simulated board: not a measurement of real hardware</span>' : '';
      return `<h3>${escapeHtml(board.label)}${simulated}</h3><table>${body}</table>`;
    })
    .join('\n');
}

function powerModeWords(run: BenchRun): string {
  const read = run.params.environment?.powerMode;
  const clocks = run.params.powerMode.jetsonClocks ? ', clocks pinned (jetson_clocks)' : '';
  if (read === null || read === undefined)
    return run.params.powerMode.nvpmodel === null ? `as found${clocks}` : `nvpmodel ${run.params.powerMode.nvpmodel}${clocks}`;
  return `${read.name}${read.id === null ? '' : ` (mode ${read.id})`}${clocks}`;
}
