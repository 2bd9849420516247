/**
 * Issue 5's "done when", end to end: a simulated Orin Nano runs a CPU-heavy
 * command, the live view in Chromium shows its total power rise and its
 * energy counter grow, and the recording's CSV export holds the samples.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { connect, exec } from '../../src/sim/testing.ts';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('power', { viewport: { width: 1400, height: 1000 }, colorScheme: 'light', acceptDownloads: true });
let page: Page;

beforeEach(async () => {
  page = await wb.newPage();
});

/** Starts a simulated Orin Nano from its page and reads what a student would type to log in. */
async function addOrinNano(): Promise<{ name: string; host: string; port: number; user: string; password: string; fingerprint: string }> {
  await page.getByRole('link', { name: 'Simulated boards' }).click();
  await page.getByRole('radio', { name: /^Jetson Orin Nano 8GB/ }).check();
  await page.getByRole('button', { name: 'Add a simulated board' }).click();
  const card = page.getByRole('region', { name: 'Jetson Orin Nano 8GB' });
  await card.getByRole('button', { name: /^Show the password of / }).click();
  const name = ((await card.getByRole('button', { name: /^Stop the simulated board / }).getAttribute('aria-label')) ?? '').replace(
    'Stop the simulated board ',
    '',
  );
  const values = card.getByRole('definition');
  const [host = '', port = ''] = (await values.nth(0).innerText()).trim().split(':');
  const user = (await values.nth(1).innerText()).trim();
  const password = (await values.nth(2).locator(':scope > span').first().innerText()).trim();
  const fingerprint = (await values.nth(3).innerText()).trim();
  return { name, host, port: Number(port), user, password, fingerprint };
}

async function readNumber(name: string): Promise<number> {
  const text = await page.getByRole('status', { name }).innerText();
  return text === '—' ? Number.NaN : Number(text.replace(/,/g, ''));
}

/** Polls a readout until `accept` holds; returns the values seen. */
async function waitForReadout(name: string, accept: (value: number) => boolean, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await readNumber(name);
    seen.push(value);
    if (accept(value)) return seen;
    await page.waitForTimeout(100);
  }
  throw new Error(`${name} never satisfied the condition; saw ${seen.slice(-20).join(', ')}`);
}

describe('live power through the serve shell', () => {
  it('shows a simulated board’s power rise under a CPU-heavy command, counts its energy and exports the samples', async () => {
    await page.goto(wb.shell.url);
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    const board = await addOrinNano();

    await page.getByRole('link', { name: 'Live power' }).click();
    await page.getByRole('combobox', { name: 'Sample every' }).selectOption('250');
    await page.getByRole('button', { name: `Start on ${board.name}` }).click();
    const panel = page.getByRole('region', { name: board.name });
    await panel.waitFor();
    const total = `Total power of ${board.name}, watts`;
    const energy = `Energy of ${board.name}, joules`;
    await waitForReadout(total, (value) => value > 0, 15_000);
    // Idle for a moment, to know what idle looks like.
    await page.waitForTimeout(1500);
    const idle = await readNumber(total);

    await panel.getByRole('button', { name: 'Record' }).click();
    await panel.getByText('● Recording').waitFor();
    const energyAtStart = await readNumber(energy);

    const client = await connect({ ...board, name: 'demo', model: 'orin-nano', modelName: '', serialPath: null });
    try {
      const burn = exec(client, 'python3 -c "import time\nt=time.time()\nwhile time.time()-t<4: pass"');
      // The model ramps within ~1 s; one busy core of six adds about 0.6 W on an Orin Nano at 15 W (noise is ±1.5 %, about 0.07 W).
      const seen = await waitForReadout(total, (value) => value > idle + 0.3, 8_000);
      expect(Math.max(...seen)).toBeGreaterThan(idle + 0.3);
      const result = await burn;
      expect(result.code).toBe(0);
    } finally {
      client.end();
    }
    const energyAfter = await readNumber(energy);
    expect(energyAfter).toBeGreaterThan(energyAtStart + idle * 3); // ≥ 4 s at no less than idle power

    await panel.getByRole('button', { name: 'Stop recording' }).click();
    const summary = panel.getByRole('region', { name: /^Last recording: \d+ samples$/ });
    await summary.waitFor();
    const samples = Number(
      /(\d+) samples/.exec((await summary.getAttribute('aria-label')) ?? (await summary.locator('h3').innerText()))?.[1],
    );
    expect(samples).toBeGreaterThan(12); // > 4 s at 250 ms

    await summary.getByRole('button', { name: 'Export CSV' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), summary.getByRole('link', { name: 'Download the CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const rows = csv.trim().split('\n');
    expect(rows[0]).toMatch(/^seq,t_s,input_mw,/);
    expect(rows.length - 1).toBe(samples);
    const inputColumn = rows.slice(1).map((row) => Number(row.split(',')[2]));
    expect(Math.max(...inputColumn)).toBeGreaterThan((idle + 0.3) * 1000);
    // The core wrote the same file into the data folder, and the page says where.
    const savedPath = await summary.locator('code').innerText();
    expect(savedPath.startsWith(join(wb.dataDir, 'exports'))).toBe(true);
    expect(await readFile(savedPath, 'utf8')).toBe(csv);
  });
});
