/**
 * The Benchmarks view's results table: the stored runs of a plan grouped by
 * condition, each metric summarized (median, 95 % CI) with the same
 * statistics as the report (src/shared/bench/stats.ts). Pure.
 */
import { summarize, type Summary } from '../../shared/bench/stats.ts';

export interface ConditionSummary {
  condition: string;
  runs: number;
  failed: number;
  throughput: Summary | null;
  throughputUnit: string;
  accuracy: Summary | null;
  joules: Summary | null;
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
      runs: runs.length,
      failed: runs.length - done.length,
      throughput: summarize(values(done, 'throughput')),
      throughputUnit: String(done[0]?.metrics.throughputUnit ?? 'items/s'),
      accuracy: summarize(values(done, 'accuracy')),
      joules: summarize(values(done, 'energy.joules')),
    };
  });
}
