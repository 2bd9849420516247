/**
 * The Benchmarks view's state (issue 6): the plan being written, its
 * estimate, the running plan followed through `bench.onDidProgress`, the
 * stored runs with a median and CI per condition, and the report. Only this
 * class talks to the bridge for `bench.*`.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { BenchPlanInput, BenchPowerBatch, BenchProgress } from '../../shared/bench/contract.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';
import { summarizeConditions, type ConditionSummary } from '../../shared/bench/summary.ts';
import type { MessageKey } from '../i18n/index.ts';
import { emptyDraft, planInputOf, type BenchPlanDraft } from './bench-draft.ts';
import { BenchPowerFeed } from './bench-power.svelte.ts';
import type { BoardChoice } from './board-choices.ts';
import { shortConditionOf } from './bench-summary.ts';

/**
 * The agent's framework names (resources/agent/jwb_agent/bench.py, FRAMEWORKS): NumPy runs
 * everywhere, the others need their wheels on the board (a run without them fails with its reason).
 */
export { benchFrameworks } from '../../shared/bench/plan.ts';

export interface BenchRunResult {
  id: string;
  board: string;
  /** The board's name. */
  label: string;
  simulated: boolean;
  condition: string;
  repeat: number | null;
  status: string;
  accuracy: number | null;
  throughput: number | null;
  joules: number | null;
  reason: string | null;
}

export interface BenchReport {
  planId: string;
  path: string | null;
  pdfPath: string | null;
  url: string;
}

export interface BenchActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

export class BenchState {
  draft = $state<BenchPlanDraft>(emptyDraft());
  estimate = $state<{ runs: number; seconds: number } | undefined>();
  planId = $state<string | undefined>();
  running = $state(false);
  starting = $state(false);
  cancelling = $state(false);
  /** Runs finished (done or failed) and the plan's run count, over every board. */
  finished = $state(0);
  total = $state(0);
  /** The run in progress: its condition, repeat and training fraction. */
  current = $state<
    { condition: string; label: string; repeat: number | null; fraction: number | null; message: string | null } | undefined
  >();
  results = $state.raw<BenchRunResult[]>([]);
  counts = $state<{ done: number; failed: number; cancelled: number } | undefined>();
  summaries = $state.raw<ConditionSummary[]>([]);
  report = $state<BenchReport | undefined>();
  reportBusy = $state(false);
  actionError = $state<BenchActionError | undefined>();
  /** The live power of each board of the running (or last) plan, in the order they first reported. */
  powerFeeds = $state.raw<BenchPowerFeed[]>([]);

  readonly #bridge: WorkbenchBridge;
  readonly #stops: (() => void)[] = [];
  readonly #markerLabel: (label: string) => string;
  #estimateSequence = 0;
  /** The plan running (or last run), to name its conditions by what it varies. */
  #plan: BenchPlanInput | undefined;

  /** `markerLabel` words the run's `begin`/`end` markers on the live chart. */
  constructor(bridge: WorkbenchBridge, markerLabel: (label: string) => string = (label) => label) {
    this.#bridge = bridge;
    this.#markerLabel = markerLabel;
  }

  start(): void {
    if (this.#stops.length > 0) return;
    this.#stops.push(
      this.#bridge.on('bench.onDidProgress', (progress) => this.#follow(progress)),
      this.#bridge.on('bench.onDidPower', (power) => this.#followPower(power)),
    );
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    if (this.report !== undefined) URL.revokeObjectURL(this.report.url);
  }

  /** The contract's plan for the draft, or undefined while it lacks a board, a framework or a suite, or a list does not parse. */
  planFor(choices: readonly BoardChoice[]): BenchPlanInput | undefined {
    const refs = choices.filter((choice) => this.draft.boards.includes(choice.key)).map((choice) => choice.ref);
    return planInputOf($state.snapshot(this.draft) as BenchPlanDraft, $state.snapshot(refs) as BoardRef[]);
  }

  /** A runner condition key as short as the plan allows ("torch · batch 64"), the board by its name. */
  shortCondition(condition: string, boardLabel: string): string {
    return this.#plan === undefined ? condition : shortConditionOf(condition, this.#plan, boardLabel);
  }

