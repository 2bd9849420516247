/**
 * The privileged writer as the app drives it, a real process on real loop
 * devices: the token and heartbeat rules, the refusals (the disk under /, a
 * drive holding a system mount, a drive that changed size), the zip variants
 * real tools make, an odd-sized image, a damaged xz. The full flows through
 * SdFlashService are in src/main/flash/sd-flash.slow.test.ts.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineSplitter } from '../shared/line-splitter.ts';
import type { AppMessage, WriterMessage } from '../shared/writer-protocol.ts';
import { decodeWriterLine, encodeAppLine, writerLineLimit } from '../shared/writer-protocol.ts';
import type { TestImage, ZipVariant } from '../../test/support/loop-devices.ts';
import {
  attachLoop,
  buildRawImage,
  compressXz,
  compressZip,
  detachLoop,
  loopDevicesUnavailable,
  mountpointsOf,
  run,
  sha256Of,
  zerosSha256,
} from '../../test/support/loop-devices.ts';

const unavailable = loopDevicesUnavailable();
const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const targetBytes = 32 * 1024 * 1024;

class WriterProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: WriterMessage[] = [];
  readonly exited: Promise<number | null>;
  readonly #waiters = new Set<() => void>();

  constructor(token: string | undefined) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (token === undefined) delete env.JWB_WRITER_TOKEN;
    else env.JWB_WRITER_TOKEN = token;
    this.child = spawn(process.execPath, [entry], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const splitter = new LineSplitter({ maxLineChars: writerLineLimit + 1 });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        const decoded = decodeWriterLine(line);
        if (!decoded.ok) throw new Error(`The writer printed a line outside the protocol: ${line}`);
        this.messages.push(decoded.message);
      }
      for (const wake of this.#waiters) wake();
    });
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    void this.exited.then(() => this.#waiters.forEach((wake) => wake()));
  }

  send(message: AppMessage | string): void {
    this.child.stdin.write(typeof message === 'string' ? message : encodeAppLine(message));
  }

  /** The first message of one of these types (an `error` always ends the wait). */
  async next(...types: WriterMessage['type'][]): Promise<WriterMessage> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const found = this.messages.find((message) => types.includes(message.type) || message.type === 'error');
      if (found !== undefined) return found;
      if (exited) throw new Error(`The writer exited before ${types.join('/')}: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
      });
    }
  }
}

function token(): string {
  return randomBytes(32).toString('hex');
}

async function greeted(): Promise<WriterProcess> {
  const secret = token();
  const writer = new WriterProcess(secret);
  writer.send({ type: 'hello', token: secret });
  expect(await writer.next('ready')).toEqual({ type: 'ready', version: 1 });
  return writer;
}

describe.skipIf(unavailable !== null)(`the privileged writer${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  let folder: string;
  let raw: TestImage;
  const loops: string[] = [];
  const writers: WriterProcess[] = [];

  function loop(bytes = targetBytes): string {
    const device = attachLoop(join(folder, `target-${loops.length}-${Date.now()}.bin`), bytes);
    loops.push(device);
    return device;
  }

  function writer(process: WriterProcess): WriterProcess {
    writers.push(process);
    return process;
  }

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-writer-test-'));
    // Odd-sized on purpose: the last sector is only partly the image's.
    raw = buildRawImage(join(folder, 'odd.img'), 12 * 1024 * 1024 + 12345);
  });

  afterEach(async () => {
    for (const process of writers.splice(0)) {
      process.child.stdin.end();
      await process.exited;
    }
    for (const device of loops.splice(0)) detachLoop(device);
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses a wrong token and exits', async () => {
    const process = writer(new WriterProcess(token()));
    process.send({ type: 'hello', token: token() });
    expect(await process.next('ready')).toMatchObject({ type: 'error', code: 'forbidden', message: expect.stringMatching(/wrong token/) });
    expect(await process.exited).toBe(2);
  });

  it('refuses to start without a token, and any command before hello', async () => {
    const untokened = writer(new WriterProcess(undefined));
    expect(await untokened.next('ready')).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await untokened.exited).toBe(2);
    const device = loop();
    const rude = writer(new WriterProcess(token()));
    rude.send({ type: 'write', image: raw.path, format: 'img', device, expectedSize: targetBytes, verify: false });
    expect(await rude.next('ready')).toMatchObject({ type: 'error', code: 'forbidden', message: expect.stringMatching(/hello/) });
    expect(await rude.exited).toBe(2);
    expect(sha256Of(device, targetBytes)).toBe(zerosSha256(targetBytes));
  });

  it('exits when its stdin closes', async () => {
    const process = writer(await greeted());
    process.child.stdin.end();
    expect(await process.exited).toBe(0);
  });

  it('stops on its own when the heartbeat stops', async () => {
    const process = writer(await greeted());
    expect(await process.exited).toBe(3);
    expect(process.messages.at(-1)).toMatchObject({ type: 'log', line: expect.stringMatching(/No heartbeat/) });
  }, 30_000);

  it('writes an odd-sized image exactly, leaving the bytes after it as they were', async () => {
    const device = loop();
    writeFileSync(join(folder, 'pattern.bin'), Buffer.alloc(targetBytes, 0xa5));
    run(['dd', `if=${join(folder, 'pattern.bin')}`, `of=${device}`, 'bs=4M', 'oflag=direct', 'status=none']);
    const process = writer(await greeted());
    process.send({ type: 'write', image: raw.path, format: 'img', device, expectedSize: targetBytes, verify: true });
    expect(await process.next('result')).toEqual({ type: 'result', sha256: raw.sha256, bytes: raw.bytes, verified: true });
    expect(sha256Of(device, raw.bytes)).toBe(raw.sha256);
    const after = run(['sh', '-c', 'dd if="$1" bs=1 skip="$2" count=16 status=none | od -An -tx1', 'sh', device, String(raw.bytes)]);
    expect(after.trim().split(/\s+/)).toEqual(Array(16).fill('a5'));
    expect(process.messages.some((message) => message.type === 'progress' && message.phase === 'verifying')).toBe(true);
  });

  it.each<ZipVariant>(['deflate', 'stored', 'data-descriptor', 'zip64'])('writes the .img inside a %s zip', async (variant) => {
    const device = loop();
    const process = writer(await greeted());
    process.send({ type: 'write', image: compressZip(raw.path, variant), format: 'zip', device, expectedSize: targetBytes, verify: false });
    expect(await process.next('result')).toEqual({ type: 'result', sha256: raw.sha256, bytes: raw.bytes, verified: false });
    expect(sha256Of(device, raw.bytes)).toBe(raw.sha256);
  });

  it('refuses a damaged xz as corrupted', async () => {
    const xz = compressXz(raw.path);
    const damaged = join(folder, 'damaged.img.xz');
    run([
      'sh',
      '-c',
      'cp "$1" "$2" && printf "\\377\\377\\377\\377" | dd of="$2" bs=1 seek=4096 conv=notrunc status=none',
      'sh',
      xz,
      damaged,
    ]);
    const process = writer(await greeted());
    process.send({ type: 'write', image: damaged, format: 'xz', device: loop(), expectedSize: targetBytes, verify: false });
    expect(await process.next('result')).toMatchObject({ type: 'error', code: 'corrupted' });
  });

  it('refuses an image larger than the drive before writing a byte', async () => {
    const device = loop(8 * 1024 * 1024);
    const process = writer(await greeted());
    process.send({ type: 'write', image: compressXz(raw.path), format: 'xz', device, expectedSize: 8 * 1024 * 1024, verify: false });
    expect(await process.next('result')).toMatchObject({ type: 'error', code: 'disk-full', message: expect.stringMatching(/larger than/) });
    expect(sha256Of(device, 8 * 1024 * 1024)).toBe(zerosSha256(8 * 1024 * 1024));
  });

  it('refuses a drive whose size is not the one the app saw', async () => {
    const device = loop();
    const process = writer(await greeted());
    process.send({ type: 'write', image: raw.path, format: 'img', device, expectedSize: targetBytes + 512, verify: false });
    expect(await process.next('result')).toMatchObject({
      type: 'error',
      code: 'conflict',
      message: expect.stringMatching(/not the drive you chose/),
    });
    expect(process.messages.some((message) => message.type === 'progress')).toBe(false);
    expect(sha256Of(device, targetBytes)).toBe(zerosSha256(targetBytes));
  });

  it('refuses a drive holding a system mount, without writing a byte', async () => {
    const device = loop();
    run(['mkfs.ext4', '-q', '-F', device]);
    const before = sha256Of(device, targetBytes);
    // Under /var: a mount of the OS by the writer's rule (only /media, /run/media, /mnt and /tmp hold removable media).
    mkdirSync('/var/tmp', { recursive: true });
    const mountpoint = mkdtempSync('/var/tmp/jwb-system-');
    run(['mount', '-o', 'ro', device, mountpoint]);
    try {
      const process = writer(await greeted());
      process.send({ type: 'write', image: raw.path, format: 'img', device, expectedSize: targetBytes, verify: false });
      expect(await process.next('result')).toMatchObject({ type: 'error', code: 'forbidden', message: expect.stringMatching(/system/) });
      expect(mountpointsOf(device)).toEqual([mountpoint]);
    } finally {
      run(['umount', mountpoint]);
      rmSync(mountpoint, { recursive: true });
    }
    expect(sha256Of(device, targetBytes)).toBe(before);
  });

  const rootSource = run(['findmnt', '--noheadings', '--output', 'SOURCE', '/']).trim();
  it.skipIf(!rootSource.startsWith('/dev/'))(`refuses the disk holding / (${rootSource})`, async () => {
    const parent = run(['lsblk', '--nodeps', '--noheadings', '--output', 'PKNAME', rootSource]).trim();
    const disk = parent === '' ? rootSource : `/dev/${parent}`;
    // lsblk, not blockdev: a sandbox may forbid opening the root disk even to root, and the writer must refuse before it tries.
    const size = Number(run(['lsblk', '--bytes', '--nodeps', '--noheadings', '--output', 'SIZE', disk]).trim());
    const process = writer(await greeted());
    process.send({ type: 'write', image: raw.path, format: 'img', device: disk, expectedSize: size, verify: false });
    expect(await process.next('result')).toMatchObject({
      type: 'error',
      code: 'forbidden',
      message: expect.stringMatching(/system drives/),
    });
    expect(process.messages.some((message) => message.type === 'progress')).toBe(false);
  });
});
