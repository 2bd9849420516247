import { formatNvidiaSmiCsv } from '../tegrastats-format.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { pause } from './util.ts';

/**
 * nvidia-smi on the desktop-GPU comparison host: the CSV query the workbench
 * uses (`--query-gpu=… --format=csv,noheader,nounits [-lms N]`) and `-L`.
 * Jetson boards have no nvidia-smi (command not found).
 */
async function nvidiaSmi(context: CommandContext): Promise<number> {
  const board = context.session.board;
  if (board.profile.kind !== 'desktop-gpu') {
    context.stderr.write('bash: nvidia-smi: command not found\n');
    return 127;
  }
  const args = context.argv.slice(1);
  if (args.includes('-L')) {
    println(context.stdout, `GPU 0: ${board.profile.model} (UUID: GPU-5d3c2f0e-sim0-0000-0000-000000000000)`);
    return 0;
  }
  const loopIndex = args.findIndex((arg) => arg === '-lms' || arg === '-l');
  const loopArg = loopIndex >= 0 ? Number(args[loopIndex + 1]) : null;
  const intervalMs = loopArg === null ? null : args[loopIndex] === '-l' ? loopArg * 1000 : loopArg;
  const release = board.retain();
  try {
    do {
      println(context.stdout, formatNvidiaSmiCsv(board.profile, board.snapshot()));
      if (intervalMs === null) break;
    } while (await pause(intervalMs, context.signal));
    return 0;
  } finally {
    release();
  }
}

export const nvidiaSmiCommands: Record<string, CommandHandler> = { 'nvidia-smi': nvidiaSmi };
