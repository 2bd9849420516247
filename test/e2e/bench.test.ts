/**
 * Issue 6's "done when", end to end: in Chromium, a student plans mnist-train
 * × NumPy × 3 repeats on a simulated board from the Benchmarks view, starts
 * it, watches the run's power live, follows its progress to the end, reads
 * an accuracy above chance in the results, and opens the HTML report, which
 * renders on its own.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('bench', { viewport: { width: 1400, height: 1000 }, colorScheme: 'dark', acceptDownloads: true });
let page: Page;

beforeEach(async () => {
  page = await wb.newPage();
});

describe('benchmarks through the serve shell', () => {
  it('plans, runs and reports mnist-train × NumPy × 3 repeats on a simulated board', { timeout: 180_000 }, async () => {
    await page.goto(wb.shell.url);
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    await page.getByRole('link', { name: 'Simulated boards' }).click();
    await page.getByRole('radio', { name: /^Jetson Orin Nano 8GB/ }).check();
    await page.getByRole('button', { name: 'Add a simulated board' }).click();
    const card = page.getByRole('region', { name: 'Jetson Orin Nano 8GB' });
    const name = ((await card.getByRole('button', { name: /^Stop the simulated board / }).getAttribute('aria-label')) ?? '').replace(
      'Stop the simulated board ',
      '',
    );

    await page.getByRole('link', { name: 'Benchmarks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    await page.getByRole('checkbox', { name }).check();
    expect(await page.getByRole('checkbox', { name: 'numpy' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'MNIST training' }).isChecked()).toBe(true);
    await page.getByRole('spinbutton', { name: 'Repeats' }).fill('3');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Training images (empty: all)' }).fill('3000');
    await page.getByRole('spinbutton', { name: 'Test images (empty: all)' }).fill('1000');
    await page.getByText(/^Estimated: 3 runs, about \d/).waitFor();

    await page.getByRole('button', { name: 'Start the plan' }).click();
    const progress = page.getByRole('progressbar', { name: 'Runs finished' });
    await progress.waitFor();
    expect(await progress.getAttribute('max')).toBe('3');

    // The run's power, live: the agent's own samples, total (the input rail) and each rail.
    const live = page.locator('.live-power');
    // The first run comes after connecting, sending the agent and Fashion-MNIST (30 MB): slow on a busy machine.
    await live.getByRole('heading', { name: `Live power: ${name}` }).waitFor({ timeout: 60_000 });
    await live.getByText(/^now \d+(\.\d+)? W$/).waitFor();
    const legend = live.getByRole('list', { name: 'Series (press to show or hide)' });
    await legend.getByRole('button', { name: 'Total (VDD_IN)' }).waitFor();
    expect(await legend.getByRole('button').count()).toBeGreaterThan(1);
    expect(
      await live
        .getByRole('img', { name: `Power of ${name}: total and each rail, in watts` })
        .locator('canvas')
        .count(),
    ).toBe(1);
    await page.getByText('Plan finished: 3 done, 0 failed, 0 cancelled.').waitFor({ timeout: 90_000 });
    expect(await progress.getAttribute('value')).toBe('3');

    // Per-run accuracies as they came, then the per-condition median.
    const runs = page.getByRole('table', { name: 'Runs as they finish' });
    expect(await runs.getByRole('row').count()).toBe(4);
    const results = page.getByRole('table', { name: /^Median of the repeats/ });
    const row = results.getByRole('row').nth(1);
    await row.waitFor();
    expect(await row.getByRole('rowheader').innerText()).toBe('mnist-train · numpy');
    expect(await row.getByRole('cell').nth(0).innerText()).toBe('3 / 3');
    const accuracy = Number((await row.getByRole('cell').nth(1).locator('.median').innerText()).trim());
    expect(accuracy).toBeGreaterThan(0.2); // ten classes: chance is 0.1

    await page.getByRole('button', { name: 'Open the report' }).click();
    const link = page.getByRole('link', { name: 'Download the report (HTML)' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const html = await readFile(await download.path(), 'utf8');
    const savedPath = await page.locator('code').filter({ hasText: 'bench-' }).innerText();
    expect(savedPath.startsWith(join(wb.dataDir, 'reports'))).toBe(true);
    expect(await readFile(savedPath, 'utf8')).toBe(html);

    // The same report printed to PDF on the workbench computer.
    await page.getByRole('button', { name: 'Save as PDF' }).click();
    const pdfPath = await page
      .locator('code')
      .filter({ hasText: /\.pdf$/ })
      .innerText({ timeout: 30_000 });
    expect(pdfPath).toBe(savedPath.replace(/\.html$/, '.pdf'));
    expect((await readFile(pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');

    // The report renders by itself in Chromium, under its own strict CSP (watched like every page).
    const reportPage = await wb.newPage();
    await reportPage.goto(`file://${savedPath}`);
    await reportPage.getByRole('heading', { level: 1, name: 'Benchmark report' }).waitFor();
    expect(await reportPage.getByText(String(accuracy)).count()).toBeGreaterThan(0);
  });
});
