/**
 * Issue 4 end to end, in Chromium through the serve shell: a simulated board
 * started from the page appears on the Boards view; the student connects
 * (password, then the fingerprint), opens its details and runs `uname -a` in
 * the embedded terminal. Then: after a session with a password, no file of
 * the data folder contains that password.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/sim/fleet.ts';
import { connectFromCard } from './boards-page.ts';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('boards', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.dispose();
  fleet = undefined;
});

async function openApp(): Promise<Page> {
  const page = await wb.newPage();
  await page.goto(wb.shell.url);
  await page.getByRole('contentinfo').getByText('Connected').waitFor();
  return page;
}

/** A port free on `host`: a fleet uses the same port on each of its addresses. */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, host, resolve).once('error', reject));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Boards view', () => {
  it('shows a simulated board, connects to it and runs uname -a in its terminal', { timeout: 150_000 }, async () => {
    const page = await openApp();
    expect(await page.getByRole('navigation', { name: 'Views' }).getByRole('link').first().innerText()).toBe('Boards');
    await page.getByRole('link', { name: 'Simulated boards' }).click();
    await page.getByRole('radio', { name: /^Jetson Orin Nano 8GB/ }).check();
    await page.getByRole('button', { name: 'Add a simulated board' }).click();
    const demoCard = page.getByRole('region', { name: 'Jetson Orin Nano 8GB' });
    await demoCard.getByRole('button', { name: /^Show the password of / }).click();
    const values = demoCard.getByRole('definition');
    const password = (await values.nth(2).locator(':scope > span').first().innerText()).trim();
    const fingerprint = (await values.nth(3).innerText()).trim();

    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    const card = page.getByRole('region', { name: 'orin-nano-1' });
    await card.getByText('Simulated').waitFor();
    expect(await connectFromCard(page, 'orin-nano-1', password)).toBe(fingerprint);
    await card.getByText('NVIDIA Jetson Orin Nano').waitFor();
    await card.getByText(/^\d+\.\d W$/).waitFor();

    await card.getByRole('link', { name: 'Details and terminal of orin-nano-1' }).click();
    await page.getByRole('heading', { level: 1, name: 'orin-nano-1' }).waitFor();
    expect(page.url()).toMatch(/#\/boards\/sim-\d+$/); // a simulated board goes by the same id everywhere
    await page.getByText(fingerprint).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Software' }).waitFor();
    // A page in the background gets few animation frames, and xterm draws on them.
    await page.bringToFront();
    await page.getByRole('button', { name: 'Open a terminal' }).click();
    const rows = page.locator('.xterm-rows');
    // The shell's first prompt shows before any keystroke (ssh2's pure-JS crypto used to lose it).
    await rows.getByText(/@[\w.-]+:~\$/).waitFor({ timeout: 30_000 });
    expect(await page.evaluate("document.activeElement?.classList.contains('xterm-helper-textarea') ?? false")).toBe(true);
    await page.keyboard.type('uname -a');
    await page.keyboard.press('Enter');
    await rows.getByText(/aarch64 GNU\/Linux/).waitFor({ timeout: 60_000 });
    expect(await rows.innerText()).toMatch(/Linux \S+ 5\.15\.\d+-tegra/);
  });

  it('scans a range of simulated boards, lists them as they answer and adds one', async () => {
    const port = await freePort('127.0.0.50');
    fleet = await startFleet({ profile: 'orin-nano', count: 3, host: '127.0.0.50', port });
    const page = await openApp();
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Scan the network' });
    await panel.getByRole('textbox', { name: 'Range to scan' }).fill('127.0.0.48-127.0.0.56');
    await panel.getByRole('textbox', { name: 'Ports' }).fill(String(port));
    await panel.getByRole('button', { name: 'Scan', exact: true }).click();
    await panel.getByText('Scan finished: 3 found among 9 addresses.').waitFor();
    const results = panel.getByRole('list', { name: 'Boards found on the network' });
    expect(await results.getByRole('listitem').count()).toBe(3);
    for (const board of fleet.boards) await results.getByText(`${board.host}:${port}`, { exact: true }).waitFor();

    const second = fleet.boards[1];
    if (second === undefined) throw new Error('no board');
    const address = `${second.host}:${port}`;
    await results.getByRole('textbox', { name: `User for ${address}` }).fill(second.user);
    await results.getByRole('button', { name: `Add ${address} to the boards` }).click();
    const card = page.getByRole('region', { name: address });
    await card.getByText('Offline').waitFor();
    expect(await card.getByText(`${second.user}@${address}`).count()).toBe(1);
    await results.getByRole('listitem').filter({ hasText: address }).getByText('Already in your boards').waitFor();
    expect(await connectFromCard(page, address, second.password)).toBe(second.fingerprint);
  });

  it('keeps the password of a session out of every file of the data folder', async () => {
    const password = 'Corr3ct-Horse-e2e-51d7';
    fleet = await startFleet({ profile: 'nano', count: 1, host: '127.0.0.1', port: 0, password });
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const page = await openApp();
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    await page.getByRole('textbox', { name: 'Address' }).fill(board.host);
    await page.getByRole('spinbutton', { name: 'SSH port' }).fill(String(board.port));
    await page.getByRole('textbox', { name: 'Name (optional)' }).fill('Lab Nano');
    await page.getByRole('button', { name: 'Add the board' }).click();
    expect(await connectFromCard(page, 'Lab Nano', password)).toBe(board.fingerprint);
    await page.getByRole('region', { name: 'Lab Nano' }).getByText('NVIDIA Jetson Nano Developer Kit').waitFor();
    await page.getByRole('button', { name: 'Disconnect from Lab Nano' }).click();
    await page.getByRole('region', { name: 'Lab Nano' }).getByText('Offline').waitFor();
    // The page goes first: left open, it would try to reconnect to the stopped core every half second
    // while the folder is searched, and Chromium reports each refused attempt as a console error.
    expect(await wb.takeProblems(page)).toEqual([]);
    await page.close();
    await wb.shell.close(); // flushes everything to disk before the search (closing again later is a no-op)

    const entries = await readdir(wb.dataDir, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    expect(files.some((file) => file.endsWith('known-hosts.json'))).toBe(true);
    const leaks: string[] = [];
    for (const file of files) if ((await readFile(file)).includes(password)) leaks.push(file);
    expect(leaks).toEqual([]);
  });
});
