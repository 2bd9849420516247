/**
 * The benchmark half of FakeCore: `bench.*` answers and `progress()` to send
 * a `bench.onDidProgress` event the way the runner does (src/main/bench/runner.ts).
 */
import type { TopicName } from '../../../src/shared/api.ts';
import type { BenchProgress } from '../../../src/shared/bench/contract.ts';
import { readBenchRun, type BenchRun } from '../../../src/shared/bench/results.ts';
import type { RunStatus } from '../../../src/shared/results.ts';
import type { Result } from '../../../src/shared/errors.ts';

/** The simulated board the samples ran on, as the runner names it. */
export const sampleRunBoard = { key: 'sim-1', label: 'orin-nano-1', simulated: true };

/** A stored run as `bench.runs` answers it: the given params and metrics, every other field empty (as the core reads old rows). */
export function storedBenchRun(row: {
  id: string;
  status?: RunStatus;
  board?: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}): BenchRun {
  return readBenchRun({
    title: 'run',
    startedAt: 1000,
    finishedAt: 2000,
    status: 'done',
    board: sampleRunBoard.key,
    ...row,
  });
}

/** A finished mnist-train run of `condition` with the given accuracy and throughput. */
export function sampleBenchRun(planId: string, condition: string, repeat: number, accuracy: number, throughput: number): BenchRun {
  return storedBenchRun({
    id: `run-${repeat}-${condition.length}`,
    params: { planId, condition, repeat, suite: 'mnist-train', framework: 'numpy', board: sampleRunBoard },
    metrics: {
      accuracy,
      throughput,
      throughputUnit: 'images/s',
      energy: { joules: 10 + repeat, method: 'integral', source: 'hwmon', hz: 100, warning: null },
    },
  });
}

export function sampleProgress(planId: string, stage: BenchProgress['stage'], patch: Partial<BenchProgress> = {}): BenchProgress {
  return {
    planId,
    board: sampleRunBoard.key,
    label: sampleRunBoard.label,
    simulated: sampleRunBoard.simulated,
    stage,
    index: 0,
    total: 2,
    runId: null,
    condition: null,
    repeat: null,
    fraction: null,
    message: null,
    metrics: null,
    counts: null,
    ...patch,
  };
}

export class FakeBench {
  planId = 'plan-1';
  runs: BenchRun[] = [];
  reportHtml = '<!doctype html><h1>Benchmark report</h1>';
  cancelled: string[] = [];
  readonly #emit: (topic: TopicName, payload: unknown) => void;

  constructor(emit: (topic: TopicName, payload: unknown) => void) {
    this.#emit = emit;
  }

  progress(progress: BenchProgress): void {
    this.#emit('bench.onDidProgress', progress);
  }

  answer(method: string, input: Record<string, unknown>): Result<unknown> {
    if (method === 'bench.plan.estimate') {
      const plan = input.plan as { boards: unknown[]; repeats: number; frameworks: unknown[]; suites: unknown[] };
      const runs = plan.boards.length * plan.repeats * plan.frameworks.length * plan.suites.length;
      return { ok: true, value: { runs, seconds: runs * 13, perBoard: {} } };
    }
    if (method === 'bench.start') return { ok: true, value: { planId: this.planId } };
    if (method === 'bench.cancel') {
      this.cancelled.push(String(input.planId));
      return { ok: true, value: { cancelled: true } };
    }
    if (method === 'bench.runs') return { ok: true, value: this.runs.filter((run) => run.params.planId === input.planId) };
    if (method === 'bench.report')
      return {
        ok: true,
        value: {
          planId: String(input.planId),
          html: this.reportHtml,
          path: `/data/reports/bench-${String(input.planId)}.html`,
          pdfPath: input.pdf === true ? `/data/reports/bench-${String(input.planId)}.pdf` : null,
        },
      };
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }
}
