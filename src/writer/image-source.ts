/**
 * The image as a stream of its decompressed bytes, never unpacked to disk
 * (etcher-sdk's streamed sources, reference §3.1: Jetson images are far over
 * its 5 GiB decompress-first limit). Raw: the file. xz: `xz -dc -T0` reading
 * the file on its stdin, run with the student's rights. zip: the first .img
 * entry (zip-entry.ts). The file itself is opened with the student's rights
 * (invoking-user.ts).
 */
import { spawn } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import type { ImageFormat } from '../shared/flash/contract.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import type { InvokingUser } from './invoking-user.ts';
import { openAsUser } from './invoking-user.ts';
import { runProgram, systemPath } from './run-program.ts';
import { findZipImage, zipImageChunks } from './zip-entry.ts';

export interface ImageSource {
  /** The decompressed image; throws at its end when the source was damaged (xz's status, the zip entry's CRC). */
  readonly chunks: AsyncIterable<Buffer>;
  /** The decompressed size when the container says it (the file, xz's index, the zip directory); null otherwise. */
  readonly size: number | null;
  /** Stops reading and frees the file (cancel, failure, the end); safe to call twice. */
  close(): Promise<void>;
}

const stderrLimit = 64 * 1024;

export async function openImage(path: string, format: ImageFormat, user: InvokingUser | null): Promise<ImageSource> {
  const file = await openAsUser(path, user);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new WorkbenchFailure('invalid-request', `${path} is not a regular file: choose an image file.`);
    if (format === 'img') return rawSource(file, stat.size);
    if (format === 'zip') {
      const entry = await findZipImage(file, stat.size);
      return { chunks: zipImageChunks(file, entry), size: entry.size, close: () => file.close().catch(() => undefined) };
    }
    return await xzSource(file, user);
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  }
}

function rawSource(file: FileHandle, size: number): ImageSource {
  const stream = file.createReadStream({ autoClose: false, highWaterMark: 4 * 1024 * 1024 });
  return {
    chunks: stream as AsyncIterable<Buffer>,
    size,
    close: async () => {
      stream.destroy();
      await file.close().catch(() => undefined);
    },
  };
}

async function xzSource(file: FileHandle, user: InvokingUser | null): Promise<ImageSource> {
  const size = await xzUncompressedSize(file, user);
  // -T0: xz 5.4 decompresses multi-block files (those `xz -T` makes) on every core.
  const child = spawn('xz', ['--decompress', '--stdout', '--threads=0'], {
    env: { PATH: systemPath, LC_ALL: 'C' },
    stdio: [file.fd, 'pipe', 'pipe'],
    ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < stderrLimit) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) =>
      reject(new WorkbenchFailure('unsupported', 'xz is not installed on this computer: install xz-utils.', error.message)),
    );
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    const code = await exited;
    if (code !== 0) {
      throw new WorkbenchFailure(
        'corrupted',
        'The .xz file is damaged or cut short: download it again.',
        `xz exited ${code}: ${stderr.trim()}`,
      );
    }
  }
  return {
    chunks: chunks(),
    size,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited.catch(() => undefined);
      await file.close().catch(() => undefined);
    },
  };
}

/** `xz --robot --list` reads the index at the file's end: the uncompressed size before a byte is written. */
async function xzUncompressedSize(file: FileHandle, user: InvokingUser | null): Promise<number | null> {
  const result = await runProgram(['xz', '--robot', '--list', '/dev/stdin'], { stdinFd: file.fd, ...(user === null ? {} : { user }) });
  if (result.code !== 0) {
    throw new WorkbenchFailure(
      'corrupted',
      'The .xz file is damaged or cut short (its index cannot be read): download it again.',
      result.stderr.trim(),
    );
  }
  const totals = result.stdout.split('\n').find((line) => line.startsWith('totals\t'));
  const size = Number(totals?.split('\t')[4]);
  return Number.isSafeInteger(size) && size >= 0 ? size : null;
}
