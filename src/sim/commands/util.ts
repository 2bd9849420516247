import { readFileSync } from 'node:fs';
import { memInfo } from '../identity-files.ts';
import { boardPath, hostPath } from '../sandbox-path.ts';
import type { CommandContext } from '../shell/context.ts';

/** Waits `ms`, or less when `signal` aborts. Resolves true when it slept the whole time. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(true), ms);
    function finish(complete: boolean): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(complete);
    }
    function onAbort(): void {
      finish(false);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The host path of a board path typed in a command, kept inside the sandbox. */
export function resolveHost(context: CommandContext, path: string): string {
  return hostPath(context.session.board.fsRoot, context.session.cwd, path);
}

/** File contents as the board shows them; a few /proc files are generated live. */
export function readBoardFile(context: CommandContext, path: string): Buffer {
  const absolute = boardPath(context.session.cwd, path);
  const board = context.session.board;
  if (absolute === '/proc/meminfo') return Buffer.from(memInfo(board.profile, board.snapshot()));
  if (absolute === '/proc/uptime') {
    const seconds = (Date.now() - board.bootTime) / 1000;
    return Buffer.from(`${seconds.toFixed(2)} ${(seconds * board.profile.cpu.cores * 0.9).toFixed(2)}\n`);
  }
  if (absolute === '/dev/null') return Buffer.alloc(0);
  return readFileSync(resolveHost(context, path));
}

/** Splits `-abc` style flags from operands (stops at `--`). */
export function splitFlags(args: string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let done = false;
  for (const arg of args) {
    if (done || arg === '-' || !arg.startsWith('-')) operands.push(arg);
    else if (arg === '--') done = true;
    else if (arg.startsWith('--')) flags.add(arg);
    else for (const letter of arg.slice(1)) flags.add(`-${letter}`);
  }
  return { flags, operands };
}

/** "Permission denied"-style message printers need the shown board path, not the host path. */
export function shownError(error: unknown, path: string): string {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return `${path}: No such file or directory`;
  if (code === 'EISDIR') return `${path}: Is a directory`;
  if (code === 'ENOTDIR') return `${path}: Not a directory`;
  if (code === 'ENOTEMPTY') return `${path}: Directory not empty`;
  if (code === 'EEXIST') return `${path}: File exists`;
  return `${path}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Reads the named files, or stdin when there are none (or `-`). */
export async function readInputs(
  context: CommandContext,
  files: string[],
): Promise<{ name: string; data: Buffer | null; error?: string }[]> {
  if (files.length === 0) return [{ name: '-', data: await context.stdin.readAll(context.signal) }];
  const results: { name: string; data: Buffer | null; error?: string }[] = [];
  for (const name of files) {
    if (name === '-') {
      results.push({ name, data: await context.stdin.readAll(context.signal) });
      continue;
    }
    try {
      results.push({ name, data: readBoardFile(context, name) });
    } catch (error) {
      results.push({ name, data: null, error: shownError(error, name) });
    }
  }
  return results;
}
