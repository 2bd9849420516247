/**
 * The benchmark half of FakeCore: `bench.*` answers and `progress()` to send
 * a `bench.onDidProgress` event the way the runner does (src/main/bench/runner.ts).
 */
import type { TopicName } from '../../shared/api.ts';
import type { BenchProgress } from '../../shared/bench/contract.ts';
import type { Result } from '../../shared/errors.ts';

export interface FakeBenchRun {
  id: string;
  board: string;
  title: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: number;
  finishedAt: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

/** A finished mnist-train run of `condition` with the given accuracy and throughput. */
export function sampleBenchRun(planId: string, condition: string, repeat: number, accuracy: number, throughput: number): FakeBenchRun {
  return {
    id: `run-${repeat}-${condition.length}`,
    board: 'demo-1',
    title: 'mnist-train · numpy · orin-nano-1',
    status: 'done',
    startedAt: 1000 + repeat,
    finishedAt: 2000 + repeat,
    params: { planId, condition, repeat, suite: 'mnist-train', framework: 'numpy' },
    metrics: { accuracy, throughput, throughputUnit: 'images/s', energy: { joules: 10 + repeat } },
  };
}

export function sampleProgress(planId: string, stage: BenchProgress['stage'], patch: Partial<BenchProgress> = {}): BenchProgress {
  return {
    planId,
    board: 'demo-1',
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
  runs: FakeBenchRun[] = [];
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
      const plan = input.plan as { targets: unknown[]; repeats: number; frameworks: unknown[]; suites: unknown[] };
      const runs = plan.targets.length * plan.repeats * plan.frameworks.length * plan.suites.length;
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
