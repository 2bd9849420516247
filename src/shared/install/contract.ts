/**
 * The install part of the contract (src/shared/api.ts): the recipes a board
 * can take, starting and cancelling an install, its procedure document and
 * its progress events. See src/main/install/service.ts.
 */
import { z } from 'zod';
import { BoardRef } from '../boards/board-ref.ts';
import { errorCodes } from '../errors.ts';
import { jetpackFamilies } from './recipe.ts';

const Id = z.string().min(1).max(80);

/** Longest folder path accepted: Linux's PATH_MAX (a folder of wheels needs no longer). */
export const offlineDirMaxLength = 4096;

/**
 * An absolute folder on the computer running the workbench (not the board):
 * POSIX `/…`, Windows `C:\…` or `\\server\share`. A relative path would
 * depend on the main process's working folder, which the user never sees.
 */
export function isAbsoluteLocalPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** The offline folder of `install.start`: wheels and debs uploaded to the board (src/main/install/offline.ts). */
export const OfflineDir = z
  .string()
  .min(1)
  .max(offlineDirMaxLength)
  .refine((path) => !path.includes('\0'), { message: 'The folder path holds a NUL character.' })
  .refine(isAbsoluteLocalPath, { message: 'Give the folder as an absolute path (for example /home/me/wheels).' });

export const InstallPlanStep = z.object({
  title: z.string(),
  line: z.string(),
  sudo: z.boolean(),
  /** Where the step comes from (a public page), or null. */
  source: z.string().nullable(),
  /** False when the published sources do not confirm the step; `note` says what is not confirmed. */
  verified: z.boolean(),
  note: z.string().nullable(),
});

/** One library for one board: supported with its plan, or unsupported with the reason. */
export const InstallRecipeSummary = z.object({
  library: z.string(),
  title: z.string(),
  legacy: z.boolean(),
  family: z.enum(jetpackFamilies).nullable(),
  supported: z.boolean(),
  /** Why it cannot be installed on this board's JetPack (null when supported). */
  reason: z.string().nullable(),
  minutes: z.number().nullable(),
  diskMb: z.number().nullable(),
  steps: z.array(InstallPlanStep),
  notes: z.string().nullable(),
  /** The version the board's identified frameworks show, or null. */
  installedVersion: z.string().nullable(),
});
export type InstallRecipeSummary = z.infer<typeof InstallRecipeSummary>;

export const VerifiedVersionsSchema = z.object({
  version: z.string().nullable(),
  cuda: z.boolean().nullable(),
  gpuOp: z.string().nullable(),
  extra: z.record(z.string(), z.string()),
  line: z.string(),
});

export const installStates = ['running', 'done', 'failed', 'cancelled'] as const;
export const installEventKinds = [
  'preflight',
  'step-started',
  'step-skipped',
  'step-finished',
  'log',
  'verified',
  'finished',
  'failed',
] as const;

/** Event `install.onDidProgress`: the runner's progress, log text batched (at most ten events a second). */
export const InstallProgressEvent = z.object({
  installId: z.string(),
  /** The board's key (`boardKey`) and its name. */
  board: z.string(),
  label: z.string(),
  library: z.string(),
  kind: z.enum(installEventKinds),
  state: z.enum(installStates),
  /** The step (from 0) and the step count, when the event concerns a step. */
  stepIndex: z.number().int().nullable(),
  stepCount: z.number().int().nullable(),
  title: z.string().nullable(),
  /** The quoted command line of a started step. */
  line: z.string().nullable(),
  /** Log text (kind `log`), as the board printed it. */
  text: z.string().nullable(),
  /** A pre-flight message; for `step-skipped`, why the step was skipped. */
  message: z.string().nullable(),
  warning: z.boolean(),
  verification: VerifiedVersionsSchema.nullable(),
  error: z.object({ code: z.enum(errorCodes), message: z.string(), detail: z.string().optional() }).nullable(),
});
export type InstallProgressEvent = z.infer<typeof InstallProgressEvent>;

export const installMethods = {
  'install.recipes': { input: z.object({ board: BoardRef }).strict(), output: z.array(InstallRecipeSummary) },
  'install.start': {
    input: z
      .object({
        board: BoardRef,
        library: z.string().regex(/^[a-z0-9-]{1,40}$/),
        sudoPassword: z.string().max(256).optional(),
        offlineDir: OfflineDir.optional(),
        /** With `offlineDir`: download the wheels it lacks on this computer first (its pip, its internet). */
        fetchMissing: z.boolean().optional(),
        /** Run the install steps even when the probe finds the library already installed (default false). */
        force: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ installId: z.string() }),
  },
  'install.cancel': { input: z.object({ installId: Id }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** The finished install's procedure document, with what it installed (the recipe's title, the JetPack family, the verified versions). */
  'install.procedure': {
    input: z.object({ installId: Id }).strict(),
    output: z.object({
      markdown: z.string(),
      html: z.string(),
      title: z.string(),
      family: z.enum(jetpackFamilies),
      verification: VerifiedVersionsSchema,
    }),
  },
} as const;

export const installEvents = {
  'install.onDidProgress': { payload: InstallProgressEvent },
} as const;

/** What `install.start` takes, once validated. */
export type InstallStartRequest = z.infer<(typeof installMethods)['install.start']['input']>;
