import { runCommandLine } from '../shell/interpreter.ts';
import type { CommandContext, CommandHandler } from '../shell/context.ts';
import { aptCommands } from './apt.ts';
import { basicCommands } from './basics.ts';
import { dpkgCommands } from './dpkg.ts';
import { fileCommands } from './files.ts';
import { nvidiaSmiCommands } from './nvidia-smi.ts';
import { pipCommands } from './pip.ts';
import { pythonCommands } from './python.ts';
import { createSudo } from './sudo.ts';
import { systemCommands } from './system.ts';
import { tegraCommands } from './tegra.ts';

/** Every command the simulated board knows; anything else is `command not found` (127). */
const commands = new Map<string, CommandHandler>(
  Object.entries({
    ...basicCommands,
    ...fileCommands,
    ...systemCommands,
    ...tegraCommands,
    ...nvidiaSmiCommands,
    ...dpkgCommands,
    ...aptCommands,
    ...pipCommands,
    ...pythonCommands,
  }),
);
commands.set('sudo', createSudo(findCommand));
commands.set('which', which);
commands.set('command', commandBuiltin);
commands.set('sh', shellC);
commands.set('bash', shellC);

/** Commands that exist only when their package is installed / on that kind of host. */
function available(name: string, context: CommandContext): boolean {
  const board = context.session.board;
  if (name === 'nvidia-smi') return board.profile.kind === 'desktop-gpu';
  if (name === 'tegrastats' || name === 'nvpmodel' || name === 'jetson_clocks') return board.profile.kind === 'jetson';
  if (name === 'nvcc') return Object.keys(board.state.apt).some((item) => item.startsWith('cuda-toolkit-'));
  return commands.has(name);
}

export function findCommand(name: string): CommandHandler | undefined {
  return commands.get(name);
}

const locations: Record<string, string> = {
  nvcc: '/usr/local/cuda/bin/nvcc',
  jetson_clocks: '/usr/bin/jetson_clocks',
  nvpmodel: '/usr/sbin/nvpmodel',
  reboot: '/usr/sbin/reboot',
};
const builtins = new Set(['cd', 'exit', 'export', 'echo', 'test', '[', 'true', 'false', 'pwd', ':', 'command', 'logout']);

async function which(context: CommandContext): Promise<number> {
  let status = 0;
  for (const name of context.argv.slice(1).filter((arg) => !arg.startsWith('-'))) {
    if (available(name, context) && !builtins.has(name)) context.stdout.write(`${locations[name] ?? `/usr/bin/${name}`}\n`);
    else status = 1;
  }
  return status;
}

async function commandBuiltin(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1);
  if (args[0] === '-v' || args[0] === '-V') {
    let status = 0;
    for (const name of args.slice(1)) {
      if (!available(name, context)) status = 1;
      else context.stdout.write(`${builtins.has(name) ? name : (locations[name] ?? `/usr/bin/${name}`)}\n`);
    }
    return status;
  }
  const handler = args[0] === undefined ? undefined : findCommand(args[0]);
  if (!handler) return args.length === 0 ? 0 : 127;
  return handler({ ...context, argv: args });
}

/** `sh -c 'line'` / `bash -c 'line'`: the same interpreter, one level down. */
async function shellC(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1).filter((arg) => arg !== '-l' && arg !== '-e');
  if (args[0] !== '-c' || args[1] === undefined) {
    context.stderr.write(`${context.argv[0]}: only \`-c COMMAND\` is supported by the simulated shell\n`);
    return 2;
  }
  const session = { ...context.session, env: { ...context.env }, exitStatus: null };
  return runCommandLine(
    args[1],
    session,
    { stdin: context.stdin, stdout: context.stdout, stderr: context.stderr, signal: context.signal },
    findCommand,
  );
}
