/**
 * `npm run bench`: prints the figures the issues set budgets for. Run it on a
 * quiet machine; it measures, it does not assert (budgets are shown beside).
 */
import { benchCore } from './bench-core.ts';
import { benchDiscovery } from './bench-discovery.ts';
import { benchLiveView } from './bench-live-view.ts';
import { benchSimFleet } from './bench-sim.ts';
import { benchTelemetry } from './bench-telemetry.ts';

/** A bare number is a ceiling ("at most"); `{ atLeast }` is a floor (a rate such as lines/s). */
type Budget = number | { atMost: number } | { atLeast: number };

interface Suite {
  name: string;
  run: () => Promise<Record<string, number>>;
  budgets?: Record<string, Budget>;
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
  {
    name: 'telemetry',
    run: benchTelemetry,
    budgets: {
      'tegrastats parse, lines/s': { atLeast: 500_000 },
      'energy worst error on synthetic traces, %': 0.5,
      'recorder heapUsed growth, %': 10,
      'recorder RSS growth, %': 10,
      'recorder samples lost': 0,
    },
  },
  {
    name: 'live view (headless Chromium, 8 boards x 12 series at 10 Hz)',
    run: benchLiveView,
    budgets: {
      'live view: frame interval p95, ms': 16.7,
      'live view: redraw work per frame p95, ms': 16,
      'live view: batches dropped': 0,
    },
  },
];

function verdict(value: number, budget: Budget | undefined): string {
  if (budget === undefined) return '';
  if (typeof budget === 'number' || 'atMost' in budget) {
    const limit = typeof budget === 'number' ? budget : budget.atMost;
    return `  (budget ≤ ${limit}: ${value <= limit ? 'ok' : 'OVER'})`;
  }
  return `  (budget ≥ ${budget.atLeast}: ${value >= budget.atLeast ? 'ok' : 'UNDER'})`;
}

for (const suite of suites) {
  process.stdout.write(`\n${suite.name}\n`);
  const figures = await suite.run();
  for (const [label, value] of Object.entries(figures)) {
    process.stdout.write(`  ${label.padEnd(48)} ${value.toFixed(value < 10 ? 3 : 1)}${verdict(value, suite.budgets?.[label])}\n`);
  }
}
