/**
 * Programs on this computer as a `BoardLink` (ARCHITECTURE.md, "Local
 * processes are links too"): NVIDIA's flash scripts, `lsblk`, the host
 * checks. The same contract as `SshLink` (argv only, no shell, streamed
 * output, cancel and timeout that stop the process group, one error mapping),
 * so a flash runner cannot tell a local script from a remote one and no caller
 * spawns ad hoc.
 */
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BoardLink, ExecOptions, ExecResult, LinkCloseReason, LinkState, TransferResult } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

export interface LocalLinkOptions {
  /** The working folder of every command (a `Linux_for_Tegra` folder for the flash scripts). */
  cwd?: string;
  /** Added to this process's environment. */
  env?: Readonly<Record<string, string>>;
  /** Most bytes of stdout and of stderr kept in `ExecResult` (streamed output is not capped); default 8 MiB. */
  maxCapturedBytes?: number;
}

const defaultCaptureLimit = 8 * 1024 * 1024;
/** After TERM, a script that ignores it gets KILL this much later. */
const killGraceMs = 5000;

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export class LocalLink implements BoardLink {
  readonly #options: LocalLinkOptions;
  #state: LinkState = 'ready';
  readonly #children = new Set<ReturnType<typeof spawn>>();
  readonly #closeListeners = new Set<(reason: LinkCloseReason | undefined) => void>();
  readonly #stateListeners = new Set<(state: LinkState) => void>();

  constructor(options: LocalLinkOptions = {}) {
    this.#options = options;
  }

  get state(): LinkState {
    return this.#state;
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.#state === 'closed') return Promise.reject(new WorkbenchFailure('unavailable', 'This local link is closed.'));
    const [program, ...args] = argv;
    if (program === undefined) return Promise.reject(new WorkbenchFailure('invalid-request', 'A command needs a program name.'));
    if (argv.some((arg) => arg.includes('\0')))
      return Promise.reject(new WorkbenchFailure('invalid-request', 'A command argument holds a NUL byte.'));
    // sudo only when it is needed: as root (CI, a root shell) the program runs as is.
    const sudo = options.sudoPassword !== undefined && !isRoot();
    const command = sudo ? 'sudo' : program;
    const commandArgs = sudo ? ['-S', '-k', '-p', '', '--', program, ...args] : args;
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn(command, commandArgs, {
        cwd: this.#options.cwd,
        env: { ...process.env, ...this.#options.env, LC_ALL: 'C' },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so cancel stops the script and everything it started.
        detached: true,
      });
      this.#children.add(child);
      const limit = this.#options.maxCapturedBytes ?? defaultCaptureLimit;
      const stdout = new Capture(limit);
      const stderr = new Capture(limit);
      let stopped: WorkbenchFailure | undefined;
      const stop = (failure: WorkbenchFailure): void => {
        if (stopped !== undefined) return;
        stopped = failure;
        signalGroup(child.pid, 'SIGTERM');
        setTimeout(() => signalGroup(child.pid, 'SIGKILL'), killGraceMs).unref();
      };
      const onAbort = (): void => stop(new WorkbenchFailure('cancelled', 'The command was cancelled.', program));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => stop(new WorkbenchFailure('timeout', `${program} did not finish within ${Math.round(options.timeoutMs! / 1000)} s.`)),
              options.timeoutMs,
            );
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout.add(chunk);
        options.onStdout?.(chunk);
      });
      child.stderr.on('data', (chunk: string) => {
        stderr.add(chunk);
        options.onStderr?.(chunk);
      });
      // A program that exits without reading its stdin must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      if (sudo) child.stdin.write(`${options.sudoPassword}\n`);
      if (options.stdin !== undefined) child.stdin.write(options.stdin);
      child.stdin.end();
      const finish = (): void => {
        this.#children.delete(child);
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      child.on('error', (error: NodeJS.ErrnoException) => {
        finish();
        reject(spawnFailure(command, error));
      });
      child.on('close', (code, signal) => {
        finish();
        if (stopped !== undefined) return reject(stopped);
        if (sudo && code === 1 && /incorrect password|no password was provided|a password is required/i.test(stderr.text)) {
          return reject(new WorkbenchFailure('auth-failed', 'sudo refused the password for this computer.', stderr.text.trim()));
        }
        const result: ExecResult = { code, stdout: stdout.text, stderr: stderr.text };
        resolve(signal === null ? result : { ...result, signal: signal.replace(/^SIG/, '') });
      });
    });
  }

  /** Both ends are this computer: a copy, then the copy's SHA-256. */
  async upload(localPath: string, remotePath: string): Promise<TransferResult> {
    await copyFile(localPath, remotePath);
    return sha256Of(remotePath);
  }

  async download(remotePath: string, localPath: string): Promise<TransferResult> {
    await copyFile(remotePath, localPath);
    return sha256Of(localPath);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    for (const child of this.#children) signalGroup(child.pid, 'SIGTERM');
    this.#setState('closed');
    for (const listener of this.#closeListeners) listener(undefined);
    this.#closeListeners.clear();
  }

  onDidClose(listener: (reason: LinkCloseReason | undefined) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  onDidChangeState(listener: (state: LinkState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #setState(state: LinkState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}

/** Keeps the first `limit` bytes of a stream (and says so), so a chatty script cannot fill memory. */
class Capture {
  #text = '';
  #truncated = false;
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  add(chunk: string): void {
    if (this.#text.length >= this.#limit) {
      this.#truncated = true;
      return;
    }
    this.#text += chunk.slice(0, this.#limit - this.#text.length);
  }
  get text(): string {
    return this.#truncated ? `${this.#text}\n[output truncated]` : this.#text;
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function spawnFailure(program: string, error: NodeJS.ErrnoException): WorkbenchFailure {
  if (error.code === 'ENOENT')
    return new WorkbenchFailure('not-found', `${program} is not installed on this computer (or not on PATH).`, error.message);
  if (error.code === 'EACCES') return new WorkbenchFailure('forbidden', `${program} cannot be run: it is not executable.`, error.message);
  return new WorkbenchFailure('internal', `${program} could not be started.`, error.message);
}

async function sha256Of(path: string): Promise<TransferResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
