/**
 * `flash.sd.*`: an SD image onto a removable drive, balenaEtcher's flow
 * (reference §3.1–§3.2) with Raspberry Pi Imager's customisation after the
 * write (§3.3): check the drive in a fresh list, download a URL into the
 * cache, then the privileged writer writes, verifies and, when asked,
 * configures first boot. Every step updates the job (FlashJobs), whose
 * target is the drive, so two writes can never share one.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Drive, FlashJob, SdFlashRequest } from '../../shared/flash/contract.ts';
import { formatDriveSize } from '../../shared/flash/drives.ts';
import type { DriveListOptions } from '../../shared/flash/drives.ts';
import { imageFormatOf, imageHeaderBytes, imageNameRefusal, orinNanoFirmwareWarning } from '../../shared/flash/image-format.ts';
import type { ImageFormat } from '../../shared/flash/contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { WriterProgress } from '../../shared/writer-protocol.ts';
import { LocalLink, isRoot } from '../host/local-link.ts';
import { listDrives } from './drive-list.ts';
import type { FlashJobs, RunningJob } from './flash-jobs.ts';
import { downloadImage, imageNameOfUrl } from './image-download.ts';
import { startWriter } from './writer-client.ts';
import type { Elevate, WriterClient } from './writer-client.ts';

export interface SdFlashOptions {
  jobs: FlashJobs;
  /** Resources.writerEntry. */
  writerEntry: string;
  /** Where downloaded images are kept. */
  cacheDir: string;
  listDrives?: (options: DriveListOptions) => Promise<Drive[]>;
  /** src/main/shell/elevate.ts's elevatedArgv; without it the writer starts only when the app is root. */
  elevate?: Elevate;
  /** Under Electron: { ELECTRON_RUN_AS_NODE: '1' }. */
  writerEnv?: Readonly<Record<string, string>>;
  writerExecPath?: string;
}

const plainWhenRoot: Elevate = (argv) => {
  if (!isRoot())
    throw new WorkbenchFailure(
      'forbidden',
      'Writing SD cards needs administrator rights, and this shell cannot ask for them: run the workbench with sudo.',
    );
  return [...argv];
};

export class SdFlashService {
  readonly #options: SdFlashOptions;
  readonly #listDrives: (options: DriveListOptions) => Promise<Drive[]>;
  readonly #running = new Map<string, Promise<FlashJob>>();

  constructor(options: SdFlashOptions) {
    this.#options = options;
    const link = new LocalLink();
    this.#listDrives = options.listDrives ?? ((listOptions) => listDrives(link, listOptions));
  }

  drives(includeVirtual: boolean): Promise<Drive[]> {
    return this.#listDrives({ includeVirtual });
  }

  /** Checks the request against a fresh drive list, then writes in the background; the job reports the rest. */
  async start(request: SdFlashRequest): Promise<{ flashId: string }> {
    const isUrl = /^https?:\/\//.test(request.image);
    const name = isUrl ? imageNameOfUrl(request.image) : basename(request.image);
    const refusal = imageNameRefusal(name);
    if (refusal !== null) throw new WorkbenchFailure('unsupported', refusal);
    const warning = orinNanoFirmwareWarning(name);
    if (warning !== null && !request.firmwareAcknowledged) throw new WorkbenchFailure('invalid-request', warning, 'firmwareAcknowledged');
    const format = isUrl ? null : await localImageFormat(request.image, name);
    const drive = await this.#checkedDrive(request, isUrl ? [] : [request.image]);
    const job = this.#options.jobs.start('sd', `${name} → ${drive.device} (${drive.description})`, drive.device);
    if (warning !== null) job.log(`Orin Nano firmware warning acknowledged: ${warning}`);
    this.#running.set(job.flashId, this.#run(job, request, format));
    return { flashId: job.flashId };
  }

  cancel(flashId: string): boolean {
    return this.#options.jobs.cancel(flashId);
  }

  /** Resolves with the job once it has ended (the CLI and tests wait on it). */
  async finished(flashId: string): Promise<FlashJob> {
    return (await this.#running.get(flashId)) ?? this.#options.jobs.get(flashId);
  }

  async #checkedDrive(request: SdFlashRequest, sourcePaths: string[]): Promise<Drive> {
    const drives = await this.#listDrives({ includeVirtual: request.includeVirtual, sourcePaths });
    const drive = drives.find((candidate) => candidate.device === request.device);
    if (drive === undefined)
      throw new WorkbenchFailure('not-found', `${request.device} is not in the drive list any more: was it unplugged? Refresh the list.`);
    if (drive.blockers.length > 0) {
      throw new WorkbenchFailure(
        'forbidden',
        `${drive.device} (${drive.description}) cannot be written: ${drive.blockers.map(describeBlocker).join('; ')}.`,
        drive.blockers.join(','),
      );
    }
    if (drive.size !== request.expectedSize) {
      throw new WorkbenchFailure(
        'conflict',
        `${drive.device} is now ${formatDriveSize(drive.size)}, not the drive you chose: refresh the list and choose again.`,
      );
    }
    if (drive.large && !request.confirmLarge) {
      throw new WorkbenchFailure(
        'invalid-request',
        `${drive.device} is an unusually large drive (${formatDriveSize(drive.size)}): confirm that you mean to erase it.`,
        'confirmLarge',
      );
    }
    return drive;
  }

