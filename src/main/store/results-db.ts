/**
 * The results database: one SQLite file in the data folder (`node:sqlite`,
 * no native module to rebuild for Electron), one connection, its
 * migrations; opening it marks the runs a killed workbench left running
 * (interrupted-runs.ts). The repositories beside it (bench-runs.ts, recordings.ts) are
 * the only code that writes SQL against it.
 */
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { ensurePrivateFolder } from './data-dir.ts';
import { markInterruptedRuns } from './interrupted-runs.ts';
import { migrations } from './migrations.ts';

export class ResultsDb {
  readonly path: string;
  readonly db: DatabaseSync;

  /** `processAlive`: tells a run's writer still at work from one that is gone (interrupted-runs.ts). */
  constructor(path: string, options: { processAlive?: (pid: number) => boolean } = {}) {
    this.path = path;
    if (path !== ':memory:') ensurePrivateFolder(dirname(path));
    this.db = new DatabaseSync(path);
    try {
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
      migrate(this.db);
      markInterruptedRuns(this, options.processAlive);
    } catch (error) {
      this.db.close();
      throw error instanceof WorkbenchFailure ? error : unreadable(path, error);
    }
    // The results say what each board is and where it is: the owner's alone (the WAL and its index too).
    if (path !== ':memory:') for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  }

  get schemaVersion(): number {
    return userVersion(this.db);
  }

  /** Runs `work` in one write transaction: all of it lands, or none of it. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** A file that is not a results database (damaged, or something else under its name): where it is, and what to do. */
function unreadable(path: string, error: unknown): WorkbenchFailure {
  return new WorkbenchFailure(
    'unavailable',
    `The results database ${path} cannot be read: it is damaged or not a workbench database. Move it aside (rename it, for example to results.sqlite.old) and start the workbench again: it makes a new, empty one. Your settings and boards are kept.`,
    error instanceof Error ? error.message : String(error),
  );
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
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migrations[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function userVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}
