/**
 * Benchmark runs in the results database: a `runs` row of kind `bench`
 * (typed conditions and environment in `params`, typed results in
 * `metrics`, src/shared/bench/results.ts), its power samples (every rail
 * plus `total`) and its begin/end markers.
 *
 * A run is written as it goes: its row when it starts (status `running`,
 * owned by this process), its samples as they stream (seconds since the
 * row's `started_at`), so a killed workbench leaves the run and all but
 * its last seconds. `save` then finishes it in ONE transaction: the row's
 * status and metrics, the samples as the run measured them (seconds from
 * the `begin` marker) in place of the streamed ones, and the markers.
 */
import type { DatabaseSync } from 'node:sqlite';
import { readBenchRun, type BenchRun } from '../../shared/bench/results.ts';
import type { RailSamples, RunRecord } from '../../shared/results.ts';
import type { ResultsDb } from './results-db.ts';
import { readRailSamples, runRecordOf, type RunRow } from './run-rows.ts';

export interface BenchRunToStore extends RunRecord {
  samples: RailSamples;
  markers: { t: number; label: string }[];
}

export class BenchRuns {
  readonly #results: ResultsDb;
  readonly #db: DatabaseSync;

  constructor(results: ResultsDb) {
    this.#results = results;
    this.#db = results.db;
  }

  /** The run's row as it starts, before any of its samples. */
  begin(run: RunRecord): void {
    this.#db
      .prepare(
        `INSERT INTO runs (id, kind, board, title, status, started_at, finished_at, params, metrics, owner_pid)
         VALUES (?, 'bench', ?, ?, 'running', ?, NULL, ?, ?, ?)`,
      )
      .run(run.id, run.board, run.title, run.startedAt, JSON.stringify(run.params), JSON.stringify(run.metrics), process.pid);
  }

  /** Streamed samples `firstSeq`… of a begun run, in one transaction. */
  appendSamples(runId: string, firstSeq: number, samples: RailSamples): void {
    this.#results.transaction(() => this.#insertSamples(runId, firstSeq, samples));
  }

  /** Stores a run whole (a begun one is finished): row, samples and markers, all or nothing. */
  save(run: BenchRunToStore): void {
    this.#results.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO runs (id, kind, board, title, status, started_at, finished_at, params, metrics)
           VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, board = excluded.board, title = excluded.title,
             status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at,
             params = excluded.params, metrics = excluded.metrics`,
        )
        .run(
          run.id,
          run.board,
          run.title,
          run.status,
          run.startedAt,
          run.finishedAt,
          JSON.stringify(run.params),
          JSON.stringify(run.metrics),
        );
      this.#db.prepare('DELETE FROM samples WHERE run_id = ?').run(run.id);
      this.#db.prepare('DELETE FROM markers WHERE run_id = ?').run(run.id);
      this.#insertSamples(run.id, 0, run.samples);
      const mark = this.#db.prepare('INSERT INTO markers (run_id, t, label) VALUES (?, ?, ?)');
      for (const marker of run.markers) mark.run(run.id, marker.t, marker.label);
    });
  }

  /** A plan's runs in the order they started, or the latest runs of any plan. */
  runs(options: { planId?: string | undefined; limit?: number } = {}): BenchRun[] {
    const limit = options.limit ?? 500;
    const rows =
      options.planId === undefined
        ? this.#db.prepare(`SELECT * FROM runs WHERE kind = 'bench' ORDER BY started_at DESC LIMIT ?`).all(limit)
        : this.#db
            .prepare(`SELECT * FROM runs WHERE kind = 'bench' AND json_extract(params, '$.planId') = ? ORDER BY started_at, rowid LIMIT ?`)
            .all(options.planId, limit);
    return (rows as unknown as RunRow[]).map((row) => readBenchRun(runRecordOf(row)));
  }

  latestPlanId(): string | undefined {
    const row = this.#db
      .prepare(
        `SELECT json_extract(params, '$.planId') AS plan FROM runs WHERE kind = 'bench' ORDER BY started_at DESC, rowid DESC LIMIT 1`,
      )
      .get() as { plan: string | null } | undefined;
    return row?.plan ?? undefined;
  }

  samples(runId: string): RailSamples {
    return readRailSamples(this.#db, runId);
  }

  markers(runId: string): { t: number; label: string }[] {
    return this.#db.prepare('SELECT t, label FROM markers WHERE run_id = ? ORDER BY t').all(runId) as { t: number; label: string }[];
  }

  #insertSamples(runId: string, firstSeq: number, samples: RailSamples): void {
    const insert = this.#db.prepare('INSERT INTO samples (run_id, seq, t, rails) VALUES (?, ?, ?, ?)');
    const names = Object.keys(samples.rails);
    samples.t.forEach((t, index) => {
      const row = Object.fromEntries(names.map((name) => [name, finiteOrNull(samples.rails[name]?.[index])]));
      insert.run(runId, firstSeq + index, t, JSON.stringify(row));
    });
  }
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
