/**
 * Issue 12 end to end, in Chromium through the serve shell: the Flash view
 * writes a real .img.xz onto a real loop device (the serve shell runs as root
 * here, so the privileged writer is started plainly), with the first boot set
 * up and the workbench's key pre-installed, then the card is read back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachLoop, buildJetsonImage, compressXz, detachLoop, loopDevicesUnavailable } from '../support/loop-devices.ts';
import { useWorkbench } from './workbench.ts';

const unavailable = loopDevicesUnavailable();
const wb = useWorkbench('flash', { viewport: { width: 1280, height: 900 } });
let folder = '';
let device = '';
let imagePath = '';
let sha256 = '';

beforeAll(() => {
  if (unavailable !== null) return;
  folder = mkdtempSync(join(tmpdir(), 'jwb-e2e-flash-'));
  const image = buildJetsonImage(folder);
  sha256 = image.sha256;
  imagePath = compressXz(image.path);
  device = attachLoop(join(folder, 'card.bin'), 96 * 1024 * 1024);
});

afterAll(() => {
  if (device !== '') detachLoop(device);
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)(`Flash view${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  it('writes and verifies an SD image with the first boot set up, then the card holds it', async () => {
    const page = await wb.newPage();
    await page.goto(wb.shell.url);
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    await page.getByRole('link', { name: 'Flash', exact: true }).click();

    await page.getByLabel('Image file or address').fill(imagePath);
    // A loop device is listed only when asked for: a student's list shows card readers.
    expect(await page.getByRole('radio', { name: new RegExp(device) }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Show loop and virtual drives' }).check();
    await page.getByRole('radio', { name: new RegExp(device) }).check();

    await page.getByRole('checkbox', { name: /Pre-configure the first boot/ }).check();
    await page.getByLabel('User name').fill('student');
    await page.getByLabel('Password', { exact: true }).fill('lab-pass-1');
    await page.getByLabel('Board name (hostname)').fill('lab-07');
    await page.getByRole('checkbox', { name: /I accept NVIDIA/ }).check();
    await page.getByRole('button', { name: `Flash ${device}` }).click();

    await page.getByText(/^Written and verified/).waitFor({ timeout: 60_000 });
    expect(await page.locator('code', { hasText: sha256 }).count()).toBe(1); // the SHA-256 written, under the outcome
    const log = await page.getByLabel('Flash log').innerText();
    expect(log).not.toContain('lab-pass-1');

    const mountpoint = mkdtempSync(join(folder, 'mnt-'));
    execFileSync('mount', ['-o', 'ro', `${device}p1`, mountpoint]);
    try {
      expect(readFileSync(join(mountpoint, 'etc/hostname'), 'utf8').trim()).toBe('lab-07');
      // The workbench's own key, so the board it becomes is connected to without a password.
      const key = readFileSync(join(mountpoint, 'home/student/.ssh/authorized_keys'), 'utf8');
      expect(key).toMatch(/^ssh-ed25519 AAAA/);
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });
});
