import { relative } from 'node:path';
import { simulatedSitePackages } from '../python-modules.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { runHostProcess } from './host-process.ts';
import { runPip } from './pip.ts';

/**
 * python3 runs the HOST's real Python so the on-board agent runs for real,
 * confined to the board's folder with bubblewrap (see confine.ts): it sees
 * the simulated /sys, /etc and /proc/device-tree at their real paths.
 * PYTHONPATH adds the simulated GPU libraries; `JWB_SIM_ROOT` tells the agent
 * where the board's `/` is (`/` when confined). PATH starts with the board's
 * /usr/local/bin, where a desktop GPU host keeps its nvidia-smi
 * (nvidia-smi-shim.ts). Its CPU time feeds the power model.
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
  return runHostProcess(context, {
    program: hostPython,
    args: (pathFor) => mapScriptArgument(args, pathFor),
    env: (see, pathFor) => ({
      PATH: `${see('/usr/local/bin')}:/usr/bin:/bin`,
      HOME: see(context.session.env.HOME ?? '/'),
      USER: context.session.root ? 'root' : context.session.user,
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      PYTHONPATH: [...(context.env.PYTHONPATH?.split(':').map(pathFor) ?? []), see(simulatedSitePackages)].join(':'),
      JWB_SIM_ROOT: see('/'),
      JWB_SIM_GPU_LOAD_FILE: see(relative(board.fsRoot, board.gpuLoadFile)),
      JWB_SIM_BOARD: board.options.name,
    }),
  });
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
