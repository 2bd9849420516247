/**
 * `npm run bench`: prints the figures the issues set budgets for. Run it on a
 * quiet machine; it measures, it does not assert (budgets are shown beside).
 */
import { benchCore } from './bench-core.ts';
import { benchDiscovery } from './bench-discovery.ts';
import { benchSimFleet } from './bench-sim.ts';

interface Suite {
  name: string;
  run: () => Promise<Record<string, number>>;
  budgets?: Record<string, number>;
}

const suites: Suite[] = [
  { name: 'core', run: benchCore },
  {
    name: 'simulator fleet',
    run: benchSimFleet,
    budgets: {
      'fleet of 32 start (to the last JSON line), ms': 5000,
      'fleet of 32 memory after one SSH session each, MB': 300,
    },
  },
  { name: 'discovery', run: benchDiscovery, budgets: { 'discover + identify 32 boards, ms': 3000 } },
];

for (const suite of suites) {
  process.stdout.write(`\n${suite.name}\n`);
  const figures = await suite.run();
  for (const [label, value] of Object.entries(figures)) {
    const budget = suite.budgets?.[label];
    const verdict = budget === undefined ? '' : value <= budget ? `  (budget ${budget}: ok)` : `  (budget ${budget}: OVER)`;
    process.stdout.write(`  ${label.padEnd(48)} ${value.toFixed(value < 10 ? 3 : 1)}${verdict}\n`);
  }
}
