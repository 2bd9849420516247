/**
 * The flash part of the contract (src/shared/api.ts): the drives an SD image
 * can go to, writing an image (balenaEtcher's decompress → hash → write →
 * read back), recovery-mode flashing with NVIDIA's scripts (SDK Manager's
 * flash step), their host checks, jobs, logs and progress events. Services:
 * src/main/flash/.
 */
import { z } from 'zod';
import { isAbsoluteLocalPath } from '../install/contract.ts';
import { UserName } from '../boards/board-ref.ts';
import { SerialLoginSchema, SerialPath } from '../discovery-contract.ts';
import { FirstBootConfig } from './first-boot.ts';

const Id = z.string().min(1).max(80);

/** An absolute path on this computer (an image, a `Linux_for_Tegra` folder). */
export const LocalPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), { message: 'The path holds a NUL character.' })
  .refine(isAbsoluteLocalPath, { message: 'Give an absolute path (for example /home/me/jetson.img.xz).' });

/** An image to download: https (or http to this computer, for tests and a lab's local mirror). */
export const ImageUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/, 'Give an http(s):// address.');

/** Why a drive cannot be chosen (balenaEtcher's drive constraints, reference §3.2). */
export const driveBlockers = ['system', 'holds-system-path', 'read-only', 'too-small', 'source-drive'] as const;
export type DriveBlocker = (typeof driveBlockers)[number];

export const Drive = z.object({
  /** `/dev/sdb`, `/dev/mmcblk0`, `/dev/loop3`. */
  device: z.string(),
  description: z.string(),
  size: z.number().int().nonnegative(),
  removable: z.boolean(),
  /** A loop device or a virtual disk: listed only when asked for. */
  virtual: z.boolean(),
  readOnly: z.boolean(),
  /** Mount points of the drive and its partitions (unmounted before writing). */
  mountpoints: z.array(z.string()),
  busType: z.string().nullable(),
  blockers: z.array(z.enum(driveBlockers)),
  /** Larger than the large-drive threshold: writing needs an explicit confirmation. */
  large: z.boolean(),
});
export type Drive = z.infer<typeof Drive>;

/** balenaEtcher's LARGE_DRIVE_SIZE (reference §3.2). */
export const largeDriveBytes = 128e9;

export const imageFormats = ['img', 'xz', 'zip'] as const;
export type ImageFormat = (typeof imageFormats)[number];

export const flashKinds = ['sd', 'recovery'] as const;
export const flashPhases = [
  'preparing',
  'downloading',
  'writing',
  'verifying',
  'configuring',
  'flashing',
  'waiting-for-board',
  'done',
  'failed',
  'cancelled',
] as const;
export type FlashPhase = (typeof flashPhases)[number];

/** How a job ended: a cause and what to do for a failure (reference §2.7). */
export const FlashOutcome = z.object({
  ok: z.boolean(),
  summary: z.string(),
  cause: z.string().nullable(),
  advice: z.string().nullable(),
});
export type FlashOutcome = z.infer<typeof FlashOutcome>;

export const FlashJob = z.object({
  flashId: z.string(),
  kind: z.enum(flashKinds),
  /** What is flashed where: `jetson.img.xz → /dev/sdb (SanDisk 64 GB)`, `jetson-agx-orin-devkit (1-3)`. */
  label: z.string(),
  phase: z.enum(flashPhases),
  /** The script's stage (`Step 2: Generate rcm boot commandline`) or the writer's step, for people. */
  stage: z.string().nullable(),
  bytes: z.number().nonnegative().nullable(),
  totalBytes: z.number().nonnegative().nullable(),
  /** Bytes per second over the last seconds, and the time left; null when not known. */
  speed: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  partitionsDone: z.number().int().nonnegative().nullable(),
  partitionsTotal: z.number().int().nonnegative().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** SHA-256 of the written (decompressed) image, once known. */
  sha256: z.string().nullable(),
  outcome: FlashOutcome.nullable(),
  /** The full log on this computer. */
  logPath: z.string(),
});
export type FlashJob = z.infer<typeof FlashJob>;

/** Event `flash.onDidProgress`: a job's state, and its new log lines (batched). */
export const FlashProgressEvent = z.object({ job: FlashJob, lines: z.array(z.string()) });
export type FlashProgressEvent = z.infer<typeof FlashProgressEvent>;

export const hostCheckStates = ['ok', 'warning', 'missing'] as const;
export const HostCheck = z.object({
  id: z.string(),
  title: z.string(),
  state: z.enum(hostCheckStates),
  detail: z.string(),
  /** What to do when it is not ok (a command to run, a setting to change). */
  fix: z.string().nullable(),
});
export type HostCheck = z.infer<typeof HostCheck>;

export const storageKinds = ['emmc', 'sd', 'nvme', 'qspi'] as const;

