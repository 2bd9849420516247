/**
 * Runs an experiment plan: each board's runs one after the other, boards in
 * parallel. Per board: open it through the registry, push the agent (and
 * dataset) if changed, identify the board and probe its power source, then
 * for each run set the power mode when it changes (sudo nvpmodel /
 * jetson_clocks), run the agent with the power sampler on, and store the run
 * as it goes: its row when it starts, its samples as they stream
 * (streamed-samples.ts), then results, samples, markers and environment in
 * one transaction at its end. A failed run is recorded with its reason and
 * the plan goes on; an abort stops the remote command and ends every board's
 * sequence.
 */
import { randomUUID } from 'node:crypto';
import type { BenchPowerBatch, BenchProgress } from '../../shared/bench/contract.ts';
import {
  expandBoard,
  powerModeLabel,
  powerModeSettleS,
  type BenchPlan,
  type PlannedRun,
  type PowerModeSetting,
} from '../../shared/bench/plan.ts';
import { fastestHz } from '../../shared/agent/probe.ts';
import { emptyBenchMetrics, type BenchEnvironment, type BenchParams, type RunBoard } from '../../shared/bench/results.ts';
import { deployAgent } from '../agent/agent-run.ts';
import type { BoardLease, BoardName } from '../boards/board-registry.ts';
import { readPowerMode } from '../boards/power-mode.ts';
import { agentBenchArgs, executeRun, type RunSettings } from './bench-run.ts';
import type { BenchRuns } from '../store/bench-runs.ts';
import { pushDataset } from './datasets.ts';
import { samePowerMode, setPowerMode } from './power-mode-step.ts';
import { PowerForwarder } from './power-forward.ts';
import { StreamedSamples } from './streamed-samples.ts';

/** A board of the plan: its name (for events before it is reached) and how to open it. */
export interface PlanBoard extends BoardName {
  open(): Promise<BoardLease>;
}

export interface BenchRunnerOptions {
  store: BenchRuns;
  boards: readonly PlanBoard[];
  emit(progress: BenchProgress): void;
  /** The run's power samples as they stream (the live chart); optional, as the CLI has no chart. */
  emitPower?(batch: BenchPowerBatch): void;
  /** Resources.agentDir. */
  agentRoot: string;
  /** A local MNIST-format folder pushed to every board as `.jwb/datasets/<name>`; without it the agent's default. */
  dataset?: { localDir: string; name: string } | null;
  /** Power sampling rate; default the source's fastest (`fastestHz`: 100 Hz for the sensors and NVML). */
  powerHz?: number;
  /** Wait after a power-mode change (default 5 s). */
  settleMs?: number;
  title?: string;
}

export interface PlanCounts {
  done: number;
  failed: number;
  cancelled: number;
}

export async function runPlan(planId: string, plan: BenchPlan, options: BenchRunnerOptions, signal: AbortSignal): Promise<PlanCounts> {
  const perBoard = await Promise.all(options.boards.map((board) => runBoard(planId, plan, board, options, signal)));
  const counts = perBoard.reduce(
    (sum, one) => ({ done: sum.done + one.done, failed: sum.failed + one.failed, cancelled: sum.cancelled + one.cancelled }),
    { done: 0, failed: 0, cancelled: 0 },
  );
  const total = expandBoard(plan, '').length * options.boards.length;
  options.emit(progressOf(planId, { key: '', label: '', simulated: false }, 'plan-done', { counts, total }));
  return counts;
}

function progressOf(planId: string, board: RunBoard, stage: BenchProgress['stage'], extra: Partial<BenchProgress> = {}): BenchProgress {
  return {
    planId,
    board: board.key,
    label: board.label,
    simulated: board.simulated,
    stage,
    index: 0,
    total: 0,
    runId: null,
    condition: null,
    repeat: null,
    fraction: null,
    message: null,
    metrics: null,
    counts: null,
    ...extra,
  };
}

type Emit = (stage: BenchProgress['stage'], extra?: Partial<BenchProgress>) => void;

/** One board of a plan opened and prepared: the agent on it, what it is, how its power is read. */
interface PreparedBoard {
  lease: BoardLease;
  board: RunBoard;
  agentDir: string;
  settings: RunSettings;
  environment: BenchEnvironment;
}

async function prepareBoard(planBoard: PlanBoard, options: BenchRunnerOptions, signal: AbortSignal): Promise<PreparedBoard> {
  const lease = await planBoard.open();
  try {
    const agent = await deployAgent(lease.link, options.agentRoot, signal);
    const data = options.dataset ? await pushDataset(lease.link, options.dataset.localDir, options.dataset.name, signal) : null;
    const facts = await lease.facts();
    const powerSource = agent.probe.preferredPower;
    return {
      lease,
      board: { key: lease.key, label: lease.label, simulated: lease.simulated },
      agentDir: agent.dir,
      // The agent runs from its own folder, so the dataset path is relative to it.
      settings: {
        powerSource,
        powerHz: options.powerHz ?? (powerSource === null ? 0 : fastestHz(powerSource)),
        dataDir: data === null ? null : `../datasets/${options.dataset?.name}`,
      },
      environment: { facts, agentVersion: agent.probe.agentVersion, powerSource, powerMode: null },
    };
  } catch (error) {
    await lease.release().catch(() => undefined);
    throw error;
  }
}

