// The link's watchdog script, recognised by its exact text (see shellC).
import { sudoWatchdogScript, watchdogScript } from '../../shared/watchdog-script.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import { confinementAvailable } from '../confine.ts';
import { Input } from '../shell/input.ts';
import { runCommandLine } from '../shell/interpreter.ts';
import { parseCommandLine } from '../shell/parse.ts';
import { ShellSyntaxError } from '../shell/syntax.ts';
import { runHostProcess } from './host-process.ts';
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

/**
 * `sh -c SCRIPT [NAME ARGS…]` / `bash -c …`. Scripts the simulated
 * interpreter understands run there (so they reach tegrastats, nvpmodel…).
 * The link's stop-on-close watchdog means "run ARGS, stop when the channel
 * closes", which every simulated command already does, so ARGS run directly.
 * Other scripts (if/then, $(…), background jobs: ssh-copy-id's kind) run in
 * the board's real POSIX shell, confined to the board like python3.
 */
async function shellC(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1).filter((arg) => arg !== '-l' && arg !== '-e');
  const [flag, script, ...positional] = args;
  if (flag !== '-c' || script === undefined) {
    context.stderr.write(`${context.argv[0]}: only \`-c COMMAND\` is supported by the simulated shell\n`);
    return 2;
  }
  const io = { stdin: context.stdin, stdout: context.stdout, stderr: context.stderr, signal: context.signal };
  if (script === watchdogScript) {
    return runCommandLine(commandLine(...positional.slice(1)), { ...context.session, exitStatus: null }, io, findCommand);
  }
  if (script === sudoWatchdogScript) {
    // The first line (the password) alone is the command's stdin, as the script's pipe gives it.
    const password = Input.open();
    const line = await context.stdin.readLine(context.signal);
    if (line !== null) password.push(`${line}\n`);
    password.end();
    const command = commandLine(...positional.slice(1));
    return runCommandLine(command, { ...context.session, exitStatus: null }, { ...io, stdin: password }, findCommand);
  }
  if (!understood(script) && confinementAvailable) return realShell(context, script, positional);
  const env = { ...context.env, ...Object.fromEntries(positional.map((value, index) => [String(index), value])) };
  return runCommandLine(script, { ...context.session, env, exitStatus: null }, io, findCommand);
}

function understood(script: string): boolean {
  try {
    parseCommandLine(script);
    return true;
  } catch (error) {
    if (error instanceof ShellSyntaxError) return false;
    throw error;
  }
}

function realShell(context: CommandContext, script: string, positional: string[]): Promise<number> {
  const user = context.session.root ? 'root' : context.session.user;
  return runHostProcess(context, {
    program: '/bin/sh',
    args: () => ['-c', script, ...positional],
    env: (see) => ({ PATH: '/usr/bin:/bin', HOME: see(context.session.env.HOME ?? '/'), USER: user, LOGNAME: user, LANG: 'C.UTF-8' }),
  });
}
