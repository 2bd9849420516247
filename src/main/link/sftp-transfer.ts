import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client, SFTPWrapper } from 'ssh2';
import type { AbortSignalLike, ExecResult, TransferOptions, TransferResult } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { Endpoint } from './ssh-errors.ts';

/**
 * File copies over SFTP, each verified on the board with `sha256sum` (the
 * agent and benchmark models must arrive bit-exact; etcher-sdk's lesson:
 * hash while streaming, then verify). Remote paths are used as given:
 * relative ones are relative to the login's home folder for SFTP and exec
 * alike; `~` is not expanded.
 */

/** Runs `argv` on the same board (the link's exec), for the remote checksum. */
export type RemoteExec = (argv: readonly string[]) => Promise<ExecResult>;

const chunkBytes = 256 * 1024;

export async function uploadFile(
  client: Client,
  endpoint: Endpoint,
  exec: RemoteExec,
  localPath: string,
  remotePath: string,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const totalBytes = (await stat(localPath)).size;
  const sftp = await openSftp(client, endpoint);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const handle = await sftpCall<Buffer>((done) => sftp.open(remotePath, 'w', 0o644, done)).catch((error: unknown) => {
      throw remoteFileFailure(endpoint, remotePath, 'create', error);
    });
    try {
      for await (const chunk of createReadStream(localPath, {
        highWaterMark: chunkBytes,
        signal: abortSignalOf(options.signal),
      }) as AsyncIterable<Buffer>) {
        const position = bytes;
        await sftpCall<void>((done) => sftp.write(handle, chunk, 0, chunk.length, position, done)).catch(async (error: unknown) => {
          throw await writeFailure(exec, endpoint, remotePath, totalBytes - position, error);
        });
        hash.update(chunk);
        bytes += chunk.length;
        options.onProgress?.({ bytes, totalBytes });
      }
    } finally {
      await sftpCall<void>((done) => sftp.close(handle, done)).catch(() => undefined);
    }
  } catch (error) {
    throw cancelledOr(error, options);
  } finally {
    sftp.end();
  }
  const sha256 = hash.digest('hex');
  await verifyOnBoard(exec, endpoint, remotePath, sha256, 'upload');
  return { sha256, bytes };
}

export async function downloadFile(
  client: Client,
  endpoint: Endpoint,
  exec: RemoteExec,
  remotePath: string,
  localPath: string,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const sftp = await openSftp(client, endpoint);
  const hash = createHash('sha256');
  let bytes = 0;
  // Write beside the target and rename at the end: a failed copy never leaves a half file under the real name.
  const partial = `${localPath}.part`;
  try {
    const attributes = await sftpCall<{ size: number }>((done) => sftp.stat(remotePath, done)).catch((error: unknown) => {
      throw remoteFileFailure(endpoint, remotePath, 'read', error);
    });
    const totalBytes = attributes.size;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        options.onProgress?.({ bytes, totalBytes });
        callback(null, chunk);
      },
    });
    const signal = abortSignalOf(options.signal);
    const pipelineOptions = signal === undefined ? {} : { signal };
    await pipeline(sftp.createReadStream(remotePath), counter, createWriteStream(partial), pipelineOptions);
    await rename(partial, localPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw cancelledOr(error, options);
  } finally {
    sftp.end();
  }
  const sha256 = hash.digest('hex');
  await verifyOnBoard(exec, endpoint, remotePath, sha256, 'download');
  return { sha256, bytes };
}

/** `sha256sum -- path` on the board must match what went over the wire. */
async function verifyOnBoard(
  exec: RemoteExec,
  endpoint: Endpoint,
  remotePath: string,
  sha256: string,
  direction: 'upload' | 'download',
): Promise<void> {
  const result = await exec(['sha256sum', '--', remotePath]);
  const remote = /^\\?([0-9a-f]{64})\s/.exec(result.stdout)?.[1];
  if (result.code !== 0 || remote === undefined) {
    throw new WorkbenchFailure(
      'unsupported',
      `The board at ${endpoint.host}:${endpoint.port} could not check the file (sha256sum failed).`,
      result.stderr.trim(),
    );
  }
  if (remote !== sha256) {
    const what = direction === 'upload' ? 'arrived on the board damaged' : 'arrived on this computer damaged';
    throw new WorkbenchFailure(
      'corrupted',
      `The file ${remotePath} ${what} (its checksum does not match). Try again; if it keeps happening, check the board's storage.`,
      `${endpoint.host}:${endpoint.port} ${remotePath}: sent sha256 ${sha256}, board has ${remote}`,
    );
  }
}

function openSftp(client: Client, endpoint: Endpoint): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error)
        reject(
          new WorkbenchFailure(
            'unsupported',
            `The board at ${endpoint.host}:${endpoint.port} does not offer file transfer (SFTP).`,
            error.message,
          ),
        );
      else resolve(sftp);
    });
  });
}

function sftpCall<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value)));
  });
}

function remoteFileFailure(endpoint: Endpoint, remotePath: string, verb: 'create' | 'read', error: unknown): WorkbenchFailure {
  const message = error instanceof Error ? error.message : String(error);
  return new WorkbenchFailure('not-found', `The board at ${endpoint.host}:${endpoint.port} could not ${verb} ${remotePath}.`, message);
}

/**
 * OpenSSH's sftp-server reports a full disk as a bare "Failure" (protocol 3
 * has no ENOSPC), so ask the board how much room is left before blaming the link.
 */
async function writeFailure(
  exec: RemoteExec,
  endpoint: Endpoint,
  remotePath: string,
  remainingBytes: number,
  error: unknown,
): Promise<WorkbenchFailure> {
  const message = error instanceof Error ? error.message : String(error);
  const folder = remotePath.includes('/') ? remotePath.slice(0, remotePath.lastIndexOf('/')) || '/' : '.';
  const free = await freeBytes(exec, folder).catch(() => undefined);
  if (/no space/i.test(message) || (free !== undefined && free < remainingBytes)) {
    return new WorkbenchFailure(
      'disk-full',
      `The board's storage is full: ${remotePath} did not fit. Free some space on the board and try again.`,
      `${endpoint.host}:${endpoint.port}: ${message}; free ${free ?? '?'} bytes, needed ${remainingBytes}`,
    );
  }
  return new WorkbenchFailure('unavailable', `Writing ${remotePath} on the board at ${endpoint.host}:${endpoint.port} failed.`, message);
}

/** Free bytes from POSIX `df -Pk` (column 4 of the second line, in KiB). */
async function freeBytes(exec: RemoteExec, folder: string): Promise<number | undefined> {
  const result = await exec(['df', '-Pk', '--', folder]);
  const available = result.stdout.trim().split('\n')[1]?.trim().split(/\s+/)[3];
  return available === undefined || !/^\d+$/.test(available) ? undefined : Number(available) * 1024;
}

function cancelledOr(error: unknown, options: TransferOptions): unknown {
  if (options.signal?.aborted) return new WorkbenchFailure('cancelled', 'The file transfer was cancelled.');
  return error;
}

/** Node's streams want a real AbortSignal; the shared interface only promises its shape. */
function abortSignalOf(signal: AbortSignalLike | undefined): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}
