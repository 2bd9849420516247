import { existsSync, statSync } from 'node:fs';
import { boardPath } from '../sandbox-path.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { pause, resolveHost } from './util.ts';

/** Shell built-ins and the small coreutils a script expects. */

async function echo(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1);
  const newline = args[0] !== '-n';
  if (!newline) args.shift();
  context.stdout.write(`${args.join(' ')}${newline ? '\n' : ''}`);
  return 0;
}

async function sleep(context: CommandContext): Promise<number> {
  const seconds = Number(context.argv[1]);
  if (!Number.isFinite(seconds) || seconds < 0) {
    context.stderr.write(`sleep: invalid time interval '${context.argv[1] ?? ''}'\n`);
    return 1;
  }
  return (await pause(seconds * 1000, context.signal)) ? 0 : 130;
}

async function env(context: CommandContext): Promise<number> {
  for (const [name, value] of Object.entries(context.env)) println(context.stdout, `${name}=${value}`);
  return 0;
}

function userOf(context: CommandContext): { name: string; uid: number } {
  return context.session.root ? { name: 'root', uid: 0 } : { name: context.session.user, uid: 1000 };
}

async function whoami(context: CommandContext): Promise<number> {
  println(context.stdout, userOf(context).name);
  return 0;
}

async function id(context: CommandContext): Promise<number> {
  const { name, uid } = userOf(context);
  const groups = uid === 0 ? '0(root)' : `1000(${name}),4(adm),24(cdrom),27(sudo),44(video),46(plugdev),116(render),999(gpio)`;
  println(context.stdout, `uid=${uid}(${name}) gid=${uid}(${name}) groups=${groups}`);
  return 0;
}

function testExpression(context: CommandContext, args: string[]): boolean {
  if (args[0] === '!') return !testExpression(context, args.slice(1));
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [operator, operand = ''] = args;
    const exists = (): boolean => existsSync(resolveHost(context, operand));
    if (operator === '-n') return operand !== '';
    if (operator === '-z') return operand === '';
    if (operator === '-e') return exists();
    if (operator === '-f') return exists() && statSync(resolveHost(context, operand)).isFile();
    if (operator === '-d') return exists() && statSync(resolveHost(context, operand)).isDirectory();
    if (operator === '-x' || operator === '-r' || operator === '-s') return exists();
    return false;
  }
  const [left = '', operator, right = ''] = args;
  const numbers = (compare: (a: number, b: number) => boolean): boolean => compare(Number(left), Number(right));
  switch (operator) {
    case '=':
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '-eq':
      return numbers((a, b) => a === b);
    case '-ne':
      return numbers((a, b) => a !== b);
    case '-lt':
      return numbers((a, b) => a < b);
    case '-le':
      return numbers((a, b) => a <= b);
    case '-gt':
      return numbers((a, b) => a > b);
    case '-ge':
      return numbers((a, b) => a >= b);
    default:
      return false;
  }
}

async function test(context: CommandContext): Promise<number> {
  let args = context.argv.slice(1);
  if (context.argv[0] === '[') {
    if (args.at(-1) !== ']') {
      context.stderr.write("bash: [: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  return testExpression(context, args) ? 0 : 1;
}

async function cd(context: CommandContext): Promise<number> {
  const target = context.argv[1] ?? context.session.env.HOME ?? '/';
  const path = boardPath(context.session.cwd, target);
  try {
    if (!statSync(resolveHost(context, target)).isDirectory()) throw new Error('not a directory');
  } catch {
    context.stderr.write(`bash: cd: ${target}: No such file or directory\n`);
    return 1;
  }
  context.session.cwd = path;
  context.session.env.PWD = path;
  return 0;
}

async function pwd(context: CommandContext): Promise<number> {
  println(context.stdout, context.session.cwd);
  return 0;
}

async function exit(context: CommandContext): Promise<number> {
  const status = context.argv[1] === undefined ? context.session.lastStatus : Number(context.argv[1]) & 255;
  context.session.exitStatus = status;
  return status;
}

async function export_(context: CommandContext): Promise<number> {
  for (const assignment of context.argv.slice(1)) {
    const split = assignment.indexOf('=');
    if (split > 0) context.session.env[assignment.slice(0, split)] = assignment.slice(split + 1);
  }
  return 0;
}

async function hostname(context: CommandContext): Promise<number> {
  const flag = context.argv[1];
  if (flag === '-I') println(context.stdout, `${context.session.board.options.host} `);
  else println(context.stdout, context.session.board.hostname);
  return 0;
}

async function nproc(context: CommandContext): Promise<number> {
  const online = context.session.board.power.mode?.onlineCpus ?? context.session.board.profile.cpu.cores;
  println(context.stdout, String(context.argv.includes('--all') ? context.session.board.profile.cpu.cores : online));
  return 0;
}

async function uptime(context: CommandContext): Promise<number> {
  const seconds = Math.floor((Date.now() - context.session.board.bootTime) / 1000);
  const now = new Date().toTimeString().slice(0, 8);
  const load = context.session.board.snapshot().cpus.reduce((sum, cpu) => sum + (cpu ? cpu.loadPct / 100 : 0), 0);
  const up =
    seconds < 3600
      ? `${Math.floor(seconds / 60)} min`
      : `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;
  println(context.stdout, ` ${now} up ${up},  1 user,  load average: ${load.toFixed(2)}, ${load.toFixed(2)}, ${load.toFixed(2)}`);
  return 0;
}

export const basicCommands: Record<string, CommandHandler> = {
  echo,
  true: async () => 0,
  false: async () => 1,
  ':': async () => 0,
  sleep,
  env,
  printenv: env,
  whoami,
  id,
  test,
  '[': test,
  cd,
  pwd,
  exit,
  logout: exit,
  export: export_,
  hostname,
  nproc,
  uptime,
};