  async refreshEstimate(plan: BenchPlanInput | undefined): Promise<void> {
    const sequence = ++this.#estimateSequence;
    if (plan === undefined) {
      this.estimate = undefined;
      return;
    }
    const result = await this.#bridge.call['bench.plan.estimate']({ plan });
    if (sequence !== this.#estimateSequence) return; // a newer draft is on its way
    this.estimate = result.ok ? { runs: result.value.runs, seconds: result.value.seconds } : undefined;
  }

  async startPlan(plan: BenchPlanInput): Promise<void> {
    if (this.running || this.starting) return;
    this.starting = true;
    try {
      const result = await this.#bridge.call['bench.start']({ plan });
      if (!result.ok) {
        this.actionError = { context: 'bench.startErrorContext', error: result.error };
        return;
      }
      this.actionError = undefined;
      this.#plan = plan;
      this.#reset(result.value.planId, this.estimate?.runs ?? 0);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.planId === undefined || !this.running) return;
    this.cancelling = true;
    const result = await this.#bridge.call['bench.cancel']({ planId: this.planId });
    if (!result.ok) {
      this.cancelling = false;
      this.actionError = { context: 'bench.cancelErrorContext', error: result.error };
    }
  }

  async loadResults(): Promise<void> {
    if (this.planId === undefined) return;
    const result = await this.#bridge.call['bench.runs']({ planId: this.planId, limit: 10_000 });
    if (!result.ok) {
      this.actionError = { context: 'bench.resultsErrorContext', error: result.error };
      return;
    }
    this.summaries = summarizeConditions(result.value);
  }

  /** Asks the core for the report (it also saves it, and prints it to PDF when asked) and keeps a download link to it. */
  async openReport(pdf = false): Promise<void> {
    if (this.planId === undefined || this.reportBusy) return;
    this.reportBusy = true;
    try {
      const result = await this.#bridge.call['bench.report']({ planId: this.planId, save: true, pdf });
      if (!result.ok) {
        this.actionError = { context: 'bench.reportErrorContext', error: result.error };
        return;
      }
      if (this.report !== undefined) URL.revokeObjectURL(this.report.url);
      const url = URL.createObjectURL(new Blob([result.value.html], { type: 'text/html' }));
      this.report = { planId: result.value.planId, path: result.value.path, pdfPath: result.value.pdfPath, url };
    } finally {
      this.reportBusy = false;
    }
  }

  #reset(planId: string, total: number): void {
    this.planId = planId;
    this.running = true;
    this.cancelling = false;
    this.finished = 0;
    this.total = total;
    this.current = undefined;
    this.results = [];
    this.counts = undefined;
    this.summaries = [];
    this.powerFeeds = [];
    if (this.report !== undefined) URL.revokeObjectURL(this.report.url);
    this.report = undefined;
  }

  #followPower(power: BenchPowerBatch): void {
    if (power.planId !== this.planId) return;
    let feed = this.powerFeeds.find((candidate) => candidate.key === power.board);
    if (feed === undefined) {
      feed = new BenchPowerFeed(power.board, this.#markerLabel);
      this.powerFeeds = [...this.powerFeeds, feed];
    }
    feed.receive(power);
  }

  #follow(progress: BenchProgress): void {
    if (progress.planId !== this.planId) return;
    if (progress.stage === 'running' || progress.stage === 'epoch') {
      this.current = {
        condition: progress.condition ?? '',
        label: progress.label,
        repeat: progress.repeat,
        fraction: progress.fraction,
        message: progress.message,
      };
    } else if (progress.stage === 'run-done' || progress.stage === 'run-failed') {
      this.finished += 1;
      this.results = [...this.results, resultOf(progress)];
    } else if (progress.stage === 'plan-done') {
      this.running = false;
      this.cancelling = false;
      this.current = undefined;
      this.counts = progress.counts ?? undefined;
      if (progress.total > 0) this.total = progress.total;
      void this.loadResults();
    }
  }
}

function resultOf(progress: BenchProgress): BenchRunResult {
  return {
    id: progress.runId ?? `${progress.board}-${progress.index}`,
    board: progress.board,
    label: progress.label,
    simulated: progress.simulated,
    condition: progress.condition ?? '',
    repeat: progress.repeat,
    status: progress.stage === 'run-done' ? 'done' : 'failed',
    accuracy: progress.metrics?.accuracy ?? null,
    throughput: progress.metrics?.throughput ?? null,
    joules: progress.metrics?.joules ?? null,
    reason: progress.stage === 'run-failed' ? progress.message : null,
  };
}
