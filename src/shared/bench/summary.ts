/**
 * The one summary of a plan's runs by condition, for every reader (the
 * Benchmarks view's table and charts, the report, `jwb bench`): the runs
 * grouped by their condition key, each figure's median with its 95 % CI
 * (src/shared/bench/stats.ts), and what the condition is made of (board,
 * suite, framework, batch, power mode) to label and group by. Pure.
 */
import { powerModeLabel, type PowerModeSetting } from './plan.ts';
import { runBoardOf, type BenchRun, type RunBoard } from './results.ts';
import { summarize, type Summary } from './stats.ts';

/** What a condition is made of, as the runner stored it in its runs' params. */
export interface ConditionParts {
  board: RunBoard;
  suite: string;
  framework: string;
  /** null: the suite's default batch. */
  batch: number | null;
  powerMode: PowerModeSetting;
  /** `powerModeLabel` (English, as in the condition key). */
  powerModeLabel: string;
}

/** How a condition's energy was measured: the method, the source and the sampling rate of its runs. */
export interface EnergyMeasurement {
  method: 'counter' | 'integral';
  source: string | null;
  /** Median achieved rate, Hz. */
  hz: number | null;
  /** The first run's warning (too short, too bursty), if any run had one. */
  warning: string | null;
}

export interface ConditionSummary {
  condition: string;
  parts: ConditionParts;
  runs: number;
  failed: number;
  throughput: Summary | null;
  throughputUnit: string;
  accuracy: Summary | null;
  /** Length of the measured phase, s. */
  seconds: Summary | null;
  joules: Summary | null;
  /** Mean power between the agent's begin and end markers, W. */
  averageW: Summary | null;
  /** Energy per processed sample, J. */
  jPerSample: Summary | null;
  /** Median latency of one call, ms (inference suites only). */
  latencyP50Ms: Summary | null;
  energy: EnergyMeasurement | null;
}

/** The parts of a condition, read from its runs (a failed board's runs may lack some: another run may have them). */
export function partsOf(runs: readonly BenchRun[]): ConditionParts {
  const params = runs[0]?.params;
  const named = runs.find((run) => run.params.board !== null) ?? runs[0];
  const powerMode = params?.powerMode ?? { nvpmodel: null, jetsonClocks: false };
  return {
    board: named === undefined ? { key: '', label: '', simulated: false } : runBoardOf(named),
    suite: params?.suite ?? '',
    framework: params?.framework ?? '',
    batch: params?.batch ?? null,
    powerMode,
    powerModeLabel: powerModeLabel(powerMode),
  };
}

function figure(runs: readonly BenchRun[], read: (run: BenchRun) => number | null | undefined): Summary | null {
  return summarize(
    runs.flatMap((run) => {
      const value = read(run);
      return value === null || value === undefined ? [] : [value];
    }),
  );
}

function energyMeasurement(runs: readonly BenchRun[]): EnergyMeasurement | null {
  const energies = runs.flatMap((run) => (run.metrics.energy === null ? [] : [run.metrics.energy]));
  const first = energies[0];
  if (first === undefined) return null;
  return {
    method: energies.every((energy) => energy.method === 'counter') ? 'counter' : 'integral',
    source: first.source,
    hz: summarize(energies.flatMap((energy) => (energy.hz === null ? [] : [energy.hz])))?.median ?? null,
    warning: energies.find((energy) => energy.warning !== null)?.warning ?? null,
  };
}

/** One row per condition, in the order the runs come (a plan's runs oldest first). */
export function summarizeConditions(runs: readonly BenchRun[]): ConditionSummary[] {
  const groups = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const condition = run.params.condition === '' ? run.board : run.params.condition;
    groups.set(condition, [...(groups.get(condition) ?? []), run]);
  }
  return [...groups].map(([condition, group]) => {
    const done = group.filter((run) => run.status === 'done');
    return {
      condition,
      parts: partsOf(group),
      runs: group.length,
      failed: group.length - done.length,
      throughput: figure(done, (run) => run.metrics.throughput),
      throughputUnit: done.find((run) => run.metrics.throughputUnit !== null)?.metrics.throughputUnit ?? 'items/s',
      accuracy: figure(done, (run) => run.metrics.accuracy),
      seconds: figure(done, (run) => run.metrics.seconds),
      joules: figure(done, (run) => run.metrics.energy?.joules),
      averageW: figure(done, (run) => run.metrics.energy?.averageW),
      jPerSample: figure(done, (run) => run.metrics.energy?.jPerSample),
      latencyP50Ms: figure(done, (run) => run.metrics.latencyMs?.p50),
      energy: energyMeasurement(done),
    };
  });
}

/**
 * A short name for each condition: only the parts that differ between the plan's conditions
 * (a one-board, one-framework plan has no reason to repeat them on every row), suite and
 * framework when nothing differs. Boards go by their names, never their keys.
 */
export function shortConditionLabels(rows: readonly ConditionSummary[]): Map<string, string> {
  const pieces = (parts: ConditionParts) => ({
    board: parts.board.label,
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

/** The whole condition in words, board by name: `orin-nano-1 · mnist-train · numpy · default batch · current mode`. */
export function fullConditionLabel(parts: ConditionParts): string {
  return [
    parts.board.label,
    parts.suite,
    parts.framework,
    parts.batch === null ? 'default batch' : `batch ${parts.batch}`,
    parts.powerModeLabel,
  ].join(' · ');
}
