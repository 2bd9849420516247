/**
 * The telemetry part of the contract (src/shared/api.ts): schemas of its
 * inputs, outputs and event payloads. See src/main/telemetry/telemetry-service.ts.
 */
import { z } from 'zod';

export const telemetrySourceKinds = ['tegrastats', 'agent', 'nvidia-smi'] as const;

/** A demo board by id (demo.list), or any SSH target; a password is kept in memory only. */
export const TelemetryTarget = z.union([
  z.object({ demoBoardId: z.string().min(1).max(80) }).strict(),
  /** A board of the inventory that is connected in the Boards view: its link is shared, not reopened. */
  z.object({ boardId: z.string().min(1).max(80) }).strict(),
  z
    .object({
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535).default(22),
      user: z.string().min(1).max(64),
      password: z.string().max(256).optional(),
    })
    .strict(),
]);
export type TelemetryTarget = z.infer<typeof TelemetryTarget>;

/** The key a board goes by in telemetry and benchmarks: its demo or inventory id, or `user@host:port`. */
export function targetKey(target: TelemetryTarget): string {
  if ('demoBoardId' in target) return target.demoBoardId;
  if ('boardId' in target) return target.boardId;
  return `${target.user}@${target.host}:${target.port}`;
}

export const TelemetryStartInput = z
  .object({
    target: TelemetryTarget,
    source: z.enum(telemetrySourceKinds).default('tegrastats'),
    /** tegrastats: 100–5000 ms; agent: 10–5000 ms (≤ 100 Hz); nvidia-smi: 100–5000 ms. */
    intervalMs: z.number().int().min(10).max(5000).default(1000),
  })
  .strict();

const BoardKey = z.string().min(1).max(200);
const nullableNumbers = z.array(z.number().nullable());

export const PowerModeInfo = z.object({ name: z.string(), id: z.number().int().nullable() });

/** One board's telemetry state (`telemetry.list`, `telemetry.start`, event `telemetry.onDidChange`). */
export const TelemetryBoardState = z.object({
  /** The key every other method and event uses for this board: the demo id, or `user@host:port`. */
  board: z.string(),
  label: z.string(),
  source: z.enum(telemetrySourceKinds),
  intervalMs: z.number(),
  state: z.enum(['starting', 'running', 'stopped', 'failed']),
  /** Why it failed, in words; null otherwise. */
  error: z.string().nullable(),
  samples: z.number().int(),
  gaps: z.number().int(),
  lost: z.number().int(),
  unparsed: z.number().int(),
  /** The last lines that did not parse (at most 20), for display. */
  recentUnparsed: z.array(z.string()),
  /** The module input rail (VDD_IN, POM_5V_IN, VIN), or null: this board measures only sub-rails. */
  inputRail: z.string().nullable(),
  rails: z.array(z.string()),
  /** `nvpmodel -q` when the source started; null where there is none (desktop GPU, older boards). */
  powerMode: PowerModeInfo.nullable(),
  /** The recording in progress, if any. */
  recording: z.string().nullable(),
});
export type TelemetryBoardState = z.infer<typeof TelemetryBoardState>;

/** Event `telemetry.onDidSample`: the samples since the last batch, as columns (≤ 10 events a second per board). */
export const TelemetrySampleBatch = z.object({
  board: z.string(),
  /** Sequence number of `t[0]`; the next batch starts at seq0 + t.length. */
  seq0: z.number().int(),
  /** Unix epoch seconds (fractional). */
  t: z.array(z.number()),
  inputMw: nullableNumbers,
  railSumMw: nullableNumbers,
  rails: z.record(z.string(), nullableNumbers),
  cpuLoad: nullableNumbers,
  gpuLoad: nullableNumbers,
  gpuMhz: nullableNumbers,
  emcLoad: nullableNumbers,
  ramUsedMb: nullableNumbers,
  temps: z.record(z.string(), nullableNumbers),
  /** Markers placed since the last batch (epoch seconds). */
  markers: z.array(z.object({ t: z.number(), label: z.string() })),
});
export type TelemetrySampleBatch = z.infer<typeof TelemetrySampleBatch>;

const RailEnergy = z.object({ joules: z.number(), averageW: z.number().nullable(), peakW: z.number().nullable() });

export const EnergySummaryInfo = z.object({
  fromT: z.number(),
  toT: z.number(),
  input: RailEnergy.nullable(),
  rails: z.record(z.string(), RailEnergy),
  coveredS: z.number(),
  gaps: z.array(z.object({ fromT: z.number(), toT: z.number() })),
  gapS: z.number(),
});

export const RecordingInfo = z.object({
  id: z.string(),
  board: z.string(),
  title: z.string(),
  status: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  samples: z.number().int(),
  powerMode: PowerModeInfo.nullable(),
  /** Null while recording. */
  energy: EnergySummaryInfo.nullable(),
});
export type RecordingInfo = z.infer<typeof RecordingInfo>;

export const telemetryMethods = {
  'telemetry.start': { input: TelemetryStartInput, output: TelemetryBoardState },
  'telemetry.stop': { input: z.object({ board: BoardKey }).strict(), output: z.object({ stopped: z.boolean() }) },
  'telemetry.list': { input: z.object({}).strict(), output: z.array(TelemetryBoardState) },
  'telemetry.mark': {
    input: z.object({ board: BoardKey, label: z.string().min(1).max(200) }).strict(),
    /** `t`: epoch seconds; `recordingT`: seconds into the recording, null when not recording. */
    output: z.object({ t: z.number(), recordingT: z.number().nullable() }),
  },
  'telemetry.record.start': {
    input: z.object({ board: BoardKey, title: z.string().max(200).optional() }).strict(),
    output: z.object({ id: z.string() }),
  },
  'telemetry.record.stop': { input: z.object({ board: BoardKey }).strict(), output: RecordingInfo },
  'telemetry.recordings': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(RecordingInfo),
  },
  /** Returns the CSV text and also writes it to `<data folder>/exports/<id>.csv` (the returned `path`). */
  'telemetry.exportCsv': {
    input: z.object({ id: z.string().min(1).max(80) }).strict(),
    output: z.object({ csv: z.string(), path: z.string() }),
  },
} as const;

export const telemetryEvents = {
  'telemetry.onDidSample': { payload: TelemetrySampleBatch },
  'telemetry.onDidChange': { payload: TelemetryBoardState },
} as const;
