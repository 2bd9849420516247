/**
 * The Benchmarks view's name for a condition while its plan runs: the
 * runner's condition key (`board | suite | framework | batch | mode`,
 * src/shared/bench/plan.ts conditionKey) cut to what the plan varies, with
 * the board by its name. Stored runs are summarized by
 * src/shared/bench/summary.ts. Pure.
 */
export function shortConditionOf(
  condition: string,
  plan: {
    boards: readonly unknown[];
    suites: readonly unknown[];
    frameworks: readonly unknown[];
    batchSizes: readonly unknown[];
    powerModes: readonly unknown[];
  },
  boardLabel: string,
): string {
  const parts = condition.split(' | ');
  if (parts.length !== 5) return condition;
  parts[0] = boardLabel;
  const varies = [plan.boards.length, plan.suites.length, plan.frameworks.length, plan.batchSizes.length, plan.powerModes.length].map(
    (count) => count > 1,
  );
  const shown = varies.some(Boolean) ? parts.filter((_, index) => varies[index]) : [parts[1], parts[2]];
  return shown.join(' · ');
}
