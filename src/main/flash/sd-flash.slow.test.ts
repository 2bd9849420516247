/**
 * SdFlashService end to end on real loop devices, with the real writer
 * process, xz and zip: a Jetson-like image (GPT, ext4 APP partition) written
 * from .img.xz and .zip and read back equal to the raw image; a mounted
 * partition unmounted first; cancel; a URL downloaded first; first boot
 * configured on the APP partition; the refusals the service makes before
 * anything starts.
 */
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlashJob, FlashProgressEvent, SdFlashRequest } from '../../shared/flash/contract.ts';
import type { TestImage } from '../../../test/support/loop-devices.ts';
import {
  attachLoop,
  buildJetsonImage,
  buildRawImage,
  compressXz,
  compressZip,
  detachLoop,
  loopDevicesUnavailable,
  mountpointsOf,
  run,
  sha256Of,
} from '../../../test/support/loop-devices.ts';
import { FlashJobs } from './flash-jobs.ts';
import { SdFlashService } from './sd-flash.ts';

const unavailable = loopDevicesUnavailable();
const writerEntry = fileURLToPath(new URL('../../writer/main.ts', import.meta.url));
const targetBytes = 96 * 1024 * 1024;
const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGfiiJXQz6Wl1cFmNdZPdCzEzZsuBaerwlY7ceeBDahi student@laptop';

