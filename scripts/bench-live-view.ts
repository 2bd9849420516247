/**
 * Issue 5's live-view budget: the real built renderer in headless Chromium,
 * 8 boards × 12 series at 10 Hz for 60 s; p95 frame time under 16 ms and no
 * dropped batch.
 *
 * The page is served by the real serve shell and talks to the real core over
 * its WebSocket, except that Playwright's `routeWebSocket` stands in the
 * middle: it answers `telemetry.list` with 8 running boards and injects their
 * `telemetry.onDidSample` batches, exactly as the core would send them
 * (src/main/telemetry/telemetry-service.ts), so the production bundle carries
 * no test switch. Frame times are the deltas between `requestAnimationFrame`
 * callbacks in the page; long tasks come from a PerformanceObserver. A batch
 * is dropped when the samples a panel says it received fall short of those sent.
 *
 * `JWB_BENCH_LIVE_SECONDS` shortens the run (CI); the figures say how long it ran.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { startServeShell } from '../src/main/shell/serve.ts';
import type { PowerBatch } from '../src/shared/power/batch.ts';
import type { TelemetryBoardState } from '../src/shared/telemetry/contract.ts';
import { launchChromium, requireRendererBuild } from '../test/e2e/browser.ts';
import { quantile } from './stats.ts';

const boardCount = 8;
const rateHz = 10;
/** Per board: 7 power series (input total + 6 rails) and 5 activity series (3 loads, 2 temperatures). */
const rails = ['VDD_IN', 'VDD_CPU_CV', 'VDD_GPU_SOC', 'VDDQ_VDD2_1V8AO', 'VIN_SYS_5V0', 'VDD_CPU', 'VDD_GPU'];
const temps = ['cpu', 'gpu'];
const seriesPerBoard = rails.length + 3 + temps.length;

function boardState(index: number): TelemetryBoardState {
  return {
    board: `bench-${index}`,
    label: `bench-${index}`,
    simulated: true,
    source: 'agent',
    powerSource: 'hwmon',
    intervalMs: 1000 / rateHz,
    state: 'running',
    error: null,
    samples: 0,
    gaps: 0,
    lost: 0,
    unparsed: 0,
    recentUnparsed: [],
    inputRail: 'VDD_IN',
    rails,
    powerMode: { name: 'MAXN', id: 0 },
    recording: null,
  };
}

/** One sample of a board that pulses between ~8 and ~25 W, with noise. */
function batch(index: number, seq: number, t: number): PowerBatch {
  const phase = Math.sin(t / 3 + index);
  const inputMw = 16_000 + 8_000 * phase + Math.random() * 600;
  const railColumns: Record<string, (number | null)[]> = {};
  for (const [railIndex, name] of rails.entries()) railColumns[name] = [railIndex === 0 ? inputMw : (inputMw / 8) * (1 + railIndex / 10)];
  return {
    board: `bench-${index}`,
    seq0: seq,
    t: [t],
    inputRail: 'VDD_IN',
    inputMw: [inputMw],
    railSumMw: [inputMw * 0.9],
    rails: railColumns,
    cpuLoad: [50 + 45 * phase],
    gpuLoad: [50 - 45 * phase],
    gpuMhz: [918],
    emcLoad: [30],
    ramUsedMb: [12_000],
    temps: { cpu: [55 + 5 * phase], gpu: [53 + 5 * phase] },
    markers: seq % 300 === 150 ? [{ t, label: `phase ${seq / 150}` }] : [],
  };
}

/** Passes everything through to the real core, except the telemetry list; returns the page side. */
function stubTelemetry(route: WebSocketRoute): void {
  const server = route.connectToServer();
  route.onMessage((message) => {
    const parsed = JSON.parse(String(message)) as { type: string; id?: number; method?: string };
    if (parsed.type === 'request' && parsed.method === 'telemetry.list') {
      const value = Array.from({ length: boardCount }, (_, index) => boardState(index));
      route.send(JSON.stringify({ type: 'response', id: parsed.id, result: { ok: true, value } }));
      return;
    }
    server.send(message);
  });
  server.onMessage((message) => route.send(message));
}

// Injected before the page's own scripts: every requestAnimationFrame callback
// (the charts' redraws) is timed, and the time is summed per frame.
const timeAnimationFrames = `
  window.__jwbWork = new Map();
  const original = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => original((now) => {
    const start = performance.now();
    try { callback(now); } finally { window.__jwbWork.set(now, (window.__jwbWork.get(now) ?? 0) + performance.now() - start); }
  });
`;

