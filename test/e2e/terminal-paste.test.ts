/**
 * Pasting into a board's terminal, in Chromium through the serve shell: a
 * paste over `terminal.input`'s 64 Ki characters reaches the board whole (it
 * used to be refused by the contract and dropped without a word), and one
 * over the paste limit is refused with a message, nothing of it sent, the
 * connection to the core kept.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/sim/fleet.ts';
import { connectFromCard } from './boards-page.ts';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('paste', { viewport: { width: 1280, height: 900 } });
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.dispose();
  fleet = undefined;
});

/** Pastes `size` characters into the terminal as the browser would (a paste event on xterm's textarea). */
async function paste(page: Page, size: number): Promise<void> {
  // A string, not a function: this file is type-checked without the DOM's types.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'x'.repeat(${size}));
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    document.querySelector('.xterm-helper-textarea').dispatchEvent(event);
  })()`);
}

describe('pasting into the terminal', () => {
  it('sends a 200 KB paste whole and refuses a 1.5 MB one with a message', { timeout: 120_000 }, async () => {
    fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.1', port: 0 });
    const board = fleet.boards[0]!;
    const page = await wb.openWorkbench();
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    await page.getByRole('textbox', { name: 'Address' }).fill(board.host);
    await page.getByRole('spinbutton', { name: 'SSH port' }).fill(String(board.port));
    await page.getByRole('textbox', { name: 'Name (optional)' }).fill('Paste Nano');
    await page.getByRole('button', { name: 'Add the board' }).click();
    await connectFromCard(page, 'Paste Nano', board.password);
    await page.getByRole('link', { name: 'Details and terminal of Paste Nano' }).click();
    await page.bringToFront(); // xterm draws on animation frames, which a page in the background hardly gets
    await page.getByRole('button', { name: 'Open a terminal' }).click();
    const rows = page.locator('.xterm-rows');
    await rows.getByText(/@[\w.-]+:~\$/).waitFor({ timeout: 30_000 });

    // `wc -c` counts what reaches the board: the paste, then the newline of Enter.
    await page.keyboard.type('wc -c');
    await page.keyboard.press('Enter');
    await paste(page, 200_000);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+D');
    await rows.getByText(/^200001\s*$/).waitFor({ timeout: 60_000 });

    await paste(page, 1_500_000);
    await page
      .getByRole('alert')
      .getByText(/^This paste is too long for the terminal \(1,500,000 characters; it takes at most 1,048,576 at a time\)/)
      .waitFor();
    // Nothing of it went out (the line would start with it, and not run), and the core and the shell are still there.
    await page.keyboard.type('echo still here');
    await page.keyboard.press('Enter');
    await rows.getByText(/^still here\s*$/).waitFor();
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
  });
});
