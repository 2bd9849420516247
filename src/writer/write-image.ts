/**
 * One `write`: check the drive, open the image, unmount, open the drive
 * exclusively, stream the decompressed image through SHA-256 onto it in 4 MiB
 * chunks (one chunk written while the next is filled and hashed), flush, read
 * it back through SHA-256 and compare (etcher-sdk's pipeline, reference §3.1,
 * with SHA-256 so the hash can be checked against a download page's).
 */
import { createHash } from 'node:crypto';
import type { WriteCommand, WriterProgress } from '../shared/writer-protocol.ts';
import { ProgressMeter } from '../shared/flash/progress-meter.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { alignedChunkBuffers, BlockDevice, chunkBytes } from './block-device.ts';
import { openImage } from './image-source.ts';
import type { ImageSource } from './image-source.ts';
import type { InvokingUser } from './invoking-user.ts';
import { runProgram } from './run-program.ts';
import { checkTarget, unmountAll } from './target-check.ts';
import { cancelledWrite, corruptedWrite, driveFailure } from './write-errors.ts';

export interface WriteContext {
  user: InvokingUser | null;
  signal: AbortSignal;
  progress(progress: Omit<WriterProgress, 'type'>): void;
  log(line: string): void;
}

export interface WriteOutcome {
  device: string;
  sha256: string;
  bytes: number;
  verified: boolean;
}

export async function writeImage(command: WriteCommand, context: WriteContext): Promise<WriteOutcome> {
  const target = await checkTarget(command.device, command.expectedSize, command.image);
  const source = await openImage(command.image, command.format, context.user);
  let device: BlockDevice | undefined;
  try {
    if (source.size !== null && source.size > target.size) {
      throw new WorkbenchFailure(
        'disk-full',
        `The image (${source.size} bytes uncompressed) is larger than ${command.device} (${target.size} bytes): use a larger card.`,
      );
    }
    await unmountAll(target, context.log);
    device = await BlockDevice.open(target.device, target.rdev, target.sectorBytes).catch((error: unknown) => {
      throw driveFailure(error, command.device);
    });
    context.log(`Writing ${command.image} to ${target.device}${device.direct ? ' (direct I/O)' : ''}`);
    const written = await streamOnto(device, source, target.size, context).catch((error: unknown) => {
      throw context.signal.aborted ? cancelledWrite(command.device) : driveFailure(error, command.device);
    });
    const verified = command.verify ? await verifyDevice(device, written, context) : false;
    return { device: target.device, sha256: written.sha256, bytes: written.bytes, verified };
  } finally {
    await source.close();
    await device?.close();
    // Let the kernel see the new partition table (BLKRRPART); a desktop then shows the card's partitions.
    if (device !== undefined) await runProgram(['blockdev', '--rereadpt', target.device]).catch(() => undefined);
  }
}

interface Written {
  sha256: string;
  bytes: number;
}

async function streamOnto(device: BlockDevice, source: ImageSource, capacity: number, context: WriteContext): Promise<Written> {
  const hash = createHash('sha256');
  const meter = new ProgressMeter(() => performance.now());
  const buffers = alignedChunkBuffers();
  let current = 0;
  let filled = 0;
  let position = 0;
  let pending: Promise<void> = Promise.resolve();
  const flushChunk = async (length: number): Promise<void> => {
    if (position + length > capacity) throw Object.assign(new Error('The image runs past the end of the drive.'), { code: 'ENOSPC' });
    await pending;
    pending = device.write(buffers[current]!, length, position);
    // A failed write is awaited on the next chunk or at the end; until then it must not count as unhandled.
    pending.catch(() => undefined);
    position += length;
    current = 1 - current;
    filled = 0;
  };
  for await (const chunk of source.chunks) {
    if (context.signal.aborted) throw new Error('cancelled');
    hash.update(chunk);
    for (let offset = 0; offset < chunk.length;) {
      const taken = chunk.copy(buffers[current]!, filled, offset, Math.min(chunk.length, offset + chunkBytes - filled));
      filled += taken;
      offset += taken;
      if (filled === chunkBytes) await flushChunk(chunkBytes);
    }
    const reading = meter.update(position + filled, source.size);
    if (reading !== null) context.progress({ phase: 'writing', ...reading });
  }
  if (filled > 0) await flushChunk(filled);
  await pending;
  await device.flush();
  context.progress({ phase: 'writing', ...meter.read(position, source.size) });
  return { sha256: hash.digest('hex'), bytes: position };
}

/** Reads the written bytes back from the card (not from a cache) and compares their SHA-256. */
async function verifyDevice(device: BlockDevice, written: Written, context: WriteContext): Promise<boolean> {
  await device.dropCache();
  const hash = createHash('sha256');
  const meter = new ProgressMeter(() => performance.now());
  const buffers = alignedChunkBuffers();
  const readChunk = (index: number, position: number): Promise<number> => {
    const length = Math.min(chunkBytes, written.bytes - position);
    const whole = Math.ceil(length / device.sectorBytes) * device.sectorBytes;
    return device.read(buffers[index]!, whole, position).then(() => length);
  };
  try {
    // Double-buffered: the next chunk is read while this one is hashed.
    let next = written.bytes > 0 ? readChunk(0, 0) : null;
    for (let position = 0, index = 0; next !== null; index = 1 - index) {
      if (context.signal.aborted) throw new Error('cancelled');
      const length = await next;
      const following = position + length;
      next = following < written.bytes ? readChunk(1 - index, following) : null;
      next?.catch(() => undefined);
      hash.update(buffers[index]!.subarray(0, length));
      position = following;
      const reading = meter.update(position, written.bytes);
      if (reading !== null) context.progress({ phase: 'verifying', ...reading });
    }
  } catch (error) {
    throw context.signal.aborted ? cancelledWrite(device.path) : driveFailure(error, device.path);
  }
  const readBack = hash.digest('hex');
  context.progress({ phase: 'verifying', ...meter.read(written.bytes, written.bytes) });
  if (readBack !== written.sha256) throw corruptedWrite(device.path, written.sha256, readBack);
  context.log(`Verified: the card reads back the image's SHA-256 ${readBack}`);
  return true;
}
