import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { confine } from '../confine.ts';
import { simulatedSitePackages } from '../python-modules.ts';
import { hostPath } from '../sandbox-path.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { runPip } from './pip.ts';

/**
 * python3 runs the HOST's real Python so the on-board agent runs for real,
 * confined to the board's folder with bubblewrap (see confine.ts): it sees
 * the simulated /sys, /etc and /proc/device-tree at their real paths.
 * PYTHONPATH adds the simulated GPU libraries; `JWB_SIM_ROOT` tells the agent
 * where the board's `/` is (`/` when confined). Its CPU time feeds the power
 * model.
 */
const hostPython = '/usr/bin/python3';

async function python(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1);
  const board = context.session.board;
  if (args[0] === '--version' || args[0] === '-V') {
    println(context.stdout, `Python ${board.profile.python}`);
    return 0;
  }
  if (args[0] === '-m' && args[1] === 'pip') return runPip(context, args.slice(2));
  mkdirSync(hostPath(board.fsRoot, '/', context.session.cwd), { recursive: true });
  // Paths as the program will see them: board paths when confined, host paths otherwise.
  const probe = confine(board.fsRoot, hostPython, [], context.session.cwd, {});
  const see = (boardPath: string) => probe.pathFor(join('/', boardPath));
  const extraPath = context.env.PYTHONPATH ? context.env.PYTHONPATH.split(':').map((entry) => probe.pathFor(entry)) : [];
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: see(context.session.env.HOME ?? '/'),
    USER: context.session.root ? 'root' : context.session.user,
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PYTHONPATH: [...extraPath, see(simulatedSitePackages)].join(':'),
    JWB_SIM_ROOT: see('/'),
    JWB_SIM_GPU_LOAD_FILE: see(relative(board.fsRoot, board.gpuLoadFile)),
    JWB_SIM_BOARD: board.options.name,
  };
  const run = confine(board.fsRoot, hostPython, mapScriptArgument(args, probe.pathFor), context.session.cwd, env);
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
        context.stderr.write(`python3: ${error.message}\n`);
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

/** The script path (first operand) is a board path: give Python the file as it sees it. */
function mapScriptArgument(args: string[], pathFor: (boardPath: string) => string): string[] {
  const mapped = [...args];
  for (let index = 0; index < mapped.length; index += 1) {
    const arg = mapped[index] as string;
    if (arg === '-c' || arg === '-m') return mapped;
    if (arg === '-W' || arg === '-X') {
      index += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    mapped[index] = pathFor(arg);
    return mapped;
  }
  return mapped;
}

export const pythonCommands: Record<string, CommandHandler> = { python3: python, python: python };
