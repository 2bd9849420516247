/**
 * Runs a workbench left `running` when it was killed (`kill -9`, a crash, a
 * power cut): at the next opening of the results database each one whose
 * writing process is gone is marked failed, "interrupted at" the time of its
 * last stored sample, with its samples kept (a recording also gets its sample
 * count and energy from them). A run whose process is alive (another window,
 * a `jwb` command on the same data folder) is left alone.
 */
import type { DatabaseSync } from 'node:sqlite';
import { maxGapFor } from '../../shared/power/gaps.ts';
import { recordingEnergy } from '../../shared/telemetry/columns.ts';
import { Recordings } from './recordings.ts';
import type { ResultsDb } from './results-db.ts';

interface RunningRow {
  id: string;
  kind: string;
  started_at: number;
  owner_pid: number | null;
  params: string;
  metrics: string;
}

/** Whether process `pid` is alive (signal 0 checks without sending; EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Marks the runs left behind; returns their ids. */
export function markInterruptedRuns(results: ResultsDb, isAlive: (pid: number) => boolean = processAlive): string[] {
  const db = results.db;
  const rows = db
    .prepare(`SELECT id, kind, started_at, owner_pid, params, metrics FROM runs WHERE status = 'running'`)
    .all() as unknown as RunningRow[];
  const orphans = rows.filter((row) => row.owner_pid === null || !isAlive(row.owner_pid));
  for (const row of orphans) {
    const { samples, lastT } = storedSamples(db, row.id);
    // Stored times are seconds since the run's start (recordings: since the recording began).
    const finishedAt = row.started_at + Math.round(lastT * 1000);
    const metrics: Record<string, unknown> = { ...objectOf(row.metrics), reason: `interrupted at ${new Date(finishedAt).toISOString()}` };
    if (row.kind === 'telemetry') Object.assign(metrics, recordingSummary(results, row, samples));
    db.prepare(`UPDATE runs SET status = 'failed', finished_at = ?, metrics = ?, owner_pid = NULL WHERE id = ?`).run(
      finishedAt,
      JSON.stringify(metrics),
      row.id,
    );
  }
  return orphans.map((row) => row.id);
}

function storedSamples(db: DatabaseSync, runId: string): { samples: number; lastT: number } {
  const count = db.prepare('SELECT COUNT(*) AS samples FROM samples WHERE run_id = ?').get(runId) as { samples: number };
  const last = db.prepare('SELECT t FROM samples WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runId) as { t: number } | undefined;
  return { samples: count.samples, lastT: Number.isFinite(last?.t) ? (last?.t as number) : 0 };
}

/** What `TelemetryService` stores when a recording stops, from the samples that reached the database. */
function recordingSummary(results: ResultsDb, row: RunningRow, samples: number): Record<string, unknown> {
  const intervalMs = objectOf(row.params).intervalMs;
  const maxGapS = maxGapFor(typeof intervalMs === 'number' && intervalMs > 0 ? intervalMs / 1000 : 1);
  const stored = new Recordings(results).get(row.id);
  return { samples, maxGapS, energy: stored === undefined || samples < 2 ? null : recordingEnergy(stored.columns, maxGapS) };
}

function objectOf(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
