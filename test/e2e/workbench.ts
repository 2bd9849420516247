/**
 * The fixture every browser e2e file shares: one Chromium per file, and per
 * test a fresh data folder, a fresh serve shell and a fresh browser context.
 * Every page opened through it is watched; a console error or a CSP
 * violation on any of them fails the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startServeShell, type ServeShell } from '../../src/main/shell/serve.ts';
import { collectProblems, launchChromium, requireRendererBuild, watchPage, type PageProblems } from './browser.ts';

export interface E2eWorkbench {
  readonly browser: Browser;
  readonly dataDir: string;
  readonly context: BrowserContext;
  /** Replaceable: a test that stops the core starts a new one for the fixture to close. */
  shell: ServeShell;
  /** A new watched page in the test's context (not yet navigated). */
  newPage(): Promise<Page>;
  /** A new watched page on the printed URL (token and all), once the app has drawn its title. */
  openWorkbench(): Promise<Page>;
  /** Stops watching `page` and returns what it reported, for a test that expects some errors. */
  takeProblems(page: Page): Promise<string[]>;
}

export function useWorkbench(name: string, contextOptions: BrowserContextOptions): E2eWorkbench {
  let browser: Browser | undefined;
  let dataDir = '';
  let context: BrowserContext | undefined;
  let shell: ServeShell | undefined;
  const watched: { page: Page; problems: PageProblems }[] = [];

  beforeAll(async () => {
    requireRendererBuild();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `jwb-e2e-${name}-`));
    shell = await startServeShell({ dataDir });
    context = await browser!.newContext(contextOptions);
  });
  afterEach(async () => {
    const problems = (await Promise.all(watched.map(({ page, problems }) => collectProblems(page, problems)))).flat();
    watched.length = 0;
    await context?.close();
    await shell?.close(); // also stops the simulated boards and any run still going
    await rm(dataDir, { recursive: true, force: true });
    expect(problems).toEqual([]);
  });

  const fixture: E2eWorkbench = {
    get browser() {
      return browser!;
    },
    get dataDir() {
      return dataDir;
    },
    get context() {
      return context!;
    },
    get shell() {
      return shell!;
    },
    set shell(next) {
      shell = next;
    },
    async newPage() {
      const page = await context!.newPage();
      watched.push({ page, problems: await watchPage(page) });
      return page;
    },
    async openWorkbench() {
      const page = await fixture.newPage();
      await page.goto(shell!.url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      return page;
    },
    async takeProblems(page) {
      const index = watched.findIndex((entry) => entry.page === page);
      if (index < 0) return [];
      const [entry] = watched.splice(index, 1);
      return collectProblems(entry!.page, entry!.problems);
    },
  };
  return fixture;
}