describe.skipIf(unavailable !== null)(`SdFlashService on loop devices${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  let folder: string;
  let image: TestImage;
  let xz: string;
  let zip: string;
  let jobs: FlashJobs;
  let service: SdFlashService;
  let events: FlashProgressEvent[];
  const loops: string[] = [];

  function loop(bytes = targetBytes): string {
    const device = attachLoop(join(folder, `target-${loops.length}-${Date.now()}.bin`), bytes);
    loops.push(device);
    return device;
  }

  function request(device: string, fields: Partial<SdFlashRequest> = {}): SdFlashRequest {
    return {
      image: xz,
      device,
      expectedSize: targetBytes,
      confirmLarge: false,
      verify: true,
      firmwareAcknowledged: false,
      includeVirtual: true,
      ...fields,
    };
  }

  async function flash(fields: SdFlashRequest): Promise<FlashJob> {
    const { flashId } = await service.start(fields);
    return service.finished(flashId);
  }

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-sd-flash-test-'));
    image = buildJetsonImage(folder);
    xz = compressXz(image.path);
    zip = compressZip(image.path, 'deflate');
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  beforeAll(() => {
    events = [];
    jobs = new FlashJobs(join(folder, 'logs'), (event) => events.push(event));
    service = new SdFlashService({ jobs, writerEntry, cacheDir: join(folder, 'cache') });
  });

  afterEach(() => {
    for (const device of loops.splice(0)) detachLoop(device);
  });

  it('writes an .img.xz and reads it back equal to the raw image', async () => {
    const device = loop();
    const job = await flash(request(device));
    expect(job).toMatchObject({ phase: 'done', sha256: image.sha256, outcome: { ok: true, summary: expect.stringMatching(/verified/) } });
    expect(sha256Of(device, image.bytes)).toBe(image.sha256);
    // Events are batched ten a second: a 64 MiB read-back may fall between two, so only the phases that last are certain.
    const phases = new Set(events.filter((event) => event.job.flashId === job.flashId).map((event) => event.job.phase));
    expect([...phases]).toEqual(expect.arrayContaining(['preparing', 'writing', 'done']));
    expect(readFileSync(job.logPath, 'utf8')).toContain(`Verified: the card reads back the image's SHA-256 ${image.sha256}`);
  });

  it('unmounts the drive’s mounted partition, then writes a .zip', async () => {
    const device = loop();
    // An old card: the same image already on it, its APP partition mounted where a desktop would.
    run(['dd', `if=${image.path}`, `of=${device}`, 'bs=4M', 'status=none']);
    run(['partx', '--update', device]);
    const mountpoint = mkdtempSync(join(tmpdir(), 'jwb-mounted-card-'));
    run(['mount', `${device}p1`, mountpoint]);
    const job = await flash(request(device, { image: zip }));
    expect(job).toMatchObject({ phase: 'done', sha256: image.sha256 });
    expect(mountpointsOf(device)).toEqual([]);
    expect(readFileSync(job.logPath, 'utf8')).toContain(`Unmounted ${mountpoint}`);
    expect(sha256Of(device, image.bytes)).toBe(image.sha256);
    rmSync(mountpoint, { recursive: true, force: true });
  });

  it('ends a cancelled write as cancelled, never as a success', async () => {
    const big = buildRawImage(join(folder, 'big.img'), 160 * 1024 * 1024);
    const device = loop(192 * 1024 * 1024);
    const { flashId } = await service.start(request(device, { image: big.path, expectedSize: 192 * 1024 * 1024 }));
    const cancelOnFirstWrite = (): void => {
      if (jobs.get(flashId).phase === 'writing') jobs.cancel(flashId);
      else setTimeout(cancelOnFirstWrite, 5);
    };
    cancelOnFirstWrite();
    const job = await service.finished(flashId);
    expect(job).toMatchObject({ phase: 'cancelled', outcome: { ok: false } });
    expect(job.bytes).toBeLessThan(big.bytes);
  });

  it('downloads a URL to the cache first, then writes it', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(readFileSync(xz).length) });
      createReadStream(xz).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/images/jetson-lab.img.xz`;
      const device = loop();
      const job = await flash(request(device, { image: url }));
      expect(job).toMatchObject({ phase: 'done', sha256: image.sha256 });
      const downloaded = /Downloaded \S+ to (\S+)/.exec(readFileSync(job.logPath, 'utf8'))?.[1];
      expect(downloaded).toMatch(/jetson-lab\.img\.xz$/);
      // Kept as it came, still compressed: nothing is unpacked to disk.
      expect(readFileSync(downloaded!).equals(readFileSync(xz))).toBe(true);
      expect(sha256Of(device, image.bytes)).toBe(image.sha256);
    } finally {
      server.close();
    }
  });

  it('sets up first boot on the APP partition after writing', async () => {
    const device = loop();
    const firstBoot = {
      user: 'student',
      password: 'jetson-lab',
      hostname: 'bench-07',
      sshPublicKey: sshKey,
      locale: 'en_US.UTF-8',
      timezone: 'Europe/Berlin',
      acceptLicense: true,
    } as const;
    const job = await flash(request(device, { firstBoot }));
    expect(job).toMatchObject({ phase: 'done', outcome: { ok: true, summary: expect.stringMatching(/first boot/) } });
    run(['partx', '--update', device]);
    const mountpoint = mkdtempSync(join(tmpdir(), 'jwb-check-rootfs-'));
    run(['mount', '-o', 'ro', `${device}p1`, mountpoint]);
    try {
      expect(readFileSync(join(mountpoint, 'etc/hostname'), 'utf8').trim()).toBe('bench-07');
      expect(readFileSync(join(mountpoint, 'home/student/.ssh/authorized_keys'), 'utf8')).toContain(sshKey);
    } finally {
      run(['umount', mountpoint]);
      rmSync(mountpoint, { recursive: true, force: true });
    }
    expect(readFileSync(job.logPath, 'utf8')).toMatch(/Changed .*etc\/hostname/);
  });

  it('fails as corrupted when the image is not the one the given SHA-256 names', async () => {
    const job = await flash(request(loop(), { sha256: 'f'.repeat(64) }));
    expect(job).toMatchObject({ phase: 'failed', outcome: { ok: false, cause: expect.stringMatching(/SHA-256 differs/) } });
    expect(readFileSync(job.logPath, 'utf8')).toContain('Failed (corrupted)');
  });

  it('refuses a drive whose size is not the one the student saw', async () => {
    await expect(service.start(request(loop(), { expectedSize: targetBytes - 512 }))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a drive holding a system mount, and the disk holding /', async () => {
    const jobsBefore = jobs.list().length;
    const device = loop();
    run(['mkfs.ext4', '-q', '-F', device]);
    const mountpoint = mkdtempSync('/var/tmp/jwb-system-');
    run(['mount', '-o', 'ro', device, mountpoint]);
    try {
      await expect(service.start(request(device))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/system/) });
    } finally {
      run(['umount', mountpoint]);
      rmSync(mountpoint, { recursive: true, force: true });
    }
    const root = (await service.drives(false)).find((drive) => drive.mountpoints.includes('/'));
    if (root !== undefined) {
      await expect(
        service.start(request(root.device, { expectedSize: root.size, includeVirtual: false, confirmLarge: true })),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
    // Refused before a job (or the writer) started.
    expect(jobs.list()).toHaveLength(jobsBefore);
  });

  it('asks for the Orin Nano firmware acknowledgement for a JetPack 6 image', async () => {
    const jp6 = join(folder, 'jp62-orin-nano-sd-card-image.img.xz');
    copyFileSync(xz, jp6);
    await expect(service.start(request(loop(), { image: jp6 }))).rejects.toMatchObject({
      code: 'invalid-request',
      detail: 'firmwareAcknowledged',
    });
  });
});
