/**
 * Runs an experiment plan: each board's runs one after the other, boards in
 * parallel. Per board: push the agent (and dataset) if changed, probe the
 * environment, then for each run set the power mode when it changes (sudo
 * nvpmodel / jetson_clocks), run the agent with the power sampler on, and store
 * the run (results, samples, markers, environment) in one transaction. A
 * failed run is recorded with its reason and the plan goes on; an abort stops
 * the remote command and ends every board's sequence.
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
import type { BoardLink } from '../link/board-link.ts';
import { defaultAgentRoot, pushAgent, pushDataset } from './agent-push.ts';
import { agentBenchArgs, executeRun } from './bench-run.ts';
import type { BenchStore } from './bench-store.ts';
import { probeBoard, queryPowerMode, type BenchEnvironment } from './environment.ts';
import { PowerForwarder } from './power-forward.ts';

export interface BenchBoardSession {
  key: string;
  label: string;
  link: BoardLink;
  /** For `sudo -S nvpmodel`; kept in memory only. */
  sudoPassword?: string | undefined;
  close(): Promise<void>;
}

export interface BenchRunnerOptions {
  store: BenchStore;
  openBoard(key: string, signal: AbortSignal): Promise<BenchBoardSession>;
  emit(progress: BenchProgress): void;
  /** The run's power samples as they stream (the live chart); optional, as the CLI has no chart. */
  emitPower?(batch: BenchPowerBatch): void;
  agentRoot?: string;
  /** A local MNIST-format folder pushed to every board as `.jwb/datasets/<name>`; without it the agent's default. */
  dataset?: { localDir: string; name: string } | null;
  /** Power sampling rate (default 20 Hz, the figure). */
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
  const perBoard = await Promise.all(plan.boards.map((board) => runBoard(planId, plan, board, options, signal)));
  const counts = perBoard.reduce(
    (sum, one) => ({ done: sum.done + one.done, failed: sum.failed + one.failed, cancelled: sum.cancelled + one.cancelled }),
    {
      done: 0,
      failed: 0,
      cancelled: 0,
    },
  );
  options.emit(progressOf(planId, '', 'plan-done', { counts, total: expandBoard(plan, '').length * plan.boards.length }));
  return counts;
}

