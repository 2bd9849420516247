/**
 * An image URL, downloaded into the workbench's cache as it is (still
 * compressed: the writer decompresses while writing, nothing is unpacked to
 * disk), with progress. etcher-sdk can stream an Http source straight to the
 * drive (reference §3.1); a cached file instead survives a failed write and
 * serves the next student's card. At most 64 GiB, redirects followed (5 at
 * most, https never downgraded to http), and a stalled server times out.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ProgressMeter } from '../../shared/flash/progress-meter.ts';
import type { ProgressReading } from '../../shared/flash/progress-meter.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

export const maxDownloadBytes = 64 * 1024 ** 3;
const maxRedirects = 5;
const idleTimeoutMs = 60_000;

/** The file name an image URL stands for (`jp62-orin-nano-sd-card-image.zip`). */
export function imageNameOfUrl(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return name.replace(/[^A-Za-z0-9._+-]/g, '_') || 'image';
}

/** Downloads `url` into `cacheDir` (once: a complete earlier download is reused) and returns its path. */
export async function downloadImage(
  url: string,
  cacheDir: string,
  onProgress: (reading: ProgressReading) => void,
  signal: AbortSignal,
): Promise<string> {
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const key = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const path = join(cacheDir, `${key}-${imageNameOfUrl(url)}`);
  if (
    await stat(path).then(
      (file) => file.isFile() && file.size > 0,
      () => false,
    )
  )
    return path;
  const partial = `${path}.part`;
  try {
    const response = await follow(url, signal, 0);
    const length = Number(response.headers['content-length']);
    const totalBytes = Number.isSafeInteger(length) && length > 0 ? length : null;
    if (totalBytes !== null && totalBytes > maxDownloadBytes) {
      response.destroy();
      throw new WorkbenchFailure('invalid-request', `The image at ${url} is ${totalBytes} bytes, over the 64 GiB the workbench downloads.`);
    }
    await pipeline(response, counting(totalBytes, onProgress), createWriteStream(partial, { mode: 0o600 }), { signal });
    await rename(partial, path);
    return path;
  } catch (error) {
    await rm(partial, { force: true });
    if (signal.aborted) throw new WorkbenchFailure('cancelled', 'The download was cancelled.');
    if (error instanceof WorkbenchFailure) throw error;
    throw new WorkbenchFailure(
      'unavailable',
      `The image could not be downloaded from ${url}: check the address and the network.`,
      (error as Error).message,
    );
  }
}

/** Counts bytes for progress, and stops a body that runs past its length or the 64 GiB cap. */
function counting(totalBytes: number | null, onProgress: (reading: ProgressReading) => void): Transform {
  const meter = new ProgressMeter();
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > (totalBytes ?? maxDownloadBytes))
        return done(new WorkbenchFailure('corrupted', 'The server sent more than the image size it announced (or over 64 GiB).'));
      const reading = meter.update(bytes, totalBytes);
      if (reading !== null) onProgress(reading);
      done(null, chunk);
    },
    flush(done) {
      if (totalBytes !== null && bytes !== totalBytes)
        return done(new WorkbenchFailure('corrupted', `The download stopped at ${bytes} of ${totalBytes} bytes: try again.`));
      onProgress(meter.read(bytes, totalBytes));
      done();
    },
  });
}

function follow(url: string, signal: AbortSignal, redirects: number): Promise<IncomingMessage> {
  const parsed = new URL(url);
  const get = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : null;
  if (get === null) return Promise.reject(new WorkbenchFailure('invalid-request', `${url} is not an http(s) address.`));
  return new Promise((resolve, reject) => {
    const request = get(parsed, { signal, timeout: idleTimeoutMs, headers: { 'user-agent': 'jetson-workbench' } }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        const next = new URL(location, parsed);
        if (redirects >= maxRedirects)
          return reject(new WorkbenchFailure('unavailable', `${url} redirects more than ${maxRedirects} times.`));
        if (parsed.protocol === 'https:' && next.protocol !== 'https:')
          return reject(new WorkbenchFailure('forbidden', `${url} redirects from https to an insecure address.`));
        return resolve(follow(next.href, signal, redirects + 1));
      }
      if (status !== 200) {
        response.resume();
        return reject(new WorkbenchFailure('unavailable', `The server answered ${status} for ${basename(parsed.pathname) || url}.`));
      }
      resolve(response);
    });
    request.on('timeout', () => request.destroy(new Error(`no data for ${idleTimeoutMs / 1000} s`)));
    request.on('error', reject);
  });
}
