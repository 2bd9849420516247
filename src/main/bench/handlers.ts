/** `bench.*`: plans, their runs and the report. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { BenchService } from './service.ts';

export function benchHandlers(bench: BenchService): HandlersOf<'bench'> {
  return {
    'bench.plan.estimate': ({ plan }) => bench.estimate(plan),
    'bench.start': ({ plan }) => bench.start(plan),
    'bench.cancel': ({ planId }) => ({ cancelled: bench.cancel(planId) }),
    'bench.runs': ({ planId, limit }) => bench.runs(planId, limit),
    'bench.report': ({ planId, save, pdf, handIn }) => bench.report(planId, save, pdf, handIn),
  };
}
