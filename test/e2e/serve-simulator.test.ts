/**
 * Demo mode end to end: a student starts a simulated Orin Nano from the
 * page, then a real ssh2 client logs into it with what the page shows
 * (address, user, password, host-key fingerprint), and Stop really closes it.
 */
import { createHash } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { orinNano } from '../../src/sim/profiles/orin-nano.ts';
import { connect, exec } from '../../src/sim/testing.ts';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('sim', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

async function openSimulator(): Promise<Page> {
  const page = await wb.newPage();
  await page.goto(wb.shell.url);
  await page.getByRole('contentinfo').getByText('Connected').waitFor();
  await page.getByRole('link', { name: 'Simulated boards' }).click();
  await page.getByRole('heading', { level: 1, name: 'Simulated boards' }).waitFor();
  return page;
}

/** OpenSSH's fingerprint of a raw host key: `SHA256:` and unpadded base64. */
function openSshFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Resolves to whether a TCP connection to host:port is refused (rather than accepted). */
function isRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('simulated boards through the serve shell', () => {
  it('starts an Orin Nano that a real SSH client logs into, and stops it', async () => {
    const page = await openSimulator();
    await page.getByText('No simulated board is running.').waitFor();

    await page.getByRole('radio', { name: /^Jetson Orin Nano 8GB/ }).check();
    await page.getByRole('button', { name: 'Add a simulated board' }).click();

    const card = page.getByRole('region', { name: 'Jetson Orin Nano 8GB' });
    await card.waitFor();
    await card.getByRole('button', { name: /^Show the password of / }).click();
    const values = card.getByRole('definition');
    const [host, port] = (await values.nth(0).innerText()).trim().split(':');
    const user = (await values.nth(1).innerText()).trim();
    const password = (await values.nth(2).locator(':scope > span').first().innerText()).trim();
    const fingerprint = (await values.nth(3).innerText()).trim();
    expect(host).toMatch(/^127\.0\.0\.\d+$/);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await card.getByText(`ssh -p ${port} ${user}@${host}`, { exact: true }).count()).toBe(1);
    if (host === undefined) throw new Error('no address on the card');

    let presentedKey = '';
    const client = await connect(
      { name: 'demo', host, port: Number(port), user, password, model: 'orin-nano', modelName: '', fingerprint, serialPath: null },
      {
        hostVerifier: (key: Buffer) => {
          presentedKey = openSshFingerprint(key);
          return presentedKey === fingerprint;
        },
      },
    );
    try {
      const model = await exec(client, 'cat /proc/device-tree/model');
      expect(model.code).toBe(0);
      expect(model.stdout.replace(/\0$/, '')).toBe(orinNano.model);
      expect(presentedKey).toBe(fingerprint);
    } finally {
      client.end();
    }

    await card.getByRole('button', { name: /^Stop the simulated board / }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByText('No simulated board is running.').waitFor();
    expect(await isRefused(host, Number(port))).toBe(true);
  });

  it('shows a board started in one window in the other', async () => {
    const first = await openSimulator();
    const second = await openSimulator();
    await second.getByText('No simulated board is running.').waitFor();
    // A tab in the background gets its animation frames throttled, which Playwright's clicks wait on.
    await first.bringToFront();

    await first.getByRole('radio', { name: /^Jetson Nano 4GB/ }).check();
    await first.getByRole('button', { name: 'Add a simulated board' }).click();

    const card = second.getByRole('region', { name: 'Jetson Nano 4GB' });
    await card.waitFor();
    await second.bringToFront();
    await card.getByRole('button', { name: /^Stop the simulated board / }).click();
    await first.getByText('No simulated board is running.').waitFor();
  });
});
