/**
 * The benchmark part of the contract (src/shared/api.ts): plans, progress
 * events and stored runs. See src/main/bench/service.ts.
 */
import { z } from 'zod';
import { BoardRef } from '../boards/board-ref.ts';
import { PowerBatch } from '../power/batch.ts';
import { benchSuites } from './plan.ts';
import { BenchRun, PowerModeSetting } from './results.ts';

const Count = z.number().int().min(1);

/** A plan as a person writes it: boards of the inventory (simulated ones among them) or addresses. */
export const BenchPlanInput = z
  .object({
    boards: z.array(BoardRef).min(1).max(16),
    frameworks: z
      .array(z.string().regex(/^[a-z0-9_-]{1,32}$/))
      .min(1)
      .max(8),
    suites: z.array(z.enum(benchSuites)).min(1).max(4),
    batchSizes: z.array(Count.max(4096).nullable()).max(8).default([]),
    powerModes: z.array(PowerModeSetting).max(8).default([]),
    repeats: Count.max(50).default(3),
    epochs: Count.max(100).optional(),
    seconds: z.number().min(0.5).max(600).optional(),
    trainLimit: Count.max(1_000_000).optional(),
    testLimit: Count.max(1_000_000).optional(),
    title: z.string().max(200).optional(),
    /**
     * A folder of MNIST-format idx files on this computer (train/t10k images and labels, gzipped or
     * not), pushed hash-checked to every board for mnist-train; without it, Debian's Fashion-MNIST
     * when this computer has it, else the board's own default folder.
     */
    dataset: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type BenchPlanInput = z.infer<typeof BenchPlanInput>;

export const PlanEstimate = z.object({
  runs: z.number().int(),
  seconds: z.number(),
  perBoard: z.record(z.string(), z.object({ runs: z.number().int(), seconds: z.number() })),
});

export const benchStages = ['preparing', 'power-mode', 'running', 'epoch', 'run-done', 'run-failed', 'board-done', 'plan-done'] as const;

/** Event `bench.onDidProgress`: one per step (at most a few a second), enough for a Benchmarks view to follow a plan. */
export const BenchProgress = z.object({
  planId: z.string(),
  /** The board's key, and its name as people know it ('' for plan-done). */
  board: z.string(),
  label: z.string(),
  simulated: z.boolean(),
  stage: z.enum(benchStages),
  /** Run position on its board (from 0) and that board's run count. */
  index: z.number().int(),
  total: z.number().int(),
  runId: z.string().nullable(),
  condition: z.string().nullable(),
  repeat: z.number().int().nullable(),
  /** Training progress, when known (epoch / epochs). */
  fraction: z.number().nullable(),
  message: z.string().nullable(),
  /** For run-done: headline metrics. */
  metrics: z.record(z.string(), z.number().nullable()).nullable(),
  /** For plan-done / board-done: done, failed, cancelled counts. */
  counts: z.object({ done: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }).nullable(),
});
export type BenchProgress = z.infer<typeof BenchProgress>;

/**
 * Event `bench.onDidPower`: the power of the run in progress as the agent measures it (the very samples
 * its energy is integrated from), a few batches a second per board, for the Benchmarks view's live
 * chart. Times are Unix epoch seconds (the board's clock); markers are the run's `begin`/`end`.
 */
export const BenchPowerBatch = PowerBatch.extend({
  planId: z.string(),
  runId: z.string(),
  /** The board's name and the run's condition, for the chart's caption. */
  label: z.string(),
  condition: z.string(),
});
export type BenchPowerBatch = z.infer<typeof BenchPowerBatch>;

/** Who hands the report in, for a lab (src/shared/workflow/lab-file.ts): printed under the title; the boards' module and JetPack are in the report already. */
export const HandIn = z
  .object({
    title: z.string().min(1).max(200).optional(),
    student: z.string().min(1).max(120).optional(),
    group: z.string().min(1).max(120).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();
export type HandIn = z.infer<typeof HandIn>;

export const benchMethods = {
  'bench.plan.estimate': { input: z.object({ plan: BenchPlanInput }).strict(), output: PlanEstimate },
  'bench.start': { input: z.object({ plan: BenchPlanInput }).strict(), output: z.object({ planId: z.string() }) },
  'bench.cancel': { input: z.object({ planId: z.string().min(1).max(80) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'bench.runs': {
    input: z.object({ planId: z.string().min(1).max(80).optional(), limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    output: z.array(BenchRun),
  },
  'bench.report': {
    input: z
      .object({
        planId: z.string().min(1).max(80).optional(),
        save: z.boolean().default(false),
        pdf: z.boolean().default(false),
        handIn: HandIn.optional(),
      })
      .strict(),
    /** The self-contained HTML; where it was saved (CSV and JSON beside it) when `save` is set, and the PDF printed from it when `pdf` is. */
    output: z.object({ planId: z.string(), html: z.string(), path: z.string().nullable(), pdfPath: z.string().nullable() }),
  },
} as const;

export const benchEvents = {
  'bench.onDidProgress': { payload: BenchProgress },
  'bench.onDidPower': { payload: BenchPowerBatch },
} as const;
