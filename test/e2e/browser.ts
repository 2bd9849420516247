/**
 * Chromium for the end-to-end suite, driven by playwright-core (no browser
 * download): the Chromium or Chrome of this machine, kept off the network,
 * with a fresh profile each launch. Also the checks the suite needs before
 * it can start (a renderer build) and what every page must not do (console
 * errors, Content-Security-Policy violations).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumCandidates, findChromium as findLocalChromium } from '../../src/main/bench/pdf.ts';

export const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

/** Flags that keep Chromium from calling home (updates, sync, QUIC probes) and from needing a GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** The computer's Chromium, as the report's PDF printer finds it (src/main/bench/pdf.ts), or a clear error. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findLocalChromium(env);
  if (found !== null) return found;
  throw new Error(
    env.JWB_CHROMIUM
      ? `JWB_CHROMIUM names ${env.JWB_CHROMIUM}, which does not exist.`
      : `No Chromium or Chrome found (looked in ${chromiumCandidates.join(', ')}). Install chromium (apt install chromium) or set JWB_CHROMIUM to its executable.`,
  );
}

/**
 * Launches headless Chromium. Playwright gives each launch its own temporary
 * user-data folder and deletes it on close, and each `newContext()` is a
 * separate cookie jar: tests need both a "logged in" and a fresh visitor.
 * `executablePath`: a script that starts this Chromium elsewhere (inside a
 * network namespace); Playwright drives it over stdio pipes all the same.
 */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

export function requireRendererBuild(): void {
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new Error(`The renderer is not built (${rendererDir}/index.html is missing). Run \`npm run build:renderer\` first.`);
  }
}

export interface PageProblems {
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  readonly list: string[];
}

// Runs in the page before its own scripts (injected by the DevTools protocol,
// so the page's CSP does not block it) and records every CSP violation.
const recordViolations = `
  window.__jwbViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__jwbViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

/** Starts watching a page; `collectProblems` then lists what went wrong. */
export async function watchPage(page: Page): Promise<PageProblems> {
  const list: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') list.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => list.push(`exception: ${error.message}`));
  await page.addInitScript(recordViolations);
  return { list };
}

export async function collectProblems(page: Page, problems: PageProblems): Promise<string[]> {
  const violations = (await page.evaluate('window.__jwbViolations ?? []')) as string[];
  return [...problems.list, ...violations.map((violation) => `CSP violation: ${violation}`)];
}
