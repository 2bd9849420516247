/**
 * A stored benchmark run, typed: its conditions (`BenchParams`) and what it
 * measured (`BenchMetrics`), as the runner writes them and every reader (the
 * Benchmarks view, the report, `jwb bench`) reads them. Rows written by an
 * older workbench are read, not rejected: a missing field takes its empty
 * value. Pure.
 */
import { z } from 'zod';
import { BoardFactsSchema } from '../boards-contract.ts';
import type { KindRun } from '../results.ts';

const nullableNumber = z.number().nullable().catch(null);
const nullableString = z.string().nullable().catch(null);
const nullableInt = z.number().int().nullable().catch(null);

export const PowerModeSetting = z.object({ nvpmodel: z.number().int().min(0).max(99).nullable(), jetsonClocks: z.boolean() }).strict();

/** The board a run was measured on, as people know it. */
export const RunBoard = z.object({ key: z.string(), label: z.string(), simulated: z.boolean().catch(false) });
export type RunBoard = z.infer<typeof RunBoard>;

/** Where the run's power was read, and the board's mode while it ran. */
export const BenchEnvironment = z.object({
  /** The board's identification (`jwb info`), taken when the plan started on it. */
  facts: BoardFactsSchema.nullable().catch(null),
  agentVersion: nullableString,
  /** The power source the run sampled (hwmon, iio, nvml-instant, nvml, nvidia-smi, tegrastats), or null when the board has none. */
  powerSource: nullableString,
  /** `nvpmodel -q` read back after setting the run's mode; null where the board has no nvpmodel. */
  powerMode: z.object({ name: z.string(), id: z.number().int().nullable(), jetsonClocks: z.boolean() }).nullable().catch(null),
});
export type BenchEnvironment = z.infer<typeof BenchEnvironment>;

export const BenchParams = z.object({
  planId: z.string().catch(''),
  planTitle: nullableString,
  index: z.number().int().catch(0),
  suite: z.string().catch(''),
  framework: z.string().catch(''),
  batch: nullableInt,
  powerMode: PowerModeSetting.catch({ nvpmodel: null, jetsonClocks: false }),
  repeat: z.number().int().catch(1),
  repeats: z.number().int().catch(1),
  /** The grouping key: runs with equal conditions are repeats of one another (never shown as such). */
  condition: z.string().catch(''),
  epochs: nullableInt,
  seconds: nullableNumber,
  trainLimit: nullableInt,
  testLimit: nullableInt,
  dataset: nullableString,
  board: RunBoard.nullable().catch(null),
  argv: z.array(z.string()).catch([]),
  environment: BenchEnvironment.nullable().catch(null),
});
export type BenchParams = z.infer<typeof BenchParams>;

export const energyMethods = ['counter', 'integral'] as const;

/** A run's energy between the agent's begin and end markers, with how it was measured. */
export const BenchEnergy = z.object({
  joules: z.number(),
  /** `counter`: the hardware energy counter (NVML); `integral`: the trapezoid of the power samples. */
  method: z.enum(energyMethods).catch('integral'),
  /** The trapezoid of the samples over the same window (equals `joules` for the integral method). */
  integralJoules: nullableNumber,
  /** (integral − counter) / counter × 100, when both exist. */
  differencePct: nullableNumber,
  averageW: nullableNumber,
  peakW: nullableNumber,
  coveredS: z.number().catch(0),
  gaps: z.number().int().catch(0),
  samples: z.number().int().catch(0),
  /** The achieved sampling rate in the window, Hz. */
  hz: nullableNumber,
  jPerSample: nullableNumber,
  source: nullableString,
  /** Null when the rate was enough for the run; else why the figure may be off (too short, too bursty). */
  warning: nullableString,
});
export type BenchEnergy = z.infer<typeof BenchEnergy>;

const Latency = z.object({ p50: nullableNumber, p90: nullableNumber, p99: nullableNumber, mean: nullableNumber });

export const BenchMetrics = z.object({
  device: nullableString,
  frameworkVersion: nullableString,
  /** The simulator's stand-in framework ran (the NumPy reference did the work). */
  simulated: z.boolean().catch(false),
  throughput: nullableNumber,
  throughputUnit: nullableString,
  accuracy: nullableNumber,
  seconds: nullableNumber,
  samplesProcessed: nullableNumber,
  latencyMs: Latency.nullable().catch(null),
  tflops: nullableNumber,
  gbPerS: nullableNumber,
  epochSeconds: z.array(z.number()).nullable().catch(null),
  energy: BenchEnergy.nullable().catch(null),
  /** Why the run failed or was cancelled; null when it succeeded. */
  reason: nullableString,
  exitCode: nullableInt,
});
export type BenchMetrics = z.infer<typeof BenchMetrics>;

/** The metrics of a run that measured nothing (its board could not be reached or prepared). */
export function emptyBenchMetrics(): BenchMetrics {
  return BenchMetrics.parse({});
}

export const benchRunStatuses = ['running', 'done', 'failed', 'cancelled'] as const;

export const BenchRun = z.object({
  id: z.string(),
  board: z.string(),
  title: z.string(),
  status: z.enum(benchRunStatuses),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  params: BenchParams,
  metrics: BenchMetrics,
});
export type BenchRun = z.infer<typeof BenchRun>;

/** The board a run names: its stored name, else (a row from an older workbench) its key. */
export function runBoardOf(run: Pick<BenchRun, 'board' | 'params'>): RunBoard {
  return run.params.board ?? { key: run.board, label: run.board, simulated: false };
}

/** Reads a stored row leniently: every field of `params` and `metrics` takes its empty value when missing or malformed. */
export function readBenchRun(row: KindRun): BenchRun {
  return {
    id: row.id,
    board: row.board,
    title: row.title,
    status: (benchRunStatuses as readonly string[]).includes(row.status) ? (row.status as BenchRun['status']) : 'failed',
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    params: BenchParams.parse(objectOr(row.params)),
    metrics: BenchMetrics.parse(objectOr(row.metrics)),
  };
}

function objectOr(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
