/**
 * Results and recorded telemetry in SQLite (`node:sqlite`, no native module
 * to rebuild for Electron). One database file in the data folder.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { RailSamples, ResultStore, RunRecord, RunStatus } from '../../shared/results.ts';
import { migrations } from './migrations.ts';
import { readRailSamples, runRecordOf, type RunRow } from './run-rows.ts';
import { transaction } from './sqlite.ts';

export class SqliteResultStore implements ResultStore {
  readonly path: string;
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000;');
    try {
      migrate(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  get schemaVersion(): number {
    return userVersion(this.#db);
  }

  saveRun(run: RunRecord): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO runs (id, kind, board, title, status, started_at, finished_at, params, metrics)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.kind,
        run.board,
        run.title,
        run.status,
        run.startedAt,
        run.finishedAt,
        JSON.stringify(run.params),
        JSON.stringify(run.metrics),
      );
  }

  finishRun(id: string, update: { status: RunStatus; finishedAt: number; metrics: Record<string, unknown> }, samples?: RailSamples): void {
    transaction(this.#db, () => {
      const changed = this.#db
        .prepare('UPDATE runs SET status = ?, finished_at = ?, metrics = ? WHERE id = ?')
        .run(update.status, update.finishedAt, JSON.stringify(update.metrics), id);
      if (changed.changes === 0) throw new WorkbenchFailure('not-found', 'This run is not in the results database.', id);
      if (!samples) return;
      const insert = this.#db.prepare('INSERT INTO samples (run_id, seq, t, rails) VALUES (?, ?, ?, ?)');
      const names = Object.keys(samples.rails);
      samples.t.forEach((t, seq) => {
        const row = Object.fromEntries(names.map((name) => [name, samples.rails[name]?.[seq] ?? null]));
        insert.run(id, seq, t, JSON.stringify(row));
      });
    });
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && runRecordOf(row);
  }

  listRuns(options: { limit?: number } = {}): RunRecord[] {
    const rows = this.#db.prepare('SELECT * FROM runs ORDER BY started_at DESC LIMIT ?').all(options.limit ?? 1000) as unknown as RunRow[];
    return rows.map(runRecordOf);
  }

  getSamples(id: string): RailSamples {
    return readRailSamples(this.#db, id);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function migrate(db: DatabaseSync): void {
  const current = userVersion(db);
  if (current > migrations.length) {
    throw new WorkbenchFailure(
      'unsupported',
      'The results database was written by a newer version of the workbench. Update the workbench to open it.',
      `database schema ${current}, this version knows up to ${migrations.length}`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    transaction(db, () => {
      db.exec(migrations[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

function userVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}
