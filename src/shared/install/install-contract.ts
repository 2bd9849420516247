import type { WorkbenchError } from '../errors.ts';
import type { JetpackFamily } from './recipe.ts';

/** What the install runner records and reports; pure types shared by main, CLI and renderer. */

export type StepOutcome = 'done' | 'failed' | 'interrupted';

export interface StepRecord {
  index: number;
  title: string;
  /** The command as a person would type it, quoted with `commandLine` (`sudo …` when it ran as root). */
  line: string;
  outcome: StepOutcome;
  startedAt: string;
  durationMs: number;
  exitCode: number | null;
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
  verification: VerifiedVersions | null;
  finishedAt: string | null;
}

export type InstallProgress =
  | { type: 'preflight'; boardId: string; library: string; message: string; warning?: boolean }
  | { type: 'step-started'; boardId: string; library: string; index: number; count: number; title: string; line: string }
  | { type: 'step-skipped'; boardId: string; library: string; index: number; count: number; title: string }
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
