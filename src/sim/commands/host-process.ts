/**
 * Runs a host program (the real python3, the real /bin/sh) as a process of
 * the simulated board: confined to its folder (confine.ts), fed the
 * command's stdin, its output streamed back, stopped on Ctrl-C or when the
 * channel closes, and its CPU time counted by the power model.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { confine } from '../confine.ts';
import { hostPath } from '../sandbox-path.ts';
import type { CommandContext } from '../shell/context.ts';

export interface HostProcess {
  program: string;
  /** Arguments; `pathFor` turns a board path into the path the program sees. */
  args: (pathFor: (boardPath: string) => string) => string[];
  /** `see` maps a path from the board's root, `pathFor` one relative to the working folder. */
  env: (see: (boardPath: string) => string, pathFor: (boardPath: string) => string) => Record<string, string>;
}

export async function runHostProcess(context: CommandContext, spec: HostProcess): Promise<number> {
  const board = context.session.board;
  mkdirSync(hostPath(board.fsRoot, '/', context.session.cwd), { recursive: true });
  // Paths as the program will see them: board paths when confined, host paths otherwise.
  const pathFor = confine(board.fsRoot, spec.program, [], context.session.cwd, {}).pathFor;
  const see = (boardPath: string) => pathFor(join('/', boardPath));
  const env = spec.env(see, pathFor);
  const run = confine(board.fsRoot, spec.program, spec.args(pathFor), context.session.cwd, env);
  const child = spawn(run.command, run.args, { cwd: run.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const release = board.retain();
  if (child.pid !== undefined) board.load.track(child.pid);
  child.stdout.on('data', (chunk: Buffer) => context.stdout.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => context.stderr.write(chunk));
  child.stdin.on('error', () => undefined);
  const onAbort = (): void => {
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  };
  context.signal.addEventListener('abort', onAbort, { once: true });
  void feedStdin(context, child.stdin);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', (error) => {
        context.stderr.write(`${context.argv[0]}: ${error.message}\n`);
        resolve(127);
      });
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2)));
    });
  } finally {
    context.signal.removeEventListener('abort', onAbort);
    if (child.pid !== undefined) board.load.untrack(child.pid);
    release();
  }
}

async function feedStdin(context: CommandContext, stdin: NodeJS.WritableStream): Promise<void> {
  for (let chunk = await context.stdin.read(context.signal); chunk !== null; chunk = await context.stdin.read(context.signal))
    stdin.write(chunk);
  stdin.end();
}
