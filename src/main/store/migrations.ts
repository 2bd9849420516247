/**
 * Schema migrations of the results database, applied in order inside one
 * transaction each. `PRAGMA user_version` records how far a file has come.
 * Never edit a shipped migration: add the next one.
 */
export const migrations: readonly string[] = [
  // 1: benchmark runs and the telemetry samples recorded during them.
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     board TEXT NOT NULL,
     title TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     params TEXT NOT NULL DEFAULT '{}',
     metrics TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX runs_started_at ON runs (started_at);
   CREATE TABLE samples (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     t REAL NOT NULL,
     rails TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   ) WITHOUT ROWID;`,
  // 2: telemetry recordings (runs of kind 'telemetry'): per-sample loads/clocks/temps beside the rails, and markers.
  `ALTER TABLE samples ADD COLUMN detail TEXT;
   CREATE TABLE markers (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     t REAL NOT NULL,
     label TEXT NOT NULL
   );
   CREATE INDEX markers_run_id ON markers (run_id, t);`,
  // 3: runs are written as they go; a `running` row names the process writing it, so the next start
  // of the workbench can tell a run that process left behind (killed) from one still going (another window, the CLI).
  `ALTER TABLE runs ADD COLUMN owner_pid INTEGER;`,
];
