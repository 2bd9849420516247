/**
 * The drive, opened the way etcher-sdk opens it (reference §3.1): O_EXCL, so
 * the kernel refuses while any partition is mounted or another program holds
 * it exclusively, and O_DIRECT, so bytes go to the card rather than into the
 * page cache and the read-back reads the card, not our own cache. O_DIRECT
 * needs memory aligned to the sector size; Node cannot align a Buffer, but a
 * WebAssembly memory is page-aligned by construction, so the transfer buffers
 * live in one. Where O_DIRECT is refused, plain writes plus an fsync do the
 * same job, and the read-back first drops the device's cache (blockdev
 * --flushbufs).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { WorkbenchFailure } from '../shared/errors.ts';
import { runProgram } from './run-program.ts';

/** etcher-sdk writes 1 MiB chunks (CHUNK_SIZE); 4 MiB halves the system calls and suits SD cards' erase blocks. */
export const chunkBytes = 4 * 1024 * 1024;
const wasmPageBytes = 64 * 1024;

/** The one part of the WebAssembly API used here (its types come with the DOM library, which the writer does not load). */
interface WasmMemoryApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

/** Two page-aligned chunk buffers: one is filled while the other is written. */
export function alignedChunkBuffers(): [Buffer, Buffer] {
  const { Memory } = (globalThis as unknown as { WebAssembly: WasmMemoryApi }).WebAssembly;
  const pages = (2 * chunkBytes) / wasmPageBytes;
  const memory = new Memory({ initial: pages, maximum: pages });
  const all = Buffer.from(memory.buffer);
  return [all.subarray(0, chunkBytes), all.subarray(chunkBytes)];
}

export class BlockDevice {
  readonly path: string;
  readonly direct: boolean;
  /** The logical sector size: O_DIRECT transfers are whole sectors at sector offsets. */
  readonly sectorBytes: number;
  readonly #handle: FileHandle;

  private constructor(path: string, handle: FileHandle, direct: boolean, sectorBytes: number) {
    this.path = path;
    this.#handle = handle;
    this.direct = direct;
    this.sectorBytes = sectorBytes;
  }

  /** Opens the drive exclusively; `expectedRdev` (from the check) must still be what the path names. */
  static async open(path: string, expectedRdev: number, sectorBytes: number): Promise<BlockDevice> {
    const flags = constants.O_RDWR | constants.O_EXCL;
    let direct = true;
    let handle: FileHandle;
    try {
      handle = await open(path, flags | constants.O_DIRECT);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      direct = false;
      handle = await open(path, flags);
    }
    const stat = await handle.stat();
    if (!stat.isBlockDevice() || stat.rdev !== expectedRdev) {
      await handle.close();
      // The node was swapped between the check and the open: write nothing.
      throw new WorkbenchFailure('conflict', `${path} changed while it was being opened: refresh the drive list and try again.`);
    }
    return new BlockDevice(path, handle, direct, Math.max(512, sectorBytes));
  }

  /**
   * Writes `length` bytes of `buffer` at `position` (a sector multiple). A
   * tail that is not whole sectors (an image of odd size) is completed with
   * what the drive already holds there, so no byte past the image changes.
   */
  async write(buffer: Buffer, length: number, position: number): Promise<void> {
    const whole = length - (length % this.sectorBytes);
    if (whole > 0) await this.#writeFully(buffer, whole, position);
    if (whole === length) return;
    const tailLength = length - whole;
    const sector = buffer.subarray(whole, whole + this.sectorBytes);
    const kept = Buffer.from(buffer.subarray(whole, length));
    await this.#readFully(sector, this.sectorBytes, position + whole);
    kept.copy(sector, 0, 0, tailLength);
    await this.#writeFully(sector, this.sectorBytes, position + whole);
  }

  /** Reads `length` bytes (sector multiple) at `position` into `buffer`. */
  async read(buffer: Buffer, length: number, position: number): Promise<void> {
    await this.#readFully(buffer, length, position);
  }

  /** Everything written reaches the card (and its own cache is flushed). */
  async flush(): Promise<void> {
    await this.#handle.sync();
  }

  /** Without O_DIRECT, the read-back would read our own page cache: drop it first. */
  async dropCache(): Promise<void> {
    if (!this.direct) await runProgram(['blockdev', '--flushbufs', this.path]);
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
  }

  async #writeFully(buffer: Buffer, length: number, position: number): Promise<void> {
    for (let done = 0; done < length;) {
      const { bytesWritten } = await this.#handle.write(buffer, done, length - done, position + done);
      if (bytesWritten <= 0) throw Object.assign(new Error('The drive took no more bytes.'), { code: 'ENOSPC' });
      done += bytesWritten;
    }
  }

  async #readFully(buffer: Buffer, length: number, position: number): Promise<void> {
    for (let done = 0; done < length;) {
      const { bytesRead } = await this.#handle.read(buffer, done, length - done, position + done);
      if (bytesRead <= 0) throw Object.assign(new Error('The drive ended before the image did.'), { code: 'ENOSPC' });
      done += bytesRead;
    }
  }
}
