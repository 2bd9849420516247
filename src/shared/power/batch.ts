/**
 * The one power batch: a board's samples since the last batch as columns
 * (every rail, the input and the rail sum, loads, temperatures), the rail
 * that is the module's input, and the markers placed meanwhile. Live power
 * (`telemetry.onDidSample`) and a benchmark's live power (`bench.onDidPower`)
 * send it; every chart reads it. Never one event per sample: at most ten a
 * second per board.
 */
import { z } from 'zod';

const column = z.array(z.number().nullable());

export const PowerBatch = z.object({
  board: z.string(),
  /** Sequence number of `t[0]`; the next batch starts at seq0 + t.length. */
  seq0: z.number().int(),
  /** Unix epoch seconds (fractional). */
  t: z.array(z.number()),
  /** The module's input rail (VDD_IN, POM_5V_IN, VIN), or null: the board measures only sub-rails. */
  inputRail: z.string().nullable(),
  inputMw: column,
  railSumMw: column,
  rails: z.record(z.string(), column),
  cpuLoad: column,
  gpuLoad: column,
  gpuMhz: column,
  emcLoad: column,
  ramUsedMb: column,
  temps: z.record(z.string(), column),
  /** Markers placed since the last batch (epoch seconds). */
  markers: z.array(z.object({ t: z.number(), label: z.string() })),
});
export type PowerBatch = z.infer<typeof PowerBatch>;
