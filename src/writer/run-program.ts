/**
 * The writer's own way to run a system tool (lsblk, umount, partx, blkid,
 * mount, xz): argv only, never a shell, a fixed PATH and locale, captured
 * output capped, a time limit. The writer is a process environment of its own
 * (ARCHITECTURE.md, src/writer), so it cannot use src/main's LocalLink; this
 * is the same contract, smaller.
 */
import { spawn } from 'node:child_process';
import { WorkbenchFailure } from '../shared/errors.ts';

/** Running as root: tools come from the system folders only, whatever PATH the caller had. */
export const systemPath = '/usr/sbin:/usr/bin:/sbin:/bin';
const captureLimit = 1024 * 1024;
const defaultTimeoutMs = 60_000;

export interface ProgramResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Run as this user (an unprivileged helper reading what that user may read). */
  user?: { uid: number; gid: number };
  /** An open file the tool reads as its stdin (the image, opened with the student's rights). */
  stdinFd?: number;
}

export function runProgram(argv: readonly string[], options: RunOptions = {}): Promise<ProgramResult> {
  const [program, ...args] = argv;
  if (program === undefined || argv.some((arg) => arg.includes('\0'))) {
    return Promise.reject(new WorkbenchFailure('internal', 'A tool was called without a name or with a NUL byte.'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: { PATH: systemPath, LC_ALL: 'C' },
      stdio: [options.stdinFd ?? 'ignore', 'pipe', 'pipe'],
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < captureLimit) stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < captureLimit) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? defaultTimeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = error.code === 'ENOENT';
      reject(
        new WorkbenchFailure(
          missing ? 'unsupported' : 'internal',
          missing
            ? `${program} is not installed on this computer: the writer needs it (install util-linux / xz-utils).`
            : `${program} could not be started.`,
          error.message,
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a tool that must succeed; its stderr is the failure's detail. */
export async function runChecked(argv: readonly string[], failure: string, options: RunOptions = {}): Promise<string> {
  const result = await runProgram(argv, options);
  if (result.code !== 0) {
    throw new WorkbenchFailure('internal', failure, `${argv.join(' ')}: exit ${result.code}: ${result.stderr.trim().slice(0, 2000)}`);
  }
  return result.stdout;
}