function progressOf(planId: string, board: string, stage: BenchProgress['stage'], extra: Partial<BenchProgress> = {}): BenchProgress {
  return {
    planId,
    board,
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

async function runBoard(
  planId: string,
  plan: BenchPlan,
  board: string,
  options: BenchRunnerOptions,
  signal: AbortSignal,
): Promise<PlanCounts> {
  const runs = expandBoard(plan, board);
  const counts: PlanCounts = { done: 0, failed: 0, cancelled: 0 };
  const emit = (stage: BenchProgress['stage'], extra: Partial<BenchProgress> = {}) =>
    options.emit(progressOf(planId, board, stage, { total: runs.length, ...extra }));
  let session: BenchBoardSession | undefined;
  try {
    emit('preparing', { message: 'connecting, sending the agent' });
    session = await options.openBoard(board, signal);
    const agent = await pushAgent(session.link, options.agentRoot ?? defaultAgentRoot, signal);
    const data = options.dataset ? await pushDataset(session.link, options.dataset.localDir, options.dataset.name, signal) : null;
    const environment = await probeBoard(session.link, agent.remoteDir, signal);
    // The agent runs from its own folder, so the dataset path is relative to it.
    const settings = { powerHz: options.powerHz ?? 20, dataDir: data === null ? null : `../datasets/${options.dataset?.name}` };
    let mode: PowerModeSetting | null = null;
    for (const run of runs) {
      if (signal.aborted) {
        counts.cancelled += runs.length - run.index;
        break;
      }
      if (mode === null || !samePowerMode(mode, run.powerMode)) {
        emit('power-mode', { index: run.index, message: powerModeLabel(run.powerMode) });
        await setPowerMode(session, run.powerMode, mode, options.settleMs ?? powerModeSettleS * 1000, signal);
        environment.powerMode = await queryPowerMode(session.link, run.powerMode.jetsonClocks, signal);
        mode = run.powerMode;
      }
      const status = await runOne(planId, plan, run, session, agent.remoteDir, settings, { ...environment }, options, signal, emit);
      counts[status] += 1;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const left = runs.length - counts.done - counts.failed - counts.cancelled;
    if (signal.aborted) counts.cancelled += left;
    else {
      counts.failed += left;
      recordBoardFailure(planId, plan, runs.slice(runs.length - left), message, options);
    }
    emit('run-failed', { message });
  } finally {
    await session?.close().catch(() => undefined);
  }
  emit('board-done', { counts });
  return counts;
}

function samePowerMode(a: PowerModeSetting, b: PowerModeSetting): boolean {
  return a.nvpmodel === b.nvpmodel && a.jetsonClocks === b.jetsonClocks;
}

/** `sudo nvpmodel -m N`, then `sudo jetson_clocks` when asked (or `--restore` when the previous mode pinned the clocks). */
async function setPowerMode(
  session: BenchBoardSession,
  mode: PowerModeSetting,
  previous: PowerModeSetting | null,
  settleMs: number,
  signal: AbortSignal,
): Promise<void> {
  const steps: string[][] = [];
  if (mode.nvpmodel !== null) steps.push(['nvpmodel', '-m', String(mode.nvpmodel)]);
  if (mode.jetsonClocks) steps.push(['jetson_clocks']);
  else if (previous?.jetsonClocks === true) steps.push(['jetson_clocks', '--restore']);
  for (const argv of steps) {
    const result = await session.link.exec(argv, { signal, timeoutMs: 60_000, sudoPassword: session.sudoPassword });
    if (result.code !== 0) throw new Error(`${argv.join(' ')} failed (exit ${result.code}): ${result.stderr.trim().slice(-300)}`);
  }
  if (steps.length > 0 && settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
}

async function runOne(
  planId: string,
  plan: BenchPlan,
  run: PlannedRun,
  session: BenchBoardSession,
  agentDir: string,
  settings: { powerHz: number; dataDir: string | null },
  environment: BenchEnvironment,
  options: BenchRunnerOptions,
  signal: AbortSignal,
  emit: (stage: BenchProgress['stage'], extra?: Partial<BenchProgress>) => void,
): Promise<keyof PlanCounts> {
  const runId = randomUUID();
  const where = { index: run.index, runId, condition: run.condition, repeat: run.repeat };
  emit('running', where);
  const startedAt = Date.now();
  const args = agentBenchArgs(plan, run, settings);
  const power = new PowerForwarder({ planId, board: run.board, runId, label: session.label, condition: run.condition });
  const outcome = await executeRun(
    session.link,
    agentDir,
    args,
    signal,
    (progress) => {
      if (progress.stage === 'epoch' && progress.epoch !== undefined && progress.epochs)
        emit('epoch', { ...where, fraction: progress.epoch / progress.epochs, message: `epoch ${progress.epoch}/${progress.epochs}` });
    },
    (agent, done) => {
      if (options.emitPower === undefined) return;
      const batch = power.take(agent, done);
      if (batch !== null) options.emitPower(batch);
    },
  );
  options.store.save({
    id: runId,
    kind: 'bench',
    board: run.board,
    title: `${run.suite} · ${run.framework} · ${session.label}`,
    status: outcome.status,
    startedAt,
    finishedAt: Date.now(),
    params: { ...paramsOf(planId, plan, run, options), boardLabel: session.label, argv: outcome.argv, environment },
    metrics: outcome.metrics,
    samples: outcome.samples,
    markers: outcome.markers,
  });
  const headline = {
    throughput: outcome.metrics.throughput as number | null,
    accuracy: outcome.metrics.accuracy as number | null,
    joules: ((outcome.metrics.energy as { joules?: number } | null)?.joules ?? null) as number | null,
  };
  if (outcome.status === 'done') emit('run-done', { ...where, metrics: headline });
  else emit('run-failed', { ...where, message: outcome.reason });
  return outcome.status === 'done' ? 'done' : outcome.status;
}

function paramsOf(planId: string, plan: BenchPlan, run: PlannedRun, options: BenchRunnerOptions): Record<string, unknown> {
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
  };
}

/** A board that could not be reached or prepared: each of its runs is stored as failed, with the reason. */
function recordBoardFailure(planId: string, plan: BenchPlan, runs: PlannedRun[], reason: string, options: BenchRunnerOptions): void {
  const now = Date.now();
  for (const run of runs) {
    options.store.save({
      id: randomUUID(),
      kind: 'bench',
      board: run.board,
      title: `${run.suite} · ${run.framework} · ${run.board}`,
      status: 'failed',
      startedAt: now,
      finishedAt: now,
      params: paramsOf(planId, plan, run, options),
      metrics: { reason },
      samples: { t: [], rails: {} },
      markers: [],
    });
  }
}
