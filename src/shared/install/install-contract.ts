import type { WorkbenchError } from '../errors.ts';
import type { JetpackFamily } from './recipe.ts';

/** What the install runner records and reports; pure types shared by main, CLI and renderer. */

/** `skipped`: not run because the probe found the library already installed (see `InstallState.alreadyInstalled`). */
export type StepOutcome = 'done' | 'failed' | 'interrupted' | 'skipped';

export interface StepRecord {
  index: number;
  title: string;
  /** The command as a person would type it, quoted with `commandLine` (`sudo …` when it ran as root). */
  line: string;
  outcome: StepOutcome;
  startedAt: string;
  durationMs: number;
  exitCode: number | null;
  /** Why a step was skipped (`already installed, version 4.3.2`). */
  note?: string;
}

/** What the recipe's probe found before the steps, when it found the library. */
export interface ProbeResult {
  /** The probe's command line, as run. */
  line: string;
  version: string;
  /** The recipe's `minVersion`, when it names one. */
  minVersion: string | null;
  /** The version satisfies the recipe and no reinstall was asked: the install steps were skipped. */
  skipped: boolean;
}

export interface VerifiedVersions {
  version: string | null;
  cuda: boolean | null;
  /** `ok`, `simulated` (the simulator's stand-in module), `none`, or what went wrong. */
  gpuOp: string | null;
  /** Other `key=value` lines the verification printed (torchvision=, cudnn=). */
  extra: Record<string, string>;
  line: string;
}

/** Saved after every step (a JSON file per board and library) so an install resumes. */
export interface InstallState {
  version: 1;
  boardId: string;
  library: string;
  family: JetpackFamily;
  simulator: boolean;
  startedAt: string;
  steps: StepRecord[];
  /** The probe's finding on a fresh start (absent in states saved before probes ran). */
  alreadyInstalled?: ProbeResult | null;
  verification: VerifiedVersions | null;
  finishedAt: string | null;
}

export type InstallProgress =
  | { type: 'preflight'; boardId: string; library: string; message: string; warning?: boolean }
  | { type: 'step-started'; boardId: string; library: string; index: number; count: number; title: string; line: string }
  | {
      type: 'step-skipped';
      boardId: string;
      library: string;
      index: number;
      count: number;
      title: string;
      /** Why: `done earlier`, `needs the internet (offline install)`, `already installed, version 4.3.2`. */
      reason: string;
    }
  | {
      type: 'step-finished';
      boardId: string;
      library: string;
      index: number;
      count: number;
      title: string;
      outcome: StepOutcome;
      durationMs: number;
    }
  | { type: 'log'; boardId: string; library: string; index: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'verified'; boardId: string; library: string; verification: VerifiedVersions }
  | { type: 'finished'; boardId: string; library: string }
  | { type: 'failed'; boardId: string; library: string; error: WorkbenchError };