async function runBoard(
  planId: string,
  plan: BenchPlan,
  planBoard: PlanBoard,
  options: BenchRunnerOptions,
  signal: AbortSignal,
): Promise<PlanCounts> {
  const runs = expandBoard(plan, planBoard.key);
  const counts: PlanCounts = { done: 0, failed: 0, cancelled: 0 };
  let board: RunBoard = planBoard;
  const emit: Emit = (stage, extra = {}) => options.emit(progressOf(planId, board, stage, { total: runs.length, ...extra }));
  let prepared: PreparedBoard | undefined;
  try {
    emit('preparing', { message: 'connecting, sending the agent' });
    prepared = await prepareBoard(planBoard, options, signal);
    board = prepared.board;
    let mode: PowerModeSetting | null = null;
    for (const run of runs) {
      if (signal.aborted) {
        counts.cancelled += runs.length - run.index;
        break;
      }
      if (mode === null || !samePowerMode(mode, run.powerMode)) {
        emit('power-mode', { index: run.index, message: powerModeLabel(run.powerMode) });
        await setPowerMode(prepared.lease, run.powerMode, mode, options.settleMs ?? powerModeSettleS * 1000, signal);
        const now = await readPowerMode(prepared.lease.link, signal);
        prepared.environment.powerMode = now === null ? null : { ...now, jetsonClocks: run.powerMode.jetsonClocks };
        mode = run.powerMode;
      }
      const status = await runOne(planId, plan, run, prepared, options, signal, emit);
      counts[status] += 1;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const left = runs.length - counts.done - counts.failed - counts.cancelled;
    if (signal.aborted) counts.cancelled += left;
    else {
      counts.failed += left;
      recordBoardFailure(planId, plan, board, runs.slice(runs.length - left), message, options);
    }
    emit('run-failed', { message });
  } finally {
    await prepared?.lease.release().catch(() => undefined);
  }
  emit('board-done', { counts });
  return counts;
}

async function runOne(
  planId: string,
  plan: BenchPlan,
  run: PlannedRun,
  prepared: PreparedBoard,
  options: BenchRunnerOptions,
  signal: AbortSignal,
  emit: Emit,
): Promise<keyof PlanCounts> {
  const runId = randomUUID();
  const where = { index: run.index, runId, condition: run.condition, repeat: run.repeat };
  emit('running', where);
  const startedAt = Date.now();
  const args = agentBenchArgs(plan, run, prepared.settings);
  const { board } = prepared;
  const row = {
    id: runId,
    kind: 'bench',
    board: board.key,
    title: `${run.suite} · ${run.framework} · ${board.label}`,
    startedAt,
    params: { ...paramsOf(planId, plan, run, board, options), environment: { ...prepared.environment } },
  };
  options.store.begin({ ...row, status: 'running', finishedAt: null, metrics: {} });
  const streamed = new StreamedSamples(options.store, runId, startedAt);
  const power = new PowerForwarder({ planId, board: board.key, runId, label: board.label, condition: run.condition });
  const outcome = await executeRun(
    prepared.lease.link,
    prepared.agentDir,
    args,
    signal,
    (progress) => {
      if (progress.stage === 'epoch' && progress.epoch !== undefined && progress.epochs)
        emit('epoch', { ...where, fraction: progress.epoch / progress.epochs, message: `epoch ${progress.epoch}/${progress.epochs}` });
    },
    (agent, done) => {
      streamed.take(agent);
      if (options.emitPower === undefined) return;
      const batch = power.take(agent, done);
      if (batch !== null) options.emitPower(batch);
    },
  ).finally(() => streamed.close());
  options.store.save({
    ...row,
    status: outcome.status,
    finishedAt: Date.now(),
    params: { ...row.params, argv: outcome.argv },
    metrics: outcome.metrics,
    samples: outcome.samples,
    markers: outcome.markers,
  });
  const { metrics } = outcome;
  const headline = { throughput: metrics.throughput, accuracy: metrics.accuracy, joules: metrics.energy?.joules ?? null };
  if (outcome.status === 'done') emit('run-done', { ...where, metrics: headline });
  else emit('run-failed', { ...where, message: outcome.reason });
  return outcome.status === 'done' ? 'done' : outcome.status;
}

function paramsOf(planId: string, plan: BenchPlan, run: PlannedRun, board: RunBoard, options: BenchRunnerOptions): BenchParams {
  return {
    planId,
    planTitle: options.title ?? null,
    index: run.index,
    suite: run.suite,
    framework: run.framework,
    batch: run.batch,
    powerMode: run.powerMode,
    repeat: run.repeat,
    repeats: plan.repeats,
    condition: run.condition,
    epochs: plan.epochs ?? null,
    seconds: plan.seconds ?? null,
    trainLimit: plan.trainLimit ?? null,
    testLimit: plan.testLimit ?? null,
    dataset: options.dataset?.name ?? null,
    board,
    argv: [],
    environment: null,
  };
}

/** A board that could not be reached or prepared: each of its runs is stored as failed, with the reason. */
function recordBoardFailure(
  planId: string,
  plan: BenchPlan,
  board: RunBoard,
  runs: PlannedRun[],
  reason: string,
  options: BenchRunnerOptions,
): void {
  const now = Date.now();
  for (const run of runs) {
    options.store.save({
      id: randomUUID(),
      kind: 'bench',
      board: board.key,
      title: `${run.suite} · ${run.framework} · ${board.label}`,
      status: 'failed',
      startedAt: now,
      finishedAt: now,
      params: paramsOf(planId, plan, run, board, options),
      metrics: { ...emptyBenchMetrics(), reason },
      samples: { t: [], rails: {} },
      markers: [],
    });
  }
}
