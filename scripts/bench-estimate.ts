/**
 * How close the Benchmarks view's time estimate is to the time a plan takes
 * on a simulated board (issue 13: within 25 %). One plan per suite, and the
 * default lab's plan, each estimated with `bench.plan.estimate` and then run
 * to its end through the same bridge the renderer uses.
 *
 * `node scripts/bench-estimate.ts` runs it alone; scripts/bench.ts calls benchEstimate().
 */
import { fileURLToPath } from 'node:url';
import type { BenchPlanInput } from '../src/shared/bench/contract.ts';
import { openTestWorkbench, value } from '../test/support/test-workbench.ts';

type Plan = Omit<BenchPlanInput, 'boards'>;

const plans: Array<[string, Plan]> = [
  [
    'mnist-train 3000 images ×3',
    { frameworks: ['numpy'], suites: ['mnist-train'], batchSizes: [], powerModes: [], repeats: 3, trainLimit: 3000, testLimit: 500 },
  ],
  ['mnist-train all images ×2', { frameworks: ['numpy'], suites: ['mnist-train'], batchSizes: [], powerModes: [], repeats: 2 }],
  ['cnn-infer 3 s ×3', { frameworks: ['numpy'], suites: ['cnn-infer'], batchSizes: [], powerModes: [], repeats: 3, seconds: 3 }],
  ['gemm + membw 2 s ×3', { frameworks: ['numpy'], suites: ['gemm', 'membw'], batchSizes: [], powerModes: [], repeats: 3, seconds: 2 }],
  [
    'cnn-infer 2 batches × 2 power modes ×2',
    {
      frameworks: ['numpy'],
      suites: ['cnn-infer'],
      batchSizes: [1, 8],
      powerModes: [
        { nvpmodel: 0, jetsonClocks: false },
        { nvpmodel: 1, jetsonClocks: false },
      ],
      repeats: 2,
      seconds: 2,
    },
  ],
];

export async function benchEstimate(): Promise<Record<string, number>> {
  const test = openTestWorkbench('jwb-bench-estimate-');
  const figures: Record<string, number> = {};
  let worst = 0;
  try {
    const board = value(await test.bridge.call['demo.add']({ profile: 'orin-nano' }));
    for (const [name, plan] of plans) {
      const input: BenchPlanInput = { ...plan, boards: [{ kind: 'simulated', id: board.id }] };
      const estimate = value(await test.bridge.call['bench.plan.estimate']({ plan: input })).seconds;
      const started = performance.now();
      const done = new Promise<void>((resolve) => {
        const stop = test.bridge.on('bench.onDidProgress', (event) => {
          if (event.stage !== 'plan-done') return;
          stop();
          resolve();
        });
      });
      value(await test.bridge.call['bench.start']({ plan: input }));
      await done;
      const actual = (performance.now() - started) / 1000;
      const error = (100 * (estimate - actual)) / actual;
      worst = Math.max(worst, Math.abs(error));
      figures[`estimate: ${name}: estimated, s`] = estimate;
      figures[`estimate: ${name}: actual, s`] = actual;
      figures[`estimate: ${name}: error, %`] = error;
    }
  } finally {
    await test.dispose();
  }
  figures['estimate: worst error on the simulator, %'] = worst;
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, figure] of Object.entries(await benchEstimate())) process.stdout.write(`${name.padEnd(70)} ${figure.toFixed(2)}\n`);
}
