/**
 * The renderer in Chromium through the serve shell: a real core, a real
 * WebSocket, the real build. Each test gets its own core and data folder;
 * the browser is shared.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startServeShell } from '../../src/main/shell/serve.ts';
import { useWorkbench } from './workbench.ts';

const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const wb = useWorkbench('renderer', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

/** Opens the printed URL (token and all) in a new window of the test's wb.context. */

function rootAttribute(page: Page, name: string): Promise<string | null> {
  return page.locator('html').getAttribute(name);
}

async function bodyBackground(page: Page): Promise<string> {
  return (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
}

async function waitForRootAttribute(page: Page, name: string, value: string): Promise<void> {
  await page.waitForFunction(`document.documentElement.getAttribute(${JSON.stringify(name)}) === ${JSON.stringify(value)}`);
}

describe('the renderer through the serve shell', () => {
  it('shows app.info from the core after a round trip', async () => {
    const page = await wb.openWorkbench();

    const application = page.getByRole('region', { name: 'Application' });
    await application.getByText(packageJson.version, { exact: true }).waitFor();
    expect(await application.getByRole('definition').allInnerTexts()).toEqual([
      'Jetson Workbench',
      packageJson.version,
      'Web browser serve',
    ]);
    const storage = page.getByRole('region', { name: 'Storage' });
    expect(await storage.getByText(wb.dataDir, { exact: true }).count()).toBe(1);
    expect(await storage.getByText(join(wb.dataDir, 'results.sqlite'), { exact: true }).count()).toBe(1);
    const status = page.getByRole('contentinfo');
    await status.getByText('Connected').waitFor();
    expect(await status.innerText()).toContain(`Version ${packageJson.version}`);
    // The token left the address bar, and no cookie a script could read holds it.
    expect(page.url()).toBe(`${wb.shell.origin}/#/overview`);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('keeps the language chosen in Settings after a reload', async () => {
    const page = await wb.openWorkbench();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Français' }).check();
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    expect(await rootAttribute(page, 'lang')).toBe('fr');

    await page.reload();

    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Français' }).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Vue d’ensemble' }).click();
    await page.getByRole('region', { name: 'Système' }).waitFor();
    await page.getByRole('contentinfo').getByText('Connecté').waitFor();
  });

  it('switches the theme, and follows the system in System mode', async () => {
    const page = await wb.openWorkbench();
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await rootAttribute(page, 'data-theme')).toBe('system');
    const light = await bodyBackground(page);

    await page.getByRole('radio', { name: /^Dark/ }).check();
    await waitForRootAttribute(page, 'data-theme', 'dark');
    const dark = await bodyBackground(page);
    expect(dark).not.toBe(light);

    await page.getByRole('radio', { name: /^Light/ }).check();
    await waitForRootAttribute(page, 'data-theme', 'light');
    expect(await bodyBackground(page)).toBe(light);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bodyBackground(page)).toBe(light);

    await page.getByRole('radio', { name: /^System/ }).check();
    await waitForRootAttribute(page, 'data-theme', 'system');
    expect(await bodyBackground(page)).toBe(dark);
  });

  it('keeps two windows in step', async () => {
    const first = await wb.openWorkbench();
    const second = await wb.openWorkbench();
    await second.getByRole('contentinfo').getByText('Connected').waitFor();

    await first.getByRole('link', { name: 'Settings' }).click();
    await first.getByRole('radio', { name: 'Français' }).check();
    await first.getByRole('radio', { name: /^Sombre/ }).check();

    await second.getByRole('heading', { level: 1, name: 'Vue d’ensemble' }).waitFor();
    await waitForRootAttribute(second, 'data-theme', 'dark');
  });

  it('is usable with the keyboard alone', async () => {
    const page = await wb.openWorkbench();

    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');

    await page.getByRole('link', { name: 'Boards', exact: true }).focus(); // the first link
    await page.keyboard.press('ArrowUp'); // wraps round to the last link
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');

    // Into the language choices, then the arrow keys pick a radio button.
    await page.getByRole('radio', { name: 'English' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
  });

  it('shows a lost core in the status bar and a translated error on the next action', async () => {
    const page = await wb.openWorkbench();
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Français' }).check();
    await page.getByRole('contentinfo').getByText('Connecté').waitFor();

    await wb.shell.close();
    // A new core (new token) for afterEach to stop: this page's token no longer opens it.
    wb.shell = await startServeShell({ dataDir: wb.dataDir });

    await page.getByRole('contentinfo').getByText('Connexion perdue, reconnexion…').waitFor();
    await page.getByRole('radio', { name: /^Sombre/ }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Le paramètre n’a pas pu être enregistré.').waitFor();
    expect(await alert.innerText()).toContain('Le cœur du banc de travail est injoignable.');
    expect(await page.getByRole('radio', { name: /^Sombre/ }).isChecked()).toBe(false);
    expect(await rootAttribute(page, 'data-theme')).toBe('system');
    // Chromium reports each refused reconnection attempt on the console: expected here.
    const problems = await wb.takeProblems(page);
    expect(problems.filter((problem) => !/WebSocket connection to .* failed/.test(problem))).toEqual([]);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const page = await wb.newPage();
    const response = await page.goto(wb.shell.url);
    const policy = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    await page.getByRole('region', { name: 'Application' }).waitFor();
  });
});
