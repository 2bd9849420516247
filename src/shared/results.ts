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

export interface ResultStore {
  readonly schemaVersion: number;
  readonly path: string;
  saveRun(run: RunRecord): void;
  /** Samples and their run's final state are written in one transaction, or not at all. */
  finishRun(id: string, update: { status: RunStatus; finishedAt: number; metrics: Record<string, unknown> }, samples?: RailSamples): void;
  getRun(id: string): RunRecord | undefined;
  listRuns(options?: { limit?: number }): RunRecord[];
  getSamples(id: string): RailSamples;
  close(): void;
}
