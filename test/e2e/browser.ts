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

export const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

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

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.JWB_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`JWB_CHROMIUM names ${named}, which does not exist.`);
    return named;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `No Chromium or Chrome found (looked in ${candidates.join(', ')}). Install chromium (apt install chromium) or set JWB_CHROMIUM to its executable.`,
    );
  }
  return found;
}

/**
 * Launches headless Chromium. Playwright gives each launch its own temporary
 * user-data folder and deletes it on close, and each `newContext()` is a
 * separate cookie jar: tests need both a "logged in" and a fresh visitor.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
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
