/**
 * The `runs` and `samples` tables as every store of the results database
 * reads them (results, benchmarks, telemetry recordings): one row type, one
 * mapping to a RunRecord, one reader of a run's rail samples.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { RailSamples, RunRecord, RunStatus } from '../../shared/results.ts';

export interface RunRow {
  id: string;
  kind: string;
  board: string;
  title: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  params: string;
  metrics: string;
}

export function runRecordOf(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    board: row.board,
    title: row.title,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    params: JSON.parse(row.params) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
  };
}

/** A run's samples as columns: a rail missing from some rows reads NaN there. */
export function readRailSamples(db: DatabaseSync, runId: string): RailSamples {
  const rows = db.prepare('SELECT t, rails FROM samples WHERE run_id = ? ORDER BY seq').all(runId) as { t: number; rails: string }[];
  const result: RailSamples = { t: [], rails: {} };
  rows.forEach((row, index) => {
    result.t.push(row.t);
    for (const [name, mw] of Object.entries(JSON.parse(row.rails) as Record<string, number | null>)) {
      (result.rails[name] ??= new Array<number>(index).fill(Number.NaN)).push(mw ?? Number.NaN);
    }
  });
  return result;
}
