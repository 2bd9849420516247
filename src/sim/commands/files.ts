import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { readInputs, resolveHost, shownError, splitFlags } from './util.ts';

/** cat, ls, mkdir, rm, head, tail, wc, grep, sha256sum over the sandbox. */

async function cat(context: CommandContext): Promise<number> {
  let status = 0;
  for (const input of await readInputs(context, context.argv.slice(1))) {
    if (input.data) context.stdout.write(input.data);
    else {
      context.stderr.write(`cat: ${input.error}\n`);
      status = 1;
    }
  }
  return status;
}

async function ls(context: CommandContext): Promise<number> {
  const { flags, operands } = splitFlags(context.argv.slice(1));
  const all = flags.has('-a');
  const long = flags.has('-l');
  let status = 0;
  for (const path of operands.length > 0 ? operands : ['.']) {
    try {
      const target = resolveHost(context, path);
      const info = statSync(target);
      const names = info.isDirectory()
        ? readdirSync(target)
            .filter((name) => all || !name.startsWith('.'))
            .sort()
        : [path];
      if (operands.length > 1) println(context.stdout, `${path}:`);
      for (const name of names) {
        if (!long) {
          println(context.stdout, name);
          continue;
        }
        const entry = info.isDirectory() ? statSync(`${target}/${name}`) : info;
        const kind = entry.isDirectory() ? 'd' : '-';
        println(
          context.stdout,
          `${kind}rw-r--r-- 1 ${context.session.user} ${context.session.user} ${String(entry.size).padStart(8)} ${entry.mtime.toISOString().slice(0, 16).replace('T', ' ')} ${name}`,
        );
      }
    } catch (error) {
      context.stderr.write(`ls: cannot access '${shownError(error, path).replace(': ', "': ")}\n`);
      status = 2;
    }
  }
  return status;
}

async function mkdir(context: CommandContext): Promise<number> {
  const { flags, operands } = splitFlags(context.argv.slice(1));
  let status = 0;
  for (const path of operands) {
    try {
      mkdirSync(resolveHost(context, path), { recursive: flags.has('-p') });
    } catch (error) {
      context.stderr.write(`mkdir: cannot create directory '${shownError(error, path).replace(': ', "': ")}\n`);
      status = 1;
    }
  }
  return status;
}

async function rm(context: CommandContext): Promise<number> {
  const { flags, operands } = splitFlags(context.argv.slice(1));
  const recursive = flags.has('-r') || flags.has('-R');
  const force = flags.has('-f');
  let status = 0;
  for (const path of operands) {
    const target = resolveHost(context, path);
    if (target === resolveHost(context, '/')) {
      context.stderr.write("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      status = 1;
      continue;
    }
    try {
      if (!recursive && statSync(target).isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
      rmSync(target, { recursive, force });
    } catch (error) {
      context.stderr.write(`rm: cannot remove '${shownError(error, path).replace(': ', "': ")}\n`);
      status = 1;
    }
  }
  return status;
}

function lineCount(args: string[]): { count: number; files: string[] } {
  const files: string[] = [];
  let count = 10;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '-n') count = Number(args[++index]);
    else if (/^-n\d+$/.test(arg)) count = Number(arg.slice(2));
    else if (/^-\d+$/.test(arg)) count = Number(arg.slice(1));
    else files.push(arg);
  }
  return { count, files };
}

function takeLines(pick: 'head' | 'tail'): CommandHandler {
  return async (context) => {
    const { count, files } = lineCount(context.argv.slice(1));
    if (pick === 'head' && files.length === 0) {
      // Stream: stop reading after `count` lines so `tegrastats | head -n 2` ends.
      for (let index = 0; index < count; index += 1) {
        const line = await context.stdin.readLine(context.signal);
        if (line === null) break;
        println(context.stdout, line);
      }
      return 0;
    }
    let status = 0;
    for (const input of await readInputs(context, files)) {
      if (!input.data) {
        context.stderr.write(`${pick}: cannot open '${input.error?.replace(': ', "' for reading: ")}\n`);
        status = 1;
        continue;
      }
      const lines = input.data.toString('utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      const chosen = pick === 'head' ? lines.slice(0, count) : lines.slice(Math.max(0, lines.length - count));
      for (const line of chosen) println(context.stdout, line);
    }
    return status;
  };
}

async function wc(context: CommandContext): Promise<number> {
  const { flags, operands } = splitFlags(context.argv.slice(1));
  const only = flags.has('-l') ? 'l' : flags.has('-c') ? 'c' : flags.has('-w') ? 'w' : null;
  for (const input of await readInputs(context, operands)) {
    if (!input.data) {
      context.stderr.write(`wc: ${input.error}\n`);
      return 1;
    }
    const text = input.data.toString('utf8');
    const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: input.data.length };
    const shown = only ? String(counts[only]) : `${counts.l} ${counts.w} ${counts.c}`;
    println(context.stdout, input.name === '-' ? shown : `${shown} ${input.name}`);
  }
  return 0;
}

async function grep(context: CommandContext): Promise<number> {
  const { flags, operands } = splitFlags(context.argv.slice(1));
  const [pattern, ...files] = operands;
  if (pattern === undefined) {
    context.stderr.write("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  const regex = flags.has('-F') ? null : new RegExp(pattern, flags.has('-i') ? 'i' : '');
  const matches = (line: string): boolean => (regex ? regex.test(line) : line.includes(pattern)) !== flags.has('-v');
  let found = 0;
  for (const input of await readInputs(context, files)) {
    if (!input.data) {
      context.stderr.write(`grep: ${input.error}\n`);
      continue;
    }
    const lines = input.data.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const line of lines.filter(matches)) {
      found += 1;
      if (!flags.has('-q') && !flags.has('-c')) println(context.stdout, files.length > 1 ? `${input.name}:${line}` : line);
    }
  }
  if (flags.has('-c')) println(context.stdout, String(found));
  return found > 0 ? 0 : 1;
}

async function sha256sum(context: CommandContext): Promise<number> {
  let status = 0;
  // `--` ends the options, as in coreutils: BoardLink.upload verifies with `sha256sum -- path`.
  const operands = context.argv.slice(1);
  if (operands[0] === '--') operands.shift();
  for (const input of await readInputs(context, operands)) {
    if (!input.data) {
      context.stderr.write(`sha256sum: ${input.error}\n`);
      status = 1;
      continue;
    }
    println(context.stdout, `${createHash('sha256').update(input.data).digest('hex')}  ${input.name}`);
  }
  return status;
}

export const fileCommands: Record<string, CommandHandler> = {
  cat,
  ls,
  mkdir,
  rm,
  head: takeLines('head'),
  tail: takeLines('tail'),
  wc,
  grep,
  sha256sum,
};
