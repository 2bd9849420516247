/**
 * The benchmark service behind the contract's `bench.*` methods: estimates
 * and starts plans (in the background, one AbortController each), cancels
 * them, lists stored runs and builds reports. A Benchmarks view follows a
 * plan through `bench.onDidProgress` and reads results with `bench.runs`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventPayload } from '../../shared/api.ts';
import { boardKey, type BoardRef } from '../../shared/boards/board-ref.ts';
import type { BenchPlanInput, HandIn } from '../../shared/bench/contract.ts';
import { estimatePlan, type BenchPlan, type PlanEstimate } from '../../shared/bench/plan.ts';
import type { BenchRun } from '../../shared/bench/results.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardLease, BoardName } from '../boards/board-registry.ts';
import type { BenchRuns } from '../store/bench-runs.ts';
import { defaultMnistFolder, mnistFolder, type MnistFolder } from './datasets.ts';
import { htmlToPdf } from './pdf.ts';
import { buildReport } from './report.ts';
import { runPlan, type BenchRunnerOptions } from './runner.ts';

export interface BenchServiceOptions {
  store: BenchRuns;
  boards: { name(ref: BoardRef): BoardName; open(ref: BoardRef): Promise<BoardLease> };
  /** Resources.agentDir. */
  agentRoot: string;
  emit<T extends 'bench.onDidProgress' | 'bench.onDidPower'>(topic: T, payload: EventPayload<T>): void;
  reportDir: string;
  /** HTML to PDF; the computer's Chromium through playwright-core when left out. */
  printPdf?: (html: string, pdfPath: string) => Promise<void>;
  runner?: Partial<Pick<BenchRunnerOptions, 'dataset' | 'powerHz' | 'settleMs'>>;
}

export function planOf(input: BenchPlanInput): BenchPlan {
  return {
    boards: [...new Set(input.boards.map(boardKey))],
    frameworks: input.frameworks,
    suites: input.suites,
    batchSizes: input.batchSizes,
    powerModes: input.powerModes,
    repeats: input.repeats,
    epochs: input.epochs,
    seconds: input.seconds,
    trainLimit: input.trainLimit,
    testLimit: input.testLimit,
  };
}

export class BenchService {
  readonly #options: BenchServiceOptions;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(options: BenchServiceOptions) {
    this.#options = options;
  }

  estimate(input: BenchPlanInput): PlanEstimate {
    return estimatePlan(planOf(input));
  }

  /** The idx folder a plan pushes: the one it names, else the service's own choice, else Debian's Fashion-MNIST when present. */
  #datasetOf(input: BenchPlanInput): MnistFolder | null {
    if (!input.suites.includes('mnist-train')) return null;
    if (input.dataset !== undefined) return mnistFolder(input.dataset);
    const configured = this.#options.runner?.dataset;
    return configured === undefined ? defaultMnistFolder() : configured;
  }

  start(input: BenchPlanInput): { planId: string } {
    const dataset = this.#datasetOf(input); // checked before anything starts
    const refs = new Map(input.boards.map((ref) => [boardKey(ref), ref]));
    const boards = [...refs.values()].map((ref) => ({ ...this.#options.boards.name(ref), open: () => this.#options.boards.open(ref) }));
    const planId = randomUUID();
    const controller = new AbortController();
    const done = runPlan(
      planId,
      planOf(input),
      {
        ...this.#options.runner,
        store: this.#options.store,
        boards,
        agentRoot: this.#options.agentRoot,
        title: input.title,
        dataset,
        emit: (progress) => this.#options.emit('bench.onDidProgress', progress),
        emitPower: (batch) => this.#options.emit('bench.onDidPower', batch),
      },
      controller.signal,
    )
      .catch(() => undefined)
      .finally(() => this.#running.delete(planId));
    this.#running.set(planId, { controller, done });
    return { planId };
  }

  cancel(planId: string): boolean {
    const plan = this.#running.get(planId);
    plan?.controller.abort();
    return plan !== undefined;
  }

  runs(planId: string | undefined, limit: number): BenchRun[] {
    return this.#options.store.runs({ planId, limit });
  }

  async report(
    planId: string | undefined,
    save: boolean,
    pdf = false,
    handIn?: HandIn,
  ): Promise<{ planId: string; html: string; path: string | null; pdfPath: string | null }> {
    const id = planId ?? this.#options.store.latestPlanId();
    if (id === undefined) throw new WorkbenchFailure('not-found', 'There are no benchmark runs yet.');
    const runs = this.#options.store.runs({ planId: id, limit: 10_000 });
    if (runs.length === 0) throw new WorkbenchFailure('not-found', 'This plan has no stored runs.', id);
    const store = this.#options.store;
    const report = buildReport({
      planId: id,
      runs,
      samples: (run) => store.samples(run),
      markers: (run) => store.markers(run),
      ...(handIn === undefined ? {} : { handIn }),
    });
    if (!save && !pdf) return { planId: id, html: report.html, path: null, pdfPath: null };
    await mkdir(this.#options.reportDir, { recursive: true });
    const path = join(this.#options.reportDir, `bench-${id}.html`);
    await writeFile(path, report.html);
    await writeFile(join(this.#options.reportDir, `bench-${id}.csv`), report.csv);
    await writeFile(join(this.#options.reportDir, `bench-${id}.json`), report.json);
    if (!pdf) return { planId: id, html: report.html, path, pdfPath: null };
    const pdfPath = join(this.#options.reportDir, `bench-${id}.pdf`);
    await (this.#options.printPdf ?? htmlToPdf)(report.html, pdfPath);
    return { planId: id, html: report.html, path, pdfPath };
  }

  async dispose(): Promise<void> {
    for (const plan of this.#running.values()) plan.controller.abort();
    await Promise.all([...this.#running.values()].map((plan) => plan.done));
  }
}
