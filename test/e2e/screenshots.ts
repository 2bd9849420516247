/**
 * Screenshots of the renderer for a human to look at (design review, the
 * README): `node test/e2e/screenshots.ts [folder]` after
 * `npm run build:renderer`. Writes PNGs of each view in each theme, at a
 * projector's 1280×800 and at a phone's width, to test-results/screenshots.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServeShell } from '../../src/main/shell/serve.ts';
import type { Page } from 'playwright-core';
import { launchChromium, requireRendererBuild } from './browser.ts';

const outDir = resolve(process.argv[2] ?? 'test-results/screenshots');
const shots = [
  { name: 'overview-light', view: 'overview', theme: 'light', language: 'en', width: 1280, height: 800 },
  { name: 'overview-dark', view: 'overview', theme: 'dark', language: 'en', width: 1280, height: 800 },
  { name: 'settings-light', view: 'settings', theme: 'light', language: 'en', width: 1280, height: 800 },
  { name: 'settings-dark', view: 'settings', theme: 'dark', language: 'en', width: 1280, height: 800 },
  { name: 'simulator-empty-light', view: 'simulator', theme: 'light', language: 'en', width: 1280, height: 800 },
  { name: 'simulator-light', view: 'simulator', theme: 'light', language: 'en', width: 1280, height: 800, board: true },
  { name: 'simulator-dark', view: 'simulator', theme: 'dark', language: 'en', width: 1280, height: 800, board: true },
  { name: 'simulator-fr-narrow-light', view: 'simulator', theme: 'light', language: 'fr', width: 400, height: 860, board: true },
  { name: 'overview-fr-light', view: 'overview', theme: 'light', language: 'fr', width: 1280, height: 800 },
  { name: 'settings-fr-narrow-dark', view: 'settings', theme: 'dark', language: 'fr', width: 400, height: 860 },
] as const;

/** Starts one simulated Orin Nano through the page, unless one already runs (boards outlive the page). */
async function ensureSimulatedBoard(page: Page): Promise<void> {
  const cards = page.locator('main section[id^="demo-board-"]');
  await page.locator('main form button[type="submit"]').waitFor();
  if ((await cards.count()) === 0) {
    await page.locator('input[name="profile"][value="orin-nano"]').check();
    await page.locator('main form button[type="submit"]').click();
  }
  await cards.first().waitFor();
  await page.evaluate('window.scrollTo(0, 0)');
}

requireRendererBuild();
await mkdir(outDir, { recursive: true });
const dataDir = await mkdtemp(join(tmpdir(), 'jwb-screenshots-'));
const shell = await startServeShell({ dataDir });
const browser = await launchChromium();
let shellClosed = false;
try {
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height } });
    const page = await context.newPage();
    await page.goto(shell.url);
    await page.getByRole('contentinfo').locator('[data-state="connected"]').waitFor();
    // Set the preferences through the UI, as a student would.
    await page.locator('nav a[href="#/settings"]').click();
    await page.locator(`input[name="language"][value="${shot.language}"]`).check();
    await page.locator(`input[name="theme"][value="${shot.theme}"]`).check();
    await page.locator(`nav a[href="#/${shot.view}"]`).click();
    await page.locator('main h1').waitFor();
    if ('board' in shot) await ensureSimulatedBoard(page);
    await page.mouse.move(0, 0);
    const file = join(outDir, `${shot.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
    await context.close();
  }
  // Last, since it stops the core: a lost connection and the error it causes.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(shell.url);
  await page.getByRole('contentinfo').locator('[data-state="connected"]').waitFor();
  await page.locator('nav a[href="#/settings"]').click();
  await page.locator('input[name="language"][value="en"]').check();
  await page.locator('input[name="theme"][value="light"]').check();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await shell.close();
  shellClosed = true;
  await page.getByRole('contentinfo').locator('[data-state="lost"]').waitFor();
  await page.locator('input[name="theme"][value="dark"]').click(); // refused: the core is gone
  await page.getByRole('alert').locator('summary').click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(outDir, 'settings-error-light.png'), fullPage: true });
  process.stdout.write(`${join(outDir, 'settings-error-light.png')}\n`);
  await context.close();
} finally {
  await browser.close();
  if (!shellClosed) await shell.close();
  await rm(dataDir, { recursive: true, force: true });
}