  async #run(job: RunningJob, request: SdFlashRequest, knownFormat: ImageFormat | null): Promise<FlashJob> {
    let writer: WriterClient | undefined;
    try {
      const image = knownFormat === null ? await this.#download(job, request.image) : request.image;
      const format = knownFormat ?? (await localImageFormat(image, imageNameOfUrl(request.image)));
      writer = await this.#startWriter(job);
      const onProgress = (progress: WriterProgress): void => job.update(progressUpdate(progress));
      const log = (line: string): void => job.log(line);
      const result = await writer.write(
        {
          image,
          format,
          device: request.device,
          expectedSize: request.expectedSize,
          verify: request.verify,
          ...(request.sha256 === undefined ? {} : { sha256: request.sha256 }),
        },
        onProgress,
        job.signal,
        log,
      );
      job.update({ sha256: result.sha256 });
      job.log(`SHA-256 of the image written: ${result.sha256}`);
      if (request.sha256 !== undefined && request.sha256 !== result.sha256) throw wrongImage(request.sha256, result.sha256);
      if (request.firstBoot !== undefined) {
        throwIfCancelled(job);
        job.update({ phase: 'configuring', stage: 'Setting up first boot', bytes: null, totalBytes: null });
        await writer.configure(request.device, request.firstBoot, log, onProgress);
      }
      const checked = result.verified ? ' and verified' : '';
      const configured = request.firstBoot === undefined ? '' : ', first boot set up';
      job.finish('done', {
        ok: true,
        summary: `Written${checked}: ${formatDriveSize(result.bytes)} to ${request.device}${configured}.`,
        cause: null,
        advice: null,
      });
    } catch (error) {
      finishFailed(job, error);
    } finally {
      await writer?.close();
    }
    return job.job;
  }

  async #startWriter(job: RunningJob): Promise<WriterClient> {
    job.update({ phase: 'preparing', stage: 'Starting the writer (your password may be asked)' });
    const writer = await startWriter({
      entry: this.#options.writerEntry,
      elevate: this.#options.elevate ?? plainWhenRoot,
      ...(this.#options.writerEnv === undefined ? {} : { env: this.#options.writerEnv }),
      ...(this.#options.writerExecPath === undefined ? {} : { execPath: this.#options.writerExecPath }),
    });
    if (job.signal.aborted) {
      await writer.close();
      throw new WorkbenchFailure('cancelled', 'The write was cancelled.');
    }
    return writer;
  }

  async #download(job: RunningJob, url: string): Promise<string> {
    job.update({ phase: 'downloading', stage: `Downloading ${imageNameOfUrl(url)}` });
    const path = await downloadImage(
      url,
      this.#options.cacheDir,
      (reading) => job.update({ bytes: reading.bytes, totalBytes: reading.totalBytes, speed: reading.speed, etaSeconds: reading.eta }),
      job.signal,
    );
    job.log(`Downloaded ${url} to ${path}`);
    return path;
  }
}

/** The first bytes say what the image is; a name that promises otherwise is refused (image-format.ts). */
async function localImageFormat(path: string, name: string): Promise<ImageFormat> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new WorkbenchFailure(error.code === 'ENOENT' ? 'not-found' : 'forbidden', `The image ${path} cannot be opened.`, error.message);
  });
  try {
    const header = Buffer.alloc(imageHeaderBytes);
    const { bytesRead } = await file.read(header, 0, imageHeaderBytes, 0);
    return imageFormatOf(name, header.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

function progressUpdate(progress: WriterProgress): Parameters<RunningJob['update']>[0] {
  const stage =
    progress.phase === 'writing'
      ? 'Writing the image'
      : progress.phase === 'verifying'
        ? 'Reading it back to verify'
        : 'Setting up first boot';
  return {
    phase: progress.phase,
    stage,
    bytes: progress.bytes,
    totalBytes: progress.totalBytes,
    speed: progress.speed,
    etaSeconds: progress.eta,
  };
}

function describeBlocker(blocker: Drive['blockers'][number]): string {
  switch (blocker) {
    case 'system':
      return "it is one of this computer's own disks";
    case 'holds-system-path':
      return "it holds part of this computer's system";
    case 'read-only':
      return 'it is write-protected (slide the lock switch away from "Lock")';
    case 'too-small':
      return 'it is smaller than the image';
    case 'source-drive':
      return 'it holds the image file itself';
  }
}

function wrongImage(expected: string, actual: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'corrupted',
    'The image written is not the one expected: its SHA-256 differs from the one you gave. The file is damaged or another image; download it again, and write the card again before using it.',
    `expected ${expected}, written ${actual}`,
  );
}

function throwIfCancelled(job: RunningJob): void {
  if (job.signal.aborted) throw new WorkbenchFailure('cancelled', 'The write was cancelled.');
}

/** What the Flash view's outcome shows first, by error code; the failure's own sentence is the cause. */
const failureHeadlines: Partial<Record<WorkbenchFailure['code'], string>> = {
  corrupted: 'The image or the card is damaged.',
  unavailable: 'The drive or the writer went away during the write.',
  forbidden: 'The workbench refused to write this drive.',
  conflict: 'The drive is in use or changed since you chose it.',
  'disk-full': 'The image does not fit on this drive.',
  'auth-failed': 'The writer did not get administrator rights.',
  timeout: 'The writer did not get administrator rights.',
  unsupported: 'This image or computer is not supported yet.',
  'not-found': 'Something needed for the write is not there.',
};

function finishFailed(job: RunningJob, error: unknown): void {
  const failure = error instanceof WorkbenchFailure ? error : new WorkbenchFailure('internal', 'The write failed.', String(error));
  if (failure.code === 'cancelled' || job.signal.aborted) {
    job.finish('cancelled', {
      ok: false,
      summary: 'The write was cancelled.',
      cause: null,
      advice: 'The card holds part of an image now: write it again before using it.',
    });
    return;
  }
  job.log(`Failed (${failure.code}): ${failure.message}${failure.detail === undefined ? '' : ` [${failure.detail}]`}`);
  job.finish('failed', { ok: false, summary: failureHeadlines[failure.code] ?? 'The write failed.', cause: failure.message, advice: null });
}