const measureFrames = `
  window.__jwbFrames = [];
  window.__jwbWork.clear();
  window.__jwbLongTasks = 0;
  new PerformanceObserver((list) => { window.__jwbLongTasks += list.getEntries().length; }).observe({ type: 'longtask' });
  let last = performance.now();
  const tick = (now) => { window.__jwbFrames.push(now - last); last = now; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
`;

async function received(page: Page): Promise<number> {
  const counts = await page.locator('[data-counter="received"]').allInnerTexts();
  return counts.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
}

/**
 * Two runs: a 1600×1000 window (the charts scrolled out of sight skip their
 * redraws, as they do for a student), then a window tall enough that all 16
 * charts of the 8 boards are on screen and draw every batch (the worst case).
 */
export async function benchLiveView(): Promise<Record<string, number>> {
  requireRendererBuild();
  const seconds = Number(process.env.JWB_BENCH_LIVE_SECONDS ?? 60);
  const window = await runLiveView(seconds, 1000, 'live view');
  const tall = await runLiveView(seconds, 8200, 'all 16 charts on screen');
  return { ...window, ...tall };
}

async function runLiveView(seconds: number, height: number, name: string): Promise<Record<string, number>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jwb-bench-live-'));
  const shell = await startServeShell({ dataDir });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height } });
    await context.addInitScript(timeAnimationFrames);
    let socket: WebSocketRoute | undefined;
    await context.routeWebSocket(/\/ws$/, (route) => {
      socket = route;
      stubTelemetry(route);
    });
    const page = await context.newPage();
    await page.goto(shell.url);
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    await page.getByRole('link', { name: 'Live power' }).click();
    await page
      .locator('[data-counter="received"]')
      .nth(boardCount - 1)
      .waitFor();
    // Wait until the view has subscribed to the samples before sending any.
    await page.waitForTimeout(500);
    const route = socket;
    if (route === undefined) throw new Error('The page opened no WebSocket.');

    await page.evaluate(measureFrames);
    let sent = 0;
    const started = performance.now();
    const t0 = Date.now() / 1000;
    for (let tick = 0; tick < seconds * rateHz; tick += 1) {
      const due = started + (tick * 1000) / rateHz;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      for (let index = 0; index < boardCount; index += 1) {
        route.send(JSON.stringify({ type: 'event', topic: 'telemetry.onDidSample', payload: batch(index, tick, t0 + tick / rateHz) }));
        sent += 1;
      }
    }
    const frames = (await page.evaluate('window.__jwbFrames')) as number[];
    const work = ((await page.evaluate('[...window.__jwbWork.values()]')) as number[]).sort((a, b) => a - b);
    const longTasks = (await page.evaluate('window.__jwbLongTasks')) as number;
    // Let the last batches land, then compare what each panel counted with what was sent.
    let got = 0;
    for (let attempt = 0; attempt < 20 && got < sent; attempt += 1) {
      got = await received(page);
      if (got < sent) await page.waitForTimeout(100);
    }
    const sorted = frames.slice(5).sort((a, b) => a - b); // the first frames include the measuring script's start
    return {
      [`${name}: run, s`]: seconds,
      [`${name}: boards × series`]: boardCount * seriesPerBoard,
      [`${name}: batches sent`]: sent,
      [`${name}: batches dropped`]: sent - got,
      [`${name}: frames`]: sorted.length,
      [`${name}: frame interval p50, ms`]: quantile(sorted, 0.5),
      [`${name}: frame interval p95, ms`]: quantile(sorted, 0.95),
      [`${name}: frame interval max, ms`]: sorted[sorted.length - 1] ?? Number.NaN,
      [`${name}: redraw work per frame p95, ms`]: quantile(work, 0.95),
      [`${name}: redraw work per frame max, ms`]: work[work.length - 1] ?? Number.NaN,
      [`${name}: long tasks (> 50 ms)`]: longTasks,
    };
  } finally {
    await browser.close();
    await shell.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchLiveView();
  for (const [label, value] of Object.entries(figures))
    process.stdout.write(`  ${label.padEnd(56)} ${value.toFixed(value < 10 ? 3 : 1)}\n`);
}
