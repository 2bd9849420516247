/**
 * The data of the Benchmarks view's comparison charts: for one metric, the
 * median and 95 % CI of each condition, one chart per suite (a suite's units
 * are its own: images/s beside matmul/s means nothing), bars grouped by the
 * condition's other parts and coloured by the "compare by" dimension
 * (framework, board or power mode). Same metrics, units and statistics as the
 * HTML report (src/main/bench/report.ts). Pure.
 */
import type { PowerModeSetting } from '../../shared/bench/plan.ts';
import type { Summary } from '../../shared/bench/stats.ts';
import type { ConditionParts, ConditionSummary } from '../../shared/bench/summary.ts';

export const compareMetrics = ['throughput', 'jPerSample', 'averageW', 'latencyP50Ms'] as const;
export type CompareMetric = (typeof compareMetrics)[number];

export const compareDimensions = ['framework', 'board', 'powerMode'] as const;
export type CompareDimension = (typeof compareDimensions)[number];

/** Localized names of the parts that are not plain names. */
export interface CompareLabels {
  batch(batch: number | null): string;
  powerMode(mode: PowerModeSetting): string;
}

export interface CompareBar {
  condition: string;
  median: number;
  /** The 95 % CI of the median; null when the repeats are too few (n < 6). */
  low: number | null;
  high: number | null;
  n: number;
}

/** One colour: a value of the compare-by dimension, with a bar (or a hole) for each category. */
export interface CompareSeries {
  key: string;
  label: string;
  /** Palette index, the same for a value in every chart of the plan. */
  colour: number;
  bars: (CompareBar | null)[];
}

export interface CompareChart {
  /** Stable across metrics (the suite), so a view can keep one canvas per suite and move its bars. */
  key: string;
  suite: string;
  unit: string;
  /** The bar groups: the condition's parts other than the suite and the compare-by dimension. */
  categories: string[];
  series: CompareSeries[];
}

type PartKey = 'board' | 'framework' | 'batch' | 'powerMode';

const partOrder: readonly PartKey[] = ['board', 'framework', 'batch', 'powerMode'];

function part(parts: ConditionParts, key: PartKey, labels: CompareLabels): { key: string; label: string } {
  if (key === 'batch') return { key: String(parts.batch), label: labels.batch(parts.batch) };
  if (key === 'powerMode') return { key: parts.powerModeLabel, label: labels.powerMode(parts.powerMode) };
  // A board goes by its name, never its key.
  if (key === 'board') return { key: parts.board.key, label: parts.board.label };
  return { key: parts[key], label: parts[key] };
}

export function metricSummary(summary: ConditionSummary, metric: CompareMetric): Summary | null {
  return summary[metric];
}

/** The metric's unit, as the report writes it. */
export function metricUnit(metric: CompareMetric, summaries: readonly ConditionSummary[]): string {
  if (metric === 'jPerSample') return 'J/sample';
  if (metric === 'averageW') return 'W';
  if (metric === 'latencyP50Ms') return 'ms';
  return summaries.find((summary) => summary.throughput !== null)?.throughputUnit ?? summaries[0]?.throughputUnit ?? 'items/s';
}

/** Each part's values numbered in order of first appearance over the whole plan. */
type Ranks = ReadonlyMap<PartKey, ReadonlyMap<string, number>>;

function ranksOf(summaries: readonly ConditionSummary[], labels: CompareLabels): Ranks {
  return new Map(
    partOrder.map((key) => {
      const values = new Map<string, number>();
      for (const summary of summaries) {
        const value = part(summary.parts, key, labels).key;
        if (!values.has(value)) values.set(value, values.size);
      }
      return [key, values] as const;
    }),
  );
}

function rankOf(ranks: Ranks, row: ConditionSummary, key: PartKey, labels: CompareLabels): number {
  return ranks.get(key)?.get(part(row.parts, key, labels).key) ?? 0;
}

interface ChartContext {
  metric: CompareMetric;
  by: CompareDimension;
  labels: CompareLabels;
  ranks: Ranks;
}

function chartOf(
  heading: Pick<CompareChart, 'key' | 'suite' | 'unit'>,
  rows: readonly ConditionSummary[],
  context: ChartContext,
): CompareChart {
  const { metric, by, labels, ranks } = context;
  const others = partOrder.filter((key) => key !== by);
  // Only the parts that tell the bars apart name a group; when none does, all of them do.
  const measured = rows.filter((row) => metricSummary(row, metric) !== null);
  const varying = others.filter((key) => new Set(measured.map((row) => part(row.parts, key, labels).key)).size > 1);
  const naming = varying.length > 0 ? varying : others;
  // Groups and colours in the plan's order, so that every suite's chart reads alike.
  const sortKeys = [...naming, by];
  const withValue = [...measured].sort((a, b) => {
    for (const key of sortKeys) {
      const difference = rankOf(ranks, a, key, labels) - rankOf(ranks, b, key, labels);
      if (difference !== 0) return difference;
    }
    return 0;
  });
  const categories = new Map<string, string>();
  const series = new Map<string, { label: string; byCategory: Map<string, CompareBar> }>();
  for (const row of withValue) {
    const summary = metricSummary(row, metric) as Summary;
    const named = naming.map((key) => part(row.parts, key, labels));
    const category = named.map((entry) => entry.key).join('\u0000');
    if (!categories.has(category)) categories.set(category, named.map((entry) => entry.label).join(' · '));
    const colour = part(row.parts, by, labels);
    const entry = series.get(colour.key) ?? { label: colour.label, byCategory: new Map<string, CompareBar>() };
    entry.byCategory.set(category, {
      condition: row.condition,
      median: summary.median,
      low: summary.ci?.low ?? null,
      high: summary.ci?.high ?? null,
      n: summary.n,
    });
    series.set(colour.key, entry);
  }
  const categoryKeys = [...categories.keys()];
  return {
    ...heading,
    categories: [...categories.values()],
    series: [...series]
      .map(([key, entry]) => ({
        key,
        label: entry.label,
        colour: ranks.get(by)?.get(key) ?? 0,
        bars: categoryKeys.map((category) => entry.byCategory.get(category) ?? null),
      }))
      .sort((a, b) => a.colour - b.colour),
  };
}

/** One chart per suite (and per throughput unit, should a suite's frameworks report different ones), in plan order. */
export function compareCharts(
  summaries: readonly ConditionSummary[],
  metric: CompareMetric,
  by: CompareDimension,
  labels: CompareLabels,
): CompareChart[] {
  const context: ChartContext = { metric, by, labels, ranks: ranksOf(summaries, labels) };
  const suites = new Map<string, ConditionSummary[]>();
  for (const summary of summaries) suites.set(summary.parts.suite, [...(suites.get(summary.parts.suite) ?? []), summary]);
  return [...suites].flatMap(([suite, rows]) => {
    const measured = rows.filter((row) => metricSummary(row, metric) !== null);
    const units = [...new Set(measured.map((row) => metricUnit(metric, [row])))];
    if (units.length === 0) return [chartOf({ key: suite, suite, unit: metricUnit(metric, rows) }, [], context)];
    return units.map((unit) => {
      const key = units.length === 1 ? suite : `${suite}|${unit}`;
      const own = measured.filter((row) => metricUnit(metric, [row]) === unit);
      return chartOf({ key, suite, unit }, own, context);
    });
  });
}
