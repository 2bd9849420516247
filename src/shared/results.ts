/** A recorded run (benchmark, training, telemetry capture) and where runs are kept. */
export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  kind: string;
  /** The board's key (`boardKey`: its inventory or simulated id, or `user@host:port`). */
  board: string;
  title: string;
  status: RunStatus;
  /** Milliseconds since the Unix epoch. */
  startedAt: number;
  finishedAt: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

/** A run of one kind, as its repository reads it (the kind is the repository's). */
export type KindRun = Omit<RunRecord, 'kind'>;

export interface RailSamples {
  /** Seconds since the run began, one per sample. */
  t: number[];
  /** Milliwatts per rail name, aligned with `t`. */
  rails: Record<string, number[]>;
}
