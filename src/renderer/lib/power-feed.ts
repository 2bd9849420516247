/**
 * What a PowerChart draws from: a board's live telemetry (LiveBoard) or a
 * benchmark run's power samples (BenchPowerFeed). Both hand out telemetry
 * batches and say which rail, if any, is the module's input.
 */
import type { PowerBatch } from '../../shared/power/batch.ts';

export type BatchListener = (batch: PowerBatch) => void;

export interface PowerFeed {
  readonly state: { readonly label: string; readonly inputRail: string | null; readonly intervalMs: number };
  /** True when the total is the module input rail, else the sum of the rails. */
  readonly hasInputRail: boolean;
  onBatch(listener: BatchListener): () => void;
}
