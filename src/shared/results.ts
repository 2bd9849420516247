/** A recorded run (benchmark, training, telemetry capture) and where runs are kept. */
export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  kind: string;
  /** The board's inventory id (or `sim:<name>` for a simulated board). */
  board: string;
  title: string;
  status: RunStatus;
  /** Milliseconds since the Unix epoch. */
  startedAt: number;
  finishedAt: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

export interface RailSamples {
  /** Seconds since the run began, one per sample. */
  t: number[];
  /** Milliwatts per rail name, aligned with `t`. */
  rails: Record<string, number[]>;
}
