/**
 * Budget of the SD writer: write + verify an xz image through the privileged
 * writer at no less than 0.9× the speed of the shell baseline
 * `xz -dc image.img.xz | dd of=/dev/loopN bs=4M oflag=direct` followed by
 * `head -c size /dev/loopN | sha256sum` (the read-back). The image (2 GiB by
 * default, JWB_BENCH_FLASH_MB to change it) is semi-random compressible data
 * made once into /tmp/jwb-bench-flash; each run writes a fresh sparse file
 * behind a loop device. Needs root and losetup.
 *
 * `node scripts/bench-flash.ts` runs it alone; scripts/bench.ts calls benchFlash().
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWriter } from '../src/main/flash/writer-client.ts';
import { attachLoop, detachLoop, loopDevicesUnavailable } from '../test/support/loop-devices.ts';

const folder = '/tmp/jwb-bench-flash';
const writerEntry = fileURLToPath(new URL('../src/writer/main.ts', import.meta.url));

interface BenchImage {
  xz: string;
  bytes: number;
  sha256: string;
}

export async function benchFlash(): Promise<Record<string, number>> {
  const unavailable = loopDevicesUnavailable();
  if (unavailable !== null) {
    process.stdout.write(`flash bench skipped: ${unavailable}\n`);
    return {};
  }
  const megabytes = Number(process.env.JWB_BENCH_FLASH_MB ?? '2048');
  const image = benchImage(megabytes);
  // Both runs start with the compressed file in the page cache.
  execFileSync('cat', [image.xz], { stdio: ['ignore', 'ignore', 'inherit'] });
  const baseline = await withFreshLoop(image, async (device) => timed(() => baselineRun(image, device, false)));
  const ours = await withFreshLoop(image, (device) => timedAsync(() => writerRun(image, device)));
  // The strongest shell line too: dd reads a pipe 64 KiB at a time (so writes 64 KiB direct I/Os) unless
  // iflag=fullblock, and xz 5.4 decompresses on one thread unless -T0 (which the writer passes).
  const bestBaseline = await withFreshLoop(image, async (device) => timed(() => baselineRun(image, device, true)));
  const mb = image.bytes / 1e6;
  process.stdout.write(
    `flash bench: ${megabytes} MiB image, baseline ${baseline.toFixed(1)} s (tuned: ${bestBaseline.toFixed(1)} s), writer ${ours.toFixed(1)} s\n`,
  );
  return {
    [`flash ${megabytes} MiB: writer write + verify, s`]: ours,
    [`flash ${megabytes} MiB: baseline xz | dd + sha256sum, s`]: baseline,
    [`flash ${megabytes} MiB: tuned baseline (xz -T0, dd iflag=fullblock), s`]: bestBaseline,
    'flash: writer throughput, MB/s': mb / ours,
    'flash: baseline throughput, MB/s': mb / baseline,
    'flash: writer speed vs baseline, ×': baseline / ours,
    'flash: writer speed vs tuned baseline, ×': bestBaseline / ours,
  };
}

/** The baseline as a student would type it; its read-back hash must be the image's. */
function baselineRun(image: BenchImage, device: string, tuned: boolean): void {
  const script = tuned
    ? 'xz -T0 -dc "$1" | dd of="$2" bs=4M iflag=fullblock oflag=direct status=none && head -c "$3" "$2" | sha256sum'
    : 'xz -dc "$1" | dd of="$2" bs=4M oflag=direct status=none && head -c "$3" "$2" | sha256sum';
  const result = spawnSync('sh', ['-c', script, 'sh', image.xz, device, String(image.bytes)], { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.startsWith(image.sha256))
    throw new Error(`The baseline failed: ${result.stderr}${result.stdout}`);
}

async function writerRun(image: BenchImage, device: string): Promise<void> {
  const size = Number(execFileSync('blockdev', ['--getsize64', device], { encoding: 'utf8' }).trim());
  const writer = await startWriter({ entry: writerEntry, elevate: (argv) => [...argv] });
  try {
    const result = await writer.write({ image: image.xz, format: 'xz', device, expectedSize: size, verify: true }, () => undefined);
    if (result.sha256 !== image.sha256 || !result.verified) throw new Error('The writer wrote something else.');
  } finally {
    await writer.close();
  }
}

/** Made once: blocks of random bytes, of repeated random words and of zeros, so xz squeezes it about 3:1 as it does a rootfs. */
function benchImage(megabytes: number): BenchImage {
  mkdirSync(folder, { recursive: true });
  const xz = join(folder, `bench-${megabytes}.img.xz`);
  const facts = `${xz}.json`;
  if (existsSync(xz) && existsSync(facts)) return JSON.parse(readFileSync(facts, 'utf8')) as BenchImage;
  process.stdout.write(`making the ${megabytes} MiB bench image (once)…\n`);
  const raw = join(folder, `bench-${megabytes}.img`);
  const hash = createHash('sha256');
  const fd = openSync(raw, 'w');
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const block = Buffer.alloc(1024 * 1024);
  for (let index = 0; index < megabytes; index += 1) {
    fillBlock(block, index % 4, random);
    hash.update(block);
    writeSync(fd, block);
  }
  closeSync(fd);
  execFileSync('xz', ['--force', '--threads=0', '-1', raw], { stdio: 'inherit' });
  const image = { xz, bytes: megabytes * 1024 * 1024, sha256: hash.digest('hex') };
  writeFileSync(facts, JSON.stringify(image));
  return image;
}

function fillBlock(block: Buffer, kind: number, random: () => number): void {
  if (kind === 3) return void block.fill(0);
  if (kind === 0) {
    for (let at = 0; at < block.length; at += 4) block.writeUInt32LE(random(), at);
    return;
  }
  // Words drawn from a small vocabulary: text and code-like, compressible but not trivially.
  for (let at = 0; at < block.length; at += 8) {
    block.writeUInt32LE(random() % 4096, at);
    block.writeUInt32LE(0x20657a69, at + 4);
  }
}

/** A fresh sparse file behind a loop device for each run: no run overwrites blocks another allocated. */
async function withFreshLoop<T>(image: BenchImage, use: (device: string) => Promise<T>): Promise<T> {
  const backing = join(folder, 'target.bin');
  rmSync(backing, { force: true });
  const device = attachLoop(backing, image.bytes + 64 * 1024 * 1024);
  try {
    return await use(device);
  } finally {
    detachLoop(device);
    rmSync(backing, { force: true });
  }
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

async function timedAsync(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [label, value] of Object.entries(await benchFlash())) process.stdout.write(`  ${label.padEnd(56)} ${value.toFixed(2)}\n`);
}
