/**
 * `jwb drives` and `jwb flash sd` end to end: a real loop device, a real
 * .img.xz, the real writer (this test runs as root, so it is started plainly),
 * then the card's root filesystem read back to see the first boot in it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachLoop,
  buildJetsonImage,
  compressXz,
  detachLoop,
  loopDevicesUnavailable,
  type TestImage,
} from '../../../test/support/loop-devices.ts';
import { jsonLines, runJwb } from '../../../test/support/run-jwb.ts';

const unavailable = loopDevicesUnavailable();
let folder = '';
let device = '';
let image: TestImage;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (unavailable !== null) return;
  folder = mkdtempSync(join(tmpdir(), 'jwb-cli-flash-'));
  image = buildJetsonImage(folder);
  device = attachLoop(join(folder, 'card.bin'), 96 * 1024 * 1024);
  env = { ...process.env, JWB_DATA_DIR: join(folder, 'data') };
});

afterAll(() => {
  if (device !== '') detachLoop(device);
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)(`jwb flash sd${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  it('lists a loop device only with --all, marked virtual', async () => {
    const plain = await runJwb(['drives', '--json'], { env });
    expect(plain.status).toBe(0);
    expect((JSON.parse(plain.stdout) as Array<{ device: string }>).map((drive) => drive.device)).not.toContain(device);
    const all = await runJwb(['drives', '--all', '--json'], { env });
    const listed = (JSON.parse(all.stdout) as Array<{ device: string; virtual: boolean; blockers: string[] }>).find(
      (drive) => drive.device === device,
    );
    expect(listed).toMatchObject({ virtual: true, blockers: [] });
  });

  it('refuses a loop device without --virtual, and names what to run', async () => {
    const run = await runJwb(['flash', 'sd', image.path, device], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${device} is not a drive this computer lists (see jwb drives)`);
  });

  it('writes an .img.xz, verifies it and sets up first boot in its root filesystem', async () => {
    const firstBoot = join(folder, 'first-boot.json');
    writeFileSync(
      firstBoot,
      JSON.stringify({ user: 'student', password: 'lab-pass-1', hostname: 'lab-07', timezone: 'Europe/Berlin', acceptLicense: true }),
    );
    const run = await runJwb(['flash', 'sd', compressXz(image.path), device, '--virtual', '--first-boot', firstBoot, '--json'], { env });
    expect(run.stderr).not.toContain('lab-pass-1');
    expect(run.status, run.stderr).toBe(0);
    const [job] = jsonLines(run.stdout);
    expect(job).toMatchObject({ phase: 'done', sha256: image.sha256, outcome: { ok: true } });
    expect(readFileSync(job!.logPath as string, 'utf8')).not.toContain('lab-pass-1');

    const mountpoint = mkdtempSync(join(folder, 'mnt-'));
    execFileSync('mount', ['-o', 'ro', `${device}p1`, mountpoint]);
    try {
      expect(readFileSync(join(mountpoint, 'etc/hostname'), 'utf8').trim()).toBe('lab-07');
      expect(readFileSync(join(mountpoint, 'etc/passwd'), 'utf8')).toMatch(/^student:x:1000:1000:/m);
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });
});
