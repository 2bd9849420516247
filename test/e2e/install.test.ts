/**
 * Issue 7 end to end, in Chromium through the serve shell: a simulated board
 * is started and connected from the page, then the Install view installs
 * jetson-stats on it and shows the verification and the procedure document.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('install', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });

async function openApp(): Promise<Page> {
  const page = await wb.newPage();
  await page.goto(wb.shell.url);
  await page.getByRole('contentinfo').getByText('Connected').waitFor();
  return page;
}

/** Starts a simulated Orin Nano and connects to it from its card (password, then fingerprint). */
async function connectSimulatedBoard(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Simulated boards' }).click();
  await page.getByRole('radio', { name: /^Jetson Orin Nano 8GB/ }).check();
  await page.getByRole('button', { name: 'Add a simulated board' }).click();
  const demoCard = page.getByRole('region', { name: 'Jetson Orin Nano 8GB' });
  await demoCard.getByRole('button', { name: /^Show the password of / }).click();
  const password = (await demoCard.getByRole('definition').nth(2).locator(':scope > span').first().innerText()).trim();

  await page.getByRole('link', { name: 'Boards', exact: true }).click();
  const card = page.getByRole('region', { name: 'orin-nano-1' });
  await card.getByRole('button', { name: 'Connect to orin-nano-1' }).click();
  const passwordDialog = page.getByRole('dialog', { name: /^Password for / });
  await passwordDialog.getByLabel('Password').fill(password);
  await passwordDialog.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('dialog', { name: 'Is this board the one you expect?' }).getByRole('button', { name: 'Trust and connect' }).click();
  await card.getByText('Connected', { exact: true }).waitFor();
  await card.getByText('NVIDIA Jetson Orin Nano').waitFor(); // identified: the Install view can read its stack
}

describe('Install view', () => {
  it('installs jetson-stats on a simulated board and shows the verification and the procedure', async () => {
    const page = await openApp();
    await connectSimulatedBoard(page);

    await page.getByRole('link', { name: 'Install', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Install a library' }).waitFor();
    await page.getByRole('combobox', { name: 'Board' }).selectOption({ label: 'orin-nano-1' });
    await page.getByRole('heading', { name: 'Current stack' }).waitFor();
    await page.getByRole('radio', { name: /jetson-stats/ }).check();
    await page.getByText('A simulated board: its known password is used.').waitFor();
    expect(await page.getByLabel('Sudo password of the board').count()).toBe(0);
    await page.getByRole('button', { name: 'Install', exact: true }).click();

    await page.getByText('Installed and verified.').waitFor({ timeout: 20_000 });
    const log = await page.getByLabel('Install log').innerText();
    expect(log).toContain('$ sudo ');
    expect(await page.getByTestId('install-version').innerText()).toMatch(/^\d+\.\d+/);
    const procedure = page.getByLabel('Procedure document');
    await procedure.waitFor();
    const markdown = await procedure.innerText();
    expect(markdown).toContain('# Installing jetson-stats (jtop) on');
    expect(markdown).toContain('## Verification');
    expect(await page.getByRole('link', { name: 'Download as HTML' }).getAttribute('href')).toMatch(/^blob:/);

    // Again: the probe finds it installed, the steps are skipped (said so in the log and the document), then verified.
    expect(await page.getByRole('checkbox', { name: 'Reinstall even if it is already installed' }).isChecked()).toBe(false);
    expect(await page.getByRole('textbox', { name: 'Install from a folder on this computer (offline board)' }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    await page
      .getByLabel('Install log')
      .getByText(/skipped \(already installed, version \d/)
      .waitFor({ timeout: 20_000 });
    await page
      .getByLabel('Procedure document')
      .getByText(/skipped: already installed, version \d/)
      .waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Install log').innerText()).not.toContain('$ sudo ');
  });
});
