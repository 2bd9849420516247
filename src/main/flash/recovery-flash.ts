/**
 * Recovery-mode flashing with NVIDIA's scripts, as SDK Manager's flash step
 * does it, but telling the student what happened: it refuses before anything
 * runs when the computer is not ready (host checks with their fixes) or the
 * board is not in recovery on USB, then runs flash.sh or
 * l4t_initrd_flash.sh from the student's Linux_for_Tegra folder
 * (flashing-and-installing.md §2.1–§2.3) and waits for the board to come back
 * (§2.6 k). The steps of a run: recovery-run.ts.
 */
import type { Devkit, FlashJob, HostCheck, RecoveryFlashRequest } from '../../shared/flash/contract.ts';
import { devkits, findDevkit, flashArgv, targetFor } from '../../shared/flash/devkits.ts';
import type { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { l4tGadgetProductId } from '../../shared/usb-ids.ts';
import { isRoot, LocalLink } from '../host/local-link.ts';
import type { FlashJobs } from './flash-jobs.ts';
import { checkHost } from './host-checks.ts';
import { chooseBoard } from './recovery-board.ts';
import { layoutPartitionTotal, readL4tRelease } from './recovery-layout.ts';
import { runRecoveryFlash, type RecoveryTiming } from './recovery-run.ts';
import { readNvidiaUsbDevices } from './recovery-usb.ts';

export interface RecoveryFlashOptions {
  jobs: FlashJobs;
  /** Default `/sys/bus/usb/devices`; tests and demo mode give the simulator's fake tree. */
  usbDevicesFolder?: string;
  /** The link commands run through, in a folder (the Linux_for_Tegra folder for the scripts). */
  linkFor?: (cwd: string) => LocalLink;
  /** The privileged rootfs writer: SSH key, Wi-Fi, locale and time zone, which NVIDIA's user script does not set (§4.2). */
  configureRootfs?: (rootDir: string, firstBoot: FirstBootConfig) => Promise<void>;
  timing?: Partial<RecoveryTiming>;
}

export type RecoveryCheckRequest = Pick<RecoveryFlashRequest, 'l4tDir' | 'devkit' | 'storage'>;

const defaultTiming: RecoveryTiming = {
  boardWaitMs: 10 * 60_000,
  pollMs: 1000,
  scriptTimeoutMs: 2 * 60 * 60_000,
  userScriptTimeoutMs: 10 * 60_000,
};

export class RecoveryFlashService {
  readonly #jobs: FlashJobs;
  readonly #usbDevicesFolder: string;
  readonly #linkFor: (cwd: string) => LocalLink;
  readonly #configureRootfs: RecoveryFlashOptions['configureRootfs'];
  readonly #timing: RecoveryTiming;
  readonly #runs = new Map<string, Promise<FlashJob>>();

  constructor(options: RecoveryFlashOptions) {
    this.#jobs = options.jobs;
    this.#usbDevicesFolder = options.usbDevicesFolder ?? '/sys/bus/usb/devices';
    this.#linkFor = options.linkFor ?? ((cwd) => new LocalLink({ cwd }));
    this.#configureRootfs = options.configureRootfs;
    this.#timing = { ...defaultTiming, ...options.timing };
  }

  devkits(): Devkit[] {
    return devkits.map((devkit) => structuredClone(devkit));
  }

  async check(request: RecoveryCheckRequest): Promise<HostCheck[]> {
    const devkit = this.#devkit(request.devkit);
    // The probes use absolute paths; the folder may not exist yet, so they do not run inside it.
    return checkHost({ l4tDir: request.l4tDir, devkit, storage: request.storage }, this.#linkFor('/'));
  }

  /** Checks, finds the board, starts the flash job and returns at once; the job's events tell the rest. */
  async start(request: RecoveryFlashRequest): Promise<{ flashId: string }> {
    const devkit = this.#devkit(request.devkit);
    const target = targetFor(devkit, request.storage);
    if (target === undefined)
      throw new WorkbenchFailure('invalid-request', `${devkit.name} cannot be flashed to ${request.storage} with NVIDIA's scripts.`);
    if (!isRoot() && request.sudoPassword === undefined) {
      throw new WorkbenchFailure(
        'auth-failed',
        "NVIDIA's flash scripts run as root: type this computer's password (the one sudo asks for).",
      );
    }
    const checks = await checkHost({ ...request, devkit, firstBoot: request.firstBoot !== undefined }, this.#linkFor('/'));
    refuseWhenMissing(checks);
    const devices = await readNvidiaUsbDevices(this.#usbDevicesFolder);
    const board = chooseBoard(devkit, devices, request.usbInstance);
    const release = await readL4tRelease(request.l4tDir);
    const argv = buildArgv(devkit, request.storage, board.passUsbInstance ? board.port : undefined, release?.major);
    const partitionsTotal = await layoutPartitionTotal(request.l4tDir, target, release?.major);
    const job = this.#jobs.start(
      'recovery',
      `${devkit.name}: ${target.boardConfig} → ${request.storage} (USB ${board.port})`,
      `usb:${board.port}`,
    );
    const run = runRecoveryFlash({
      job,
      link: this.#linkFor(request.l4tDir),
      l4tDir: request.l4tDir,
      devkit,
      script: target.script,
      argv,
      board,
      partitionsTotal,
      firstBoot: request.firstBoot,
      sudoPassword: request.sudoPassword,
      configureRootfs: this.#configureRootfs,
      usbDevicesFolder: this.#usbDevicesFolder,
      gadgetPortsBefore: new Set(devices.filter((device) => device.productId === l4tGadgetProductId).map((device) => device.port)),
      timing: this.#timing,
    }).then(() => job.job);
    this.#runs.set(job.flashId, run);
    return { flashId: job.flashId };
  }

  /** The job once it has ended (done, failed or cancelled), for the CLI and tests. */
  whenDone(flashId: string): Promise<FlashJob> {
    const run = this.#runs.get(flashId);
    if (run === undefined) return Promise.reject(new WorkbenchFailure('not-found', 'No recovery flash with this id.', flashId));
    return run;
  }

  #devkit(id: string): Devkit {
    const devkit = findDevkit(id);
    if (devkit === undefined)
      throw new WorkbenchFailure('not-found', `No devkit called ${id}.`, `Known: ${devkits.map((entry) => entry.id).join(', ')}`);
    return devkit;
  }
}

function refuseWhenMissing(checks: readonly HostCheck[]): void {
  const missing = checks.filter((entry) => entry.state === 'missing');
  if (missing.length === 0) return;
  const fixes = missing.map((entry) => `${entry.title}: ${entry.fix ?? entry.detail}`).join('; ');
  throw new WorkbenchFailure(
    'unavailable',
    `This computer is not ready to flash yet. ${fixes}.`,
    missing.map((entry) => `${entry.title}: ${entry.detail}`).join('\n'),
  );
}

function buildArgv(
  devkit: Devkit,
  storage: RecoveryFlashRequest['storage'],
  usbInstance: string | undefined,
  l4tMajor: number | undefined,
): string[] {
  try {
    return flashArgv(devkit, storage, {
      ...(usbInstance === undefined ? {} : { usbInstance }),
      ...(l4tMajor === undefined ? {} : { l4tMajor }),
    });
  } catch (error) {
    throw new WorkbenchFailure('invalid-request', error instanceof Error ? error.message : String(error));
  }
}
