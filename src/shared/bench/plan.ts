/**
 * An experiment plan (issue 6, "Runner"): boards × frameworks × suites × batch
 * sizes × power modes × repeats, expanded into the runs a board executes one
 * after the other, with an estimated duration. Pure: no Node, no DOM.
 */
export const benchSuites = ['mnist-train', 'cnn-infer', 'gemm', 'membw'] as const;
/** The frameworks the on-board agent has an adapter for (resources/agent/jwb_agent/adapters). */
export const benchFrameworks = ['numpy', 'torch', 'tensorflow', 'jax', 'onnxruntime', 'tensorrt'] as const;
export type BenchSuite = (typeof benchSuites)[number];

/** A power mode: an `nvpmodel -m` id (null: leave the board's mode as it is) and whether `jetson_clocks` pins the clocks. */
export interface PowerModeSetting {
  nvpmodel: number | null;
  jetsonClocks: boolean;
}

export interface BenchPlan {
  /** Board keys (a demo board id, or `user@host:port`); boards run in parallel. */
  boards: readonly string[];
  frameworks: readonly string[];
  suites: readonly BenchSuite[];
  /** null: the suite's default batch. */
  batchSizes: readonly (number | null)[];
  powerModes: readonly PowerModeSetting[];
  repeats: number;
  /** mnist-train epochs. */
  epochs?: number | undefined;
  /** Measured phase of the timed suites (cnn-infer, gemm, membw), seconds. */
  seconds?: number | undefined;
  /** Use only the first N training / test images (mnist-train). */
  trainLimit?: number | undefined;
  testLimit?: number | undefined;
}

export interface PlannedRun {
  /** Position in its board's sequence, from 0. */
  index: number;
  board: string;
  suite: BenchSuite;
  framework: string;
  batch: number | null;
  powerMode: PowerModeSetting;
  /** From 1. */
  repeat: number;
  /** The run's condition without board-independent noise: runs with equal keys are repeats of one another. */
  condition: string;
}

export interface PlanEstimate {
  runs: number;
  /** Wall time of the whole plan (boards in parallel), seconds. */
  seconds: number;
  perBoard: Record<string, { runs: number; seconds: number }>;
}

export const defaultPowerMode: PowerModeSetting = { nvpmodel: null, jetsonClocks: false };

export function powerModeLabel(mode: PowerModeSetting): string {
  const base = mode.nvpmodel === null ? 'current mode' : `nvpmodel ${mode.nvpmodel}`;
  return mode.jetsonClocks ? `${base} + jetson_clocks` : base;
}

export function conditionKey(run: Pick<PlannedRun, 'board' | 'suite' | 'framework' | 'batch' | 'powerMode'>): string {
  return [
    run.board,
    run.suite,
    run.framework,
    run.batch === null ? 'default batch' : `batch ${run.batch}`,
    powerModeLabel(run.powerMode),
  ].join(' | ');
}

/**
 * One board's runs. The power mode is the outer loop (switching modes costs a
 * settle time and the clocks' history), and repeats come next, OUTSIDE the
 * suites and frameworks: consecutive repeats of one condition would share
 * one thermal state, while interleaving spreads slow drift (heating, a
 * background job) over every condition instead of biasing one.
 */
export function expandBoard(plan: BenchPlan, board: string): PlannedRun[] {
  const runs: PlannedRun[] = [];
  const powerModes = plan.powerModes.length === 0 ? [defaultPowerMode] : plan.powerModes;
  const batches = plan.batchSizes.length === 0 ? [null] : plan.batchSizes;
  for (const powerMode of powerModes) {
    for (let repeat = 1; repeat <= plan.repeats; repeat += 1) {
      for (const suite of plan.suites) {
        for (const framework of plan.frameworks) {
          for (const batch of batches) {
            const run = { index: runs.length, board, suite, framework, batch, powerMode, repeat };
            runs.push({ ...run, condition: conditionKey(run) });
          }
        }
      }
    }
  }
  return runs;
}

export function expandPlan(plan: BenchPlan): PlannedRun[] {
  return plan.boards.flatMap((board) => expandBoard(plan, board));
}

/**
 * Seconds a run takes beyond its measured work, fitted to runs on the
 * simulated Orin Nano through the whole path (agent start over SSH, imports,
 * warm-up, results stored): `npm run bench` measures the estimate against
 * the actual (scripts/bench-estimate.ts; within 5 % on each plan there).
 * Timed suites: start-up, then their measured phase.
 */
const startupS = 3;
const defaultTimedS = 5;
/** mnist-train: start-up with the dataset pushed and loaded, then one NumPy-MLP epoch over 60 000 images (scaled by trainLimit). */
const mnistStartupS = 5;
const epochS = 8.5;
/** nvpmodel switch plus the settle wait after it. */
export const powerModeSettleS = 5;

export function estimateRunSeconds(plan: BenchPlan, suite: BenchSuite): number {
  if (suite === 'mnist-train') {
    const share = Math.min(plan.trainLimit ?? 60_000, 60_000) / 60_000;
    return mnistStartupS + (plan.epochs ?? 1) * epochS * share;
  }
  return startupS + (plan.seconds ?? defaultTimedS);
}

export function estimatePlan(plan: BenchPlan): PlanEstimate {
  const perBoard: PlanEstimate['perBoard'] = {};
  for (const board of plan.boards) {
    const runs = expandBoard(plan, board);
    const switches = plan.powerModes.filter((mode) => mode.nvpmodel !== null || mode.jetsonClocks).length;
    const seconds = runs.reduce((sum, run) => sum + estimateRunSeconds(plan, run.suite), 0) + switches * powerModeSettleS;
    perBoard[board] = { runs: runs.length, seconds };
  }
  const values = Object.values(perBoard);
  return {
    runs: values.reduce((sum, board) => sum + board.runs, 0),
    seconds: values.reduce((longest, board) => Math.max(longest, board.seconds), 0),
    perBoard,
  };
}