export const RecoveryStep = z.object({ text: z.string(), detail: z.string().nullable() });
export const Devkit = z.object({
  id: z.string(),
  name: z.string(),
  /** How this devkit is flashed: an SD image, NVIDIA's scripts in recovery mode, or either. */
  methods: z.array(z.enum(flashKinds)),
  /** Force Recovery Mode, step by step (reference §2.4). */
  recoverySteps: z.array(RecoveryStep),
  /** The APX product ids it shows in recovery (reference §2.5). */
  recoveryProductIds: z.array(z.string()),
  /** Storage → board configuration for flash.sh / l4t_initrd_flash.sh (reference §2.3). */
  targets: z.array(
    z.object({
      storage: z.enum(storageKinds),
      boardConfig: z.string(),
      rootdev: z.string(),
      script: z.enum(['flash.sh', 'l4t_initrd_flash.sh']),
    }),
  ),
  source: z.string(),
});
export type Devkit = z.infer<typeof Devkit>;

export const SdFlashRequest = z
  .object({
    /** A local image file or a URL (downloaded to the cache, then written). */
    image: z.union([LocalPath, ImageUrl]),
    device: z.string().min(1).max(256),
    /** The size the drive list showed: the writer refuses a drive that changed since. */
    expectedSize: z.number().int().positive(),
    /** Needed for a drive over 128 GB. */
    confirmLarge: z.boolean().default(false),
    /** Lowercase hex SHA-256 the decompressed image must have (from the download page). */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    verify: z.boolean().default(true),
    firstBoot: FirstBootConfig.optional(),
    /** The student read the Orin Nano QSPI firmware warning (reference §2.8). */
    firmwareAcknowledged: z.boolean().default(false),
    /** Loop and virtual drives (tests, a lab's image preparation). */
    includeVirtual: z.boolean().default(false),
  })
  .strict();
export type SdFlashRequest = z.infer<typeof SdFlashRequest>;

export const RecoveryFlashRequest = z
  .object({
    l4tDir: LocalPath,
    devkit: z.string().min(1).max(80),
    storage: z.enum(storageKinds),
    /** The board's USB port (`1-3`, sysfs busnum-devpath), for `--usb-instance` when several are in recovery. */
    usbInstance: z
      .string()
      .regex(/^\d+-[\d.]+$/)
      .optional(),
    firstBoot: FirstBootConfig.optional(),
    /** This computer's sudo password when the workbench does not run as root; kept in memory only. */
    sudoPassword: z.string().max(256).optional(),
  })
  .strict();
export type RecoveryFlashRequest = z.infer<typeof RecoveryFlashRequest>;

/** Where oem-config is on a serial console (reference §4.1): a question to answer, or done (a login prompt). */
export const ConsoleQuestion = z.object({
  sessionId: z.string(),
  done: z.boolean(),
  title: z.string().nullable(),
  question: z.string().nullable(),
  /** A password question: the answer is typed, never shown or logged. */
  secret: z.boolean(),
});
export type ConsoleQuestion = z.infer<typeof ConsoleQuestion>;

export const flashMethods = {
  'flash.drives': { input: z.object({ includeVirtual: z.boolean().default(false) }).strict(), output: z.array(Drive) },
  'flash.devkits': { input: z.object({}).strict(), output: z.array(Devkit) },
  /** The workbench's SSH public key, to pre-install on a board before its first boot. */
  'flash.workbenchKey': { input: z.object({}).strict(), output: z.object({ publicKeyLine: z.string(), fingerprint: z.string() }) },
  'flash.sd.start': { input: SdFlashRequest, output: z.object({ flashId: z.string() }) },
  'flash.recovery.check': {
    input: z.object({ l4tDir: LocalPath, devkit: z.string().min(1).max(80), storage: z.enum(storageKinds) }).strict(),
    output: z.array(HostCheck),
  },
  'flash.recovery.start': { input: RecoveryFlashRequest, output: z.object({ flashId: z.string() }) },
  'flash.cancel': { input: z.object({ flashId: Id }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'flash.jobs': { input: z.object({}).strict(), output: z.array(FlashJob) },
  'flash.log': { input: z.object({ flashId: Id }).strict(), output: z.object({ path: z.string(), text: z.string() }) },
  /** oem-config over the serial console, one question at a time. */
  'flash.console.open': { input: z.object({ path: SerialPath }).strict(), output: ConsoleQuestion },
  'flash.console.answer': { input: z.object({ sessionId: Id, answer: z.string().max(256) }).strict(), output: ConsoleQuestion },
  /** Answers every question the pre-configuration knows; stops at one it does not. */
  'flash.console.auto': { input: z.object({ sessionId: Id, firstBoot: FirstBootConfig }).strict(), output: ConsoleQuestion },
  /** Logs in once the setup is done and reads the board's name and addresses. */
  'flash.console.finish': {
    input: z.object({ sessionId: Id, user: UserName, password: z.string().min(1).max(256) }).strict(),
    output: SerialLoginSchema,
  },
  'flash.console.close': { input: z.object({ sessionId: Id }).strict(), output: z.object({ closed: z.boolean() }) },
} as const;

export const flashEvents = {
  'flash.onDidProgress': { payload: FlashProgressEvent },
} as const;
