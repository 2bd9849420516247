/**
 * The telemetry part of the contract (src/shared/api.ts): schemas of its
 * inputs, outputs and event payloads. See src/main/telemetry/telemetry-service.ts.
 */
import { z } from 'zod';
import { BoardRef } from '../boards/board-ref.ts';
import { PowerBatch } from '../power/batch.ts';

/**
 * Where the power comes from: `auto` picks per board from the agent's probe (hwmon, iio, NVML, nvidia-smi,
 * then tegrastats); the others force one (the agent's sampler, tegrastats, or nvidia-smi on a desktop host).
 */
export const telemetrySourceKinds = ['auto', 'agent', 'tegrastats', 'nvidia-smi'] as const;

export const TelemetryStartInput = z
  .object({
    board: BoardRef,
    source: z.enum(telemetrySourceKinds).default('auto'),
    /** tegrastats: 100–5000 ms; agent: 10–5000 ms (≤ 100 Hz); nvidia-smi: 100–5000 ms; auto: the source's fastest when left out. */
    intervalMs: z.number().int().min(10).max(5000).optional(),
  })
  .strict();

const BoardKey = z.string().min(1).max(200);

export const PowerModeInfo = z.object({ name: z.string(), id: z.number().int().nullable() });

/** One board's telemetry state (`telemetry.list`, `telemetry.start`, event `telemetry.onDidChange`). */
export const TelemetryBoardState = z.object({
  /** The key every other method and event uses for this board (`boardKey` of its ref). */
  board: z.string(),
  /** The board's name, as people know it. */
  label: z.string(),
  simulated: z.boolean(),
  /** The stream in use (`auto` resolved). */
  source: z.enum(['agent', 'tegrastats', 'nvidia-smi']),
  /** What the power is read from: the agent's source (hwmon, iio, nvml-instant, nvml, nvidia-smi), or tegrastats / nvidia-smi. */
  powerSource: z.string(),
  intervalMs: z.number(),
  /** `starting` also while the board is away (a reboot): the source starts again when its link is back. */
  state: z.enum(['starting', 'running', 'stopped', 'failed']),
  /** Why it failed, or why it waits for the board, in words; null otherwise. */
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
  /** Why it is not `done` (e.g. "interrupted at …": the workbench stopped mid-recording); null otherwise. */
  reason: z.string().nullable(),
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
  /** The samples since the last batch (≤ 10 events a second per board). */
  'telemetry.onDidSample': { payload: PowerBatch },
  'telemetry.onDidChange': { payload: TelemetryBoardState },
} as const;
