/**
 * Benchmark runs in the results database: a `runs` row of kind `bench`
 * (typed conditions and environment in `params`, typed results in
 * `metrics`, src/shared/bench/results.ts), its power samples (seconds from
 * the `begin` marker; every rail plus `total`) and its begin/end markers,
 * all written in ONE transaction when the run ends, so a run is either
 * wholly stored or not at all.
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

  save(run: BenchRunToStore): void {
    this.#results.transaction(() => {
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO runs (id, kind, board, title, status, started_at, finished_at, params, metrics)
           VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, ?)`,
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
      const insert = this.#db.prepare('INSERT INTO samples (run_id, seq, t, rails) VALUES (?, ?, ?, ?)');
      const names = Object.keys(run.samples.rails);
      run.samples.t.forEach((t, seq) => {
        const row = Object.fromEntries(names.map((name) => [name, finiteOrNull(run.samples.rails[name]?.[seq])]));
        insert.run(run.id, seq, t, JSON.stringify(row));
      });
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
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
