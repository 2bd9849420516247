/**
 * The first-boot path end to end, in Chromium through the serve shell: a
 * simulated board seen only on its serial console (socat pty) is added by
 * its device path, logged in to from its card, its address read over the
 * console (the simulator answers with its 127.0.0.x address), and one click
 * adds user@address to the boards and connects to its SSH on loopback.
 */
import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/sim/fleet.ts';
import { trustShownKey } from './boards-page.ts';
import { useWorkbench } from './workbench.ts';

const wb = useWorkbench('serial-login', { viewport: { width: 1280, height: 900 } });
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.dispose();
  fleet = undefined;
});

describe('the first login on a serial console', () => {
  it('logs in on the console, reads the address and connects over the network in one click', { timeout: 120_000 }, async () => {
    fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.94', port: 0, serial: true });
    const board = fleet.boards[0];
    if (board?.serialPath == null) throw new Error('no console');
    // The pty behind the simulator's link: a /dev path, as a student types /dev/ttyACM0.
    const path = realpathSync(board.serialPath);
    const page = await wb.openWorkbench();
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    await page.getByRole('textbox', { name: 'Serial device' }).fill(path);
    await page.getByRole('button', { name: 'Add the console' }).click();

    const card = page.getByRole('region', { name: path });
    await card.getByText('Serial console only').waitFor();
    await card.getByRole('textbox', { name: 'User' }).fill(board.user);
    await card.getByLabel('Password').fill(board.password);
    await card.getByRole('button', { name: 'Log in and read the address' }).click();
    // A console is slow (each command typed and framed): a busy machine gets room.
    await card.getByText(`Logged in as ${board.user} on ${board.name}.`).waitFor({ timeout: 60_000 });
    await card.getByText(board.modelName, { exact: false }).waitFor();
    const addresses = card.getByRole('list', { name: `Network addresses of ${board.name}` });
    expect((await addresses.getByRole('listitem').allInnerTexts()).map((text) => text.split('\n')[0]?.trim())).toEqual([board.host]);

    await card.getByRole('spinbutton', { name: 'SSH port' }).fill(String(board.port));
    await addresses.getByRole('button', { name: `Connect to ${board.user}@${board.host} over the network` }).click();
    // The password typed for the console logs in over SSH too; only the host key is the person's to confirm.
    expect(await trustShownKey(page, board.name)).toBe(board.fingerprint);
    const connected = page.getByRole('region', { name: board.name });
    await connected.getByText('NVIDIA Jetson Orin Nano').waitFor();
    expect(await connected.getByText(`${board.user}@${board.host}:${board.port}`).count()).toBe(1);
  });
});
