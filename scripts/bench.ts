/**
 * `npm run bench`: prints the figures the issues set budgets for. Run it on a
 * quiet machine; it measures, it does not assert (budgets are shown beside).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCore } from './bench-core.ts';
import { benchDiscovery } from './bench-discovery.ts';
import { benchEstimate } from './bench-estimate.ts';
import { benchFlash } from './bench-flash.ts';
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
      // Not an issue's budget: a bounded process holds its resident size through the third hour.
      'recorder RSS growth in hour 3, %': 10,
      'recorder samples lost': 0,
    },
  },
  {
    name: 'benchmark time estimate (simulated Orin Nano)',
    run: benchEstimate,
    budgets: { 'estimate: worst error on the simulator, %': 25 },
  },
  {
    name: 'SD writer (loop device, root only)',
    run: benchFlash,
    budgets: { 'flash: writer speed vs baseline, ×': { atLeast: 0.9 } },
  },
  {
    name: 'live view (headless Chromium, 8 boards x 12 series at 10 Hz)',
    run: benchLiveView,
    budgets: {
      // rAF intervals cannot go below one 60 Hz vsync (16.7 ms): at most one vsync means no frame skipped.
      'live view: frame interval p95, ms': 17,
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

/**
 * Each suite runs in a fresh Node process (this same file, given the suite's
 * name): memory figures must not carry what an earlier suite left behind.
 */
async function runIsolated(suite: Suite): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), suite.name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = output.trim().split('\n');
  const line = lines.pop() ?? '';
  for (const note of lines) process.stdout.write(`  ${note.trim()}\n`); // what the suite said along the way
  if (code !== 0 || !line.startsWith('{')) throw new Error(`The ${suite.name} suite failed (exit ${code}).`);
  return JSON.parse(line) as Record<string, number>;
}

const only = process.argv[2];
if (only !== undefined) {
  const suite = suites.find((candidate) => candidate.name === only);
  if (!suite) throw new Error(`No bench suite named "${only}"`);
  process.stdout.write(`${JSON.stringify(await suite.run())}\n`);
} else {
  for (const suite of suites) {
    process.stdout.write(`\n${suite.name}\n`);
    const figures = await runIsolated(suite);
    for (const [label, value] of Object.entries(figures)) {
      process.stdout.write(`  ${label.padEnd(48)} ${value.toFixed(value < 10 ? 3 : 1)}${verdict(value, suite.budgets?.[label])}\n`);
    }
  }
}
