/**
 * Issues 6 and 11, end to end: in Chromium, a student plans mnist-train ×
 * NumPy × 2 repeats on two simulated boards from the Benchmarks view, a TX1
 * (JetPack 4, INA3221 through iio) and an Orin Nano (JetPack 6, hwmon),
 * starts it, watches the runs' power live, follows the progress to the end,
 * reads an accuracy above chance and the energy with its source for each
 * board, and opens the HTML report, which renders on its own and describes
 * each board by name, as simulated, from its identification.
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
  it(
    'plans, runs and reports mnist-train on a simulated TX1 and Orin Nano, with energy from each board’s own sensors',
    { timeout: 180_000 },
    async () => {
      await page.goto(wb.shell.url);
      await page.getByRole('contentinfo').getByText('Connected').waitFor();
      const tx1 = await addSimulatedBoard(/^Jetson TX1/, 'Jetson TX1');
      const orin = await addSimulatedBoard(/^Jetson Orin Nano 8GB/, 'Jetson Orin Nano 8GB');

      await page.getByRole('link', { name: 'Benchmarks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
      await page.getByRole('checkbox', { name: `${tx1} Simulated` }).check();
      await page.getByRole('checkbox', { name: `${orin} Simulated` }).check();
      expect(await page.getByRole('checkbox', { name: 'numpy' }).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: 'MNIST training' }).isChecked()).toBe(true);
      await page.getByRole('spinbutton', { name: 'Repeats' }).fill('2');
      await page.getByRole('spinbutton', { name: 'Epochs' }).fill('1');
      await page.getByRole('spinbutton', { name: 'Training images (empty: all)' }).fill('2000');
      await page.getByRole('spinbutton', { name: 'Test images (empty: all)' }).fill('500');
      await page.getByText(/^Estimated: 4 runs, about \d/).waitFor();

      await page.getByRole('button', { name: 'Start the plan' }).click();
      const progress = page.getByRole('progressbar', { name: 'Runs finished' });
      await progress.waitFor();
      expect(await progress.getAttribute('max')).toBe('4');

      // The run's power, live: the agent's own samples, total (the input rail) and each rail, per board.
      const live = page.locator('.live-power');
      // The first run comes after connecting, sending the agent and Fashion-MNIST (30 MB): slow on a busy machine.
      await live.getByRole('heading', { name: `Live power: ${orin}` }).waitFor({ timeout: 60_000 });
      await live.getByRole('heading', { name: `Live power: ${tx1}` }).waitFor({ timeout: 60_000 });
      await live
        .getByText(/^now \d+(\.\d+)? W$/)
        .first()
        .waitFor();
      const legend = live.getByRole('list', { name: 'Series (press to show or hide)' });
      await legend.getByRole('button', { name: 'Total (VDD_IN)' }).first().waitFor();
      expect(
        await live
          .getByRole('img', { name: `Power of ${orin}: total and each rail, in watts` })
          .locator('canvas')
          .count(),
      ).toBe(1);
      await page.getByText('Plan finished: 4 done, 0 failed, 0 cancelled.').waitFor({ timeout: 120_000 });
      expect(await progress.getAttribute('value')).toBe('4');

      // Per-run results as they came, then the per-condition medians: one row per board, named and marked simulated.
      const runs = page.getByRole('table', { name: 'Runs as they finish' });
      expect(await runs.getByRole('row').count()).toBe(5);
      const results = page.getByRole('table', { name: /^Median of the repeats/ });
      await results.getByRole('row').nth(2).waitFor();
      for (const [board, source] of [
        [tx1, 'iio'],
        [orin, 'hwmon'],
      ] as const) {
        const row = results.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `${board} Simulated` }) });
        expect(await row.getByRole('cell').nth(0).innerText()).toBe('2 / 2');
        const accuracy = Number((await row.getByRole('cell').nth(1).locator('.median').innerText()).trim());
        expect(accuracy).toBeGreaterThan(0.2); // ten classes: chance is 0.1
        await row.getByText(new RegExp(`^integral of the samples · ${source} · \\d+(\\.\\d+)? Hz$`)).waitFor();
        expect(Number((await row.getByRole('cell').nth(3).locator('.median').innerText()).trim())).toBeGreaterThan(0);
      }
      expect(await page.locator('main').innerText()).not.toMatch(/demo-|sim-\d/);

      await page.getByRole('button', { name: 'Open the report' }).click();
      const link = page.getByRole('link', { name: 'Download the report (HTML)' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const html = await readFile(await download.path(), 'utf8');
      const savedPath = await page.locator('code').filter({ hasText: 'bench-' }).innerText();
      expect(savedPath.startsWith(join(wb.dataDir, 'reports'))).toBe(true);
      expect(await readFile(savedPath, 'utf8')).toBe(html);
      // The report names the boards, says they are simulated, and describes each from its identification.
      expect(html).toContain(`<h3>${tx1} <span class="flag">simulated board`);
      expect(html).toContain('<tr><th>JetPack</th><td>4.6.1</td></tr>');
      expect(html).toContain('<tr><th>JetPack</th><td>6.2.1</td></tr>');
      expect(html).toContain('<tr><th>Power source</th><td>iio</td></tr>');
      expect(html).not.toMatch(/demo-|x86_64/);

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
      const warning = await reportPage.getByText(/^Simulated: /).innerText();
      expect(warning).toContain(tx1);
      expect(warning).toContain(orin);
    },
  );
});

/** Starts a simulated board of the profile from the Simulated boards view; answers its name. */
async function addSimulatedBoard(profile: RegExp, cardName: string): Promise<string> {
  await page.getByRole('link', { name: 'Simulated boards' }).click();
  await page.getByRole('radio', { name: profile }).check();
  await page.getByRole('button', { name: 'Add a simulated board' }).click();
  const card = page.getByRole('region', { name: cardName });
  const label = (await card.getByRole('button', { name: /^Stop the simulated board / }).getAttribute('aria-label')) ?? '';
  return label.replace('Stop the simulated board ', '');
}
