/**
 * The Benchmarks view's results: the stored runs of a plan grouped by
 * condition, each metric summarized (median, 95 % CI) with the same
 * statistics as the report (src/shared/bench/stats.ts), and the condition's
 * parts (board, suite, framework, batch, power mode) for the comparison
 * charts to group and label bars by. Pure.
 */
import { powerModeLabel, type PowerModeSetting } from '../../shared/bench/plan.ts';
import { summarize, type Summary } from '../../shared/bench/stats.ts';

/** What a condition is made of, as the runner stored it in each run's params (src/main/bench/runner.ts, paramsOf). */
export interface ConditionParts {
  /** The board's name as the runner saw it (`params.boardLabel`), else its key. */
  board: string;
  suite: string;
  framework: string;
  /** null: the suite's default batch. */
  batch: number | null;
  powerMode: PowerModeSetting;
  /** `powerModeLabel` of src/shared/bench/plan.ts (English, as in the condition key). */
  powerModeLabel: string;
}

export interface ConditionSummary {
  condition: string;
  parts: ConditionParts;
  runs: number;
  failed: number;
  throughput: Summary | null;
  throughputUnit: string;
  accuracy: Summary | null;
  joules: Summary | null;
  /** Mean power between the agent's begin and end markers, W (metrics.energy.averageW). */
  averageW: Summary | null;
  /** Energy per processed sample, J (metrics.energy.jPerSample). */
  jPerSample: Summary | null;
  /** Median latency of one call, ms (metrics.latencyMs.p50; inference suites only). */
  latencyP50Ms: Summary | null;
}

/** A stored run as `bench.runs` gives it (the fields this table reads). */
export interface StoredBenchRun {
  board: string;
  status: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

function numberAt(record: Record<string, unknown>, path: string): number | null {
  let value: unknown = record;
  for (const part of path.split('.'))
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function values(runs: readonly StoredBenchRun[], path: string): number[] {
  return runs.flatMap((run) => {
    const value = numberAt(run.metrics, path);
    return value === null ? [] : [value];
  });
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function powerModeOf(value: unknown): PowerModeSetting {
  if (value === null || typeof value !== 'object') return { nvpmodel: null, jetsonClocks: false };
  const mode = value as Record<string, unknown>;
  return { nvpmodel: typeof mode.nvpmodel === 'number' ? mode.nvpmodel : null, jetsonClocks: mode.jetsonClocks === true };
}

/** The parts of a condition, read from its runs (a failed board's runs lack `boardLabel`: another run may have it). */
export function partsOf(runs: readonly StoredBenchRun[]): ConditionParts {
  const first = runs[0];
  const params = first?.params ?? {};
  const labelled = runs.map((run) => stringOf(run.params.boardLabel)).find((label) => label !== null);
  const powerMode = powerModeOf(params.powerMode);
  return {
    board: labelled ?? first?.board ?? '',
    suite: stringOf(params.suite) ?? stringOf(first?.metrics.suite) ?? '',
    framework: stringOf(params.framework) ?? stringOf(first?.metrics.framework) ?? '',
    batch: typeof params.batch === 'number' ? params.batch : null,
    powerMode,
    powerModeLabel: powerModeLabel(powerMode),
  };
}

/** One row per condition (the runner's condition key), in the order `bench.runs` gives for a plan (oldest first). */
export function summarizeRuns(rows: readonly StoredBenchRun[]): ConditionSummary[] {
  const groups = new Map<string, StoredBenchRun[]>();
  for (const row of rows) {
    const condition = typeof row.params.condition === 'string' ? row.params.condition : row.board;
    groups.set(condition, [...(groups.get(condition) ?? []), row]);
  }
  return [...groups].map(([condition, runs]) => {
    const done = runs.filter((run) => run.status === 'done');
    return {
      condition,
      parts: partsOf(runs),
      runs: runs.length,
      failed: runs.length - done.length,
      throughput: summarize(values(done, 'throughput')),
      throughputUnit: String(done.find((run) => typeof run.metrics.throughputUnit === 'string')?.metrics.throughputUnit ?? 'items/s'),
      accuracy: summarize(values(done, 'accuracy')),
      joules: summarize(values(done, 'energy.joules')),
      averageW: summarize(values(done, 'energy.averageW')),
      jPerSample: summarize(values(done, 'energy.jPerSample')),
      latencyP50Ms: summarize(values(done, 'latencyMs.p50')),
    };
  });
}

/**
 * A short name for each condition: only the parts that differ between the plan's conditions
 * (a one-board, one-framework plan has no reason to repeat them on every row), suite and
 * framework when nothing differs. The full condition key stays available as a tooltip.
 */
export function shortConditionLabels(rows: readonly ConditionSummary[]): Map<string, string> {
  const pieces = (parts: ConditionParts) => ({
    board: parts.board,
    suite: parts.suite,
    framework: parts.framework,
    batch: parts.batch === null ? 'default batch' : `batch ${parts.batch}`,
    powerMode: parts.powerModeLabel,
  });
  const all = rows.map((row) => pieces(row.parts));
  const keys = (['board', 'suite', 'framework', 'batch', 'powerMode'] as const).filter(
    (key) => new Set(all.map((piece) => piece[key])).size > 1,
  );
  const shown = keys.length > 0 ? keys : (['suite', 'framework'] as const);
  return new Map(rows.map((row, index) => [row.condition, shown.map((key) => all[index]?.[key] ?? '').join(' · ')]));
}

/**
 * The same short name for a condition key of the runner (`board | suite | framework | batch | mode`,
 * src/shared/bench/plan.ts conditionKey) while the plan runs, from what the plan varies.
 */
export function shortConditionOf(
  condition: string,
  plan: {
    targets: readonly unknown[];
    suites: readonly unknown[];
    frameworks: readonly unknown[];
    batchSizes: readonly unknown[];
    powerModes: readonly unknown[];
  },
): string {
  const parts = condition.split(' | ');
  if (parts.length !== 5) return condition;
  const varies = [plan.targets.length, plan.suites.length, plan.frameworks.length, plan.batchSizes.length, plan.powerModes.length].map(
    (count) => count > 1,
  );
  const shown = varies.some(Boolean) ? parts.filter((_, index) => varies[index]) : [parts[1], parts[2]];
  return shown.join(' · ');
}
