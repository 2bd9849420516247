/** The two things every user of the results database does the same way. */
import type { DatabaseSync } from 'node:sqlite';

/** Runs `work` in one write transaction: all of it lands, or none of it. */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** Settings for a second connection to the results file (the store that migrated it sets WAL). */
export function configureConnection(db: DatabaseSync): DatabaseSync {
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  return db;
}
