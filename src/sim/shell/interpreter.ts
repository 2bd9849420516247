import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { hostPath } from '../sandbox-path.ts';
import type { CommandContext, CommandHandler, Output, ShellSession } from './context.ts';
import { Input } from './input.ts';
import { parseCommandLine } from './parse.ts';
import { ShellSyntaxError, type Pipeline, type SimpleCommand, type Word } from './syntax.ts';

export interface ShellIo {
  stdin: Input;
  stdout: Output;
  stderr: Output;
  signal: AbortSignal;
}

export type CommandLookup = (name: string) => CommandHandler | undefined;

/** Runs one command line in a session; returns its exit status (also kept in `$?`). */
export async function runCommandLine(line: string, session: ShellSession, io: ShellIo, lookup: CommandLookup): Promise<number> {
  let list;
  try {
    list = parseCommandLine(line);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    io.stderr.write(`bash: ${error.message}\n`);
    session.lastStatus = 2;
    return 2;
  }
  let status = session.lastStatus;
  for (const { connector, pipeline } of list.items) {
    if (io.signal.aborted || session.exitStatus !== null) break;
    if (connector === '&&' && status !== 0) continue;
    if (connector === '||' && status === 0) continue;
    status = await runPipeline(pipeline, session, io, lookup);
    session.lastStatus = status;
  }
  if (io.signal.aborted) status = 130;
  session.lastStatus = status;
  return status;
}

async function runPipeline(pipeline: Pipeline, session: ShellSession, io: ShellIo, lookup: CommandLookup): Promise<number> {
  const count = pipeline.commands.length;
  const controllers = pipeline.commands.map(() => new AbortController());
  const onAbort = (): void => controllers.forEach((controller) => controller.abort());
  io.signal.addEventListener('abort', onAbort, { once: true });
  const pipes = pipeline.commands.slice(1).map(() => new PassThrough());
  const runs = pipeline.commands.map(async (command, index) => {
    const stdin = index === 0 ? io.stdin : new Input(pipes[index - 1] as PassThrough);
    const pipe = pipes[index];
    const stdout: Output = pipe ? { write: (data) => void pipe.write(data) } : io.stdout;
    const signal = (controllers[index] as AbortController).signal;
    try {
      return await runSimple(command, session, { stdin, stdout, stderr: io.stderr, signal }, lookup);
    } finally {
      pipe?.end();
      // The reader is gone: stop the writer upstream, as SIGPIPE would.
      if (index > 0) {
        stdin.close();
        controllers[index - 1]?.abort();
      }
    }
  });
  try {
    const statuses = await Promise.all(runs);
    const last = statuses[count - 1] ?? 0;
    return pipeline.negated ? (last === 0 ? 1 : 0) : last;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
}

export function expandWord(word: Word, session: ShellSession, env: Record<string, string>): string {
  return word.parts
    .map((part) => {
      if (part.kind === 'text') return part.value;
      if (part.kind === 'home') return session.env.HOME ?? '/';
      if (part.name === '?') return String(session.lastStatus);
      if (part.name === '$') return '4242';
      if (part.name === '#') return '0';
      if (part.name === '0') return 'bash';
      return env[part.name] ?? '';
    })
    .join('');
}

async function runSimple(command: SimpleCommand, session: ShellSession, io: ShellIo, lookup: CommandLookup): Promise<number> {
  const env = { ...session.env };
  for (const assignment of command.assignments) env[assignment.name] = expandWord(assignment.value, session, env);
  const argv = command.words.map((word) => expandWord(word, session, env));
  if (argv.length === 0) {
    Object.assign(session.env, env);
    return 0;
  }
  const streams = { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr };
  const files: { path: string; chunks: Buffer[]; append: boolean }[] = [];
  try {
    for (const redirection of command.redirections) {
      if (redirection.mode === 'duplicate') {
        const target = redirection.target === 2 ? streams.stderr : streams.stdout;
        if (redirection.fd === 2) streams.stderr = target;
        else streams.stdout = target;
        continue;
      }
      const name = expandWord(redirection.target as Word, session, env);
      if (redirection.mode === 'read') {
        const input = Input.empty();
        if (name !== '/dev/null') input.push(readFileSync(hostPath(session.board.fsRoot, session.cwd, name)));
        input.end();
        streams.stdin = input;
        continue;
      }
      const output = redirectTo(name, session, redirection.mode === 'append', files);
      if (redirection.fd === 2) streams.stderr = output;
      else streams.stdout = output;
    }
  } catch (error) {
    io.stderr.write(`bash: ${describeFileError(error)}\n`);
    return 1;
  }
  const name = argv[0] as string;
  const handler = lookup(name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name);
  if (!handler) {
    streams.stderr.write(`bash: ${name}: command not found\n`);
    return 127;
  }
  const context: CommandContext = { argv, ...streams, env, session, signal: io.signal };
  try {
    const status = await handler(context);
    return io.signal.aborted && status === 0 ? 130 : status;
  } catch (error) {
    streams.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    for (const file of files) {
      const data = Buffer.concat(file.chunks);
      if (file.append) appendFileSync(file.path, data);
      else writeFileSync(file.path, data);
    }
  }
}

function redirectTo(
  name: string,
  session: ShellSession,
  append: boolean,
  files: { path: string; chunks: Buffer[]; append: boolean }[],
): Output {
  if (name === '/dev/null') return { write: () => undefined };
  const path = hostPath(session.board.fsRoot, session.cwd, name);
  // Create or truncate now, as the shell does before the command starts.
  if (append) appendFileSync(path, '');
  else writeFileSync(path, '');
  const file = { path, chunks: [] as Buffer[], append: true };
  files.push(file);
  return { write: (data) => void file.chunks.push(typeof data === 'string' ? Buffer.from(data) : data) };
}

export function describeFileError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const path = 'path' in error ? String(error.path) : '';
    const shown = path.includes('/fs/') ? path.slice(path.indexOf('/fs/') + 3) : path;
    if (error.code === 'ENOENT') return `${shown}: No such file or directory`;
    if (error.code === 'EISDIR') return `${shown}: Is a directory`;
    if (error.code === 'ENOTDIR') return `${shown}: Not a directory`;
    if (error.code === 'EACCES') return `${shown}: Permission denied`;
  }
  return error instanceof Error ? error.message : String(error);
}
