/**
 * The app's end of the privileged writer (src/writer): starts it through the
 * shell's elevation, greets it with a per-run random token, keeps it alive
 * with a heartbeat every 2 s, and turns its protocol lines into promises and
 * callbacks. The writer is the one long-lived local process here that needs a
 * two-way pipe, which LocalLink's exec (stdin given up front) does not offer,
 * so this file spawns it itself, argv only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { LineSplitter } from '../../shared/line-splitter.ts';
import type { AppMessage, WriteCommand, WriterMessage, WriterProgress } from '../../shared/writer-protocol.ts';
import {
  decodeWriterLine,
  encodeAppLine,
  writerHeartbeatIntervalMs,
  writerLineLimit,
  writerProtocolVersion,
  writerTokenVariable,
} from '../../shared/writer-protocol.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

/** The argv that runs `argv` as root with `env` set (src/main/shell/elevate.ts's `elevatedArgv`). */
export type Elevate = (argv: readonly string[], env: Readonly<Record<string, string>>) => string[];

export interface StartWriterOptions {
  /** The writer's entry: src/writer/main.ts in a checkout, its bundle when packaged (Resources.writerEntry). */
  entry: string;
  elevate: Elevate;
  /** Extra variables for the writer, such as ELECTRON_RUN_AS_NODE=1 under Electron: the caller decides. */
  env?: Readonly<Record<string, string>>;
  /** What runs the entry; process.execPath by default (Node, or Electron run as Node). */
  execPath?: string;
  /** How long the password prompt may take; 30 s as balenaEtcher (reference §3.2). */
  readyTimeoutMs?: number;
}

export type WriteRequest = Omit<WriteCommand, 'type'>;
export interface WriteResult {
  sha256: string;
  bytes: number;
  verified: boolean;
}

interface Pending {
  resolve(message: WriterMessage): void;
  reject(failure: WorkbenchFailure): void;
  onProgress(progress: WriterProgress): void;
  onLog(line: string): void;
}

const stderrKept = 16 * 1024;
const exitWaitMs = 15_000;

export async function startWriter(options: StartWriterOptions): Promise<WriterClient> {
  const token = randomBytes(32).toString('hex');
  const env = { ...options.env, [writerTokenVariable]: token };
  const [program, ...args] = options.elevate([options.execPath ?? process.execPath, options.entry], env);
  const child = spawn(program!, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new WriterClient(child);
  // Sent at once: the pipe keeps it while pkexec's prompt is open.
  client.send({ type: 'hello', token });
  await client.ready(options.readyTimeoutMs ?? 30_000);
  return client;
}

export class WriterClient {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<number | null>;
  #stderr = '';
  #pending: Pending | null = null;
  #readiness: { resolve(): void; reject(failure: WorkbenchFailure): void } | null = null;
  #exitCode: number | null | undefined;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    const splitter = new LineSplitter({ maxLineChars: writerLineLimit + 1 });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => splitter.push(chunk).forEach((line) => this.#receive(line)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-stderrKept);
    });
    child.stdin.on('error', () => undefined);
    this.#exited = new Promise((resolve) => {
      child.once('error', (error) => this.#onExit(null, `could not be started: ${error.message}`, resolve));
      child.once('close', (code, signal) =>
        this.#onExit(code, signal === null ? `exited with ${code}` : `was stopped by ${signal}`, resolve),
      );
    });
    this.#heartbeat = setInterval(() => this.send({ type: 'heartbeat' }), writerHeartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  /** Writes the image; cancel through `signal` ends it with a `cancelled` failure, never a success. */
  async write(
    request: WriteRequest,
    onProgress: (progress: WriterProgress) => void,
    signal?: AbortSignal,
    onLog: (line: string) => void = () => undefined,
  ): Promise<WriteResult> {
    const onAbort = (): void => this.send({ type: 'cancel' });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const message = await this.#request({ type: 'write', ...request }, onProgress, onLog, () => signal?.aborted === true && onAbort());
      if (message.type !== 'result')
        throw new WorkbenchFailure('internal', 'The writer answered a write with something else.', message.type);
      return { sha256: message.sha256, bytes: message.bytes, verified: message.verified };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Sets up first boot on the card just written; resolves with the files changed in its root filesystem. */
  async configure(
    device: string,
    firstBoot: FirstBootConfig,
    onLog: (line: string) => void,
    onProgress: (progress: WriterProgress) => void = () => undefined,
  ): Promise<string[]> {
    const message = await this.#request({ type: 'configure', device, firstBoot }, onProgress, onLog, () => undefined);
    if (message.type !== 'configured')
      throw new WorkbenchFailure('internal', 'The writer answered a configure with something else.', message.type);
    return message.files;
  }

  /** Closes the writer's stdin, which makes it exit; resolves with its exit status. */
  async close(): Promise<number | null> {
    clearInterval(this.#heartbeat);
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGTERM'), exitWaitMs);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  send(message: AppMessage): void {
    if (this.#exitCode === undefined && this.#child.stdin.writable) this.#child.stdin.write(encodeAppLine(message));
  }

  /** Resolves on the writer's `ready`: after the password prompt when elevated. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#readiness = null;
        void this.close();
        reject(
          new WorkbenchFailure(
            'timeout',
            'The writer did not start: the password prompt was closed or did not appear. Try again, and type your password when asked.',
          ),
        );
      }, timeoutMs);
      this.#readiness = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (failure) => (clearTimeout(timer), reject(failure)),
      };
    });
  }

  #request(message: AppMessage, onProgress: Pending['onProgress'], onLog: Pending['onLog'], afterSend: () => void): Promise<WriterMessage> {
    if (this.#pending !== null) return Promise.reject(new WorkbenchFailure('conflict', 'The writer is busy with another request.'));
    if (this.#exitCode !== undefined) return Promise.reject(this.#stopped());
    return new Promise<WriterMessage>((resolve, reject) => {
      this.#pending = { resolve, reject, onProgress, onLog };
      this.send(message);
      afterSend();
    }).finally(() => {
      this.#pending = null;
    });
  }

  #receive(line: string): void {
    const decoded = decodeWriterLine(line);
    if (!decoded.ok) return this.#pending?.onLog(`[writer] unreadable line: ${decoded.reason}`);
    const message = decoded.message;
    switch (message.type) {
      case 'ready':
        if (message.version !== writerProtocolVersion) {
          return this.#readiness?.reject(
            new WorkbenchFailure(
              'internal',
              `The writer speaks protocol ${message.version}, the app ${writerProtocolVersion}: reinstall the workbench.`,
            ),
          );
        }
        return this.#readiness?.resolve();
      case 'progress':
        return this.#pending?.onProgress(message);
      case 'log':
        return this.#pending?.onLog(message.line);
      case 'error': {
        const failure = new WorkbenchFailure(message.code, message.message, message.detail ?? undefined);
        if (this.#pending !== null) return this.#pending.reject(failure);
        return this.#readiness?.reject(failure);
      }
      default:
        return this.#pending?.resolve(message);
    }
  }

  #onExit(code: number | null, how: string, resolve: (code: number | null) => void): void {
    if (this.#exitCode !== undefined) return;
    this.#exitCode = code;
    clearInterval(this.#heartbeat);
    this.#readiness?.reject(startFailure(code, this.#stderr, how));
    this.#pending?.reject(this.#stopped());
    resolve(code);
  }

  #stopped(): WorkbenchFailure {
    return new WorkbenchFailure(
      'unavailable',
      'The writer stopped unexpectedly: the card may hold part of an image. Write it again.',
      this.#stderr.trim().slice(-2000) || undefined,
    );
  }
}

/** pkexec's exit statuses (126: the prompt was dismissed, 127: not authorised or no agent), else what the writer said. */
function startFailure(code: number | null, stderr: string, how: string): WorkbenchFailure {
  const detail = stderr.trim().slice(-2000) || `The writer ${how}.`;
  if (code === 126)
    return new WorkbenchFailure('auth-failed', 'The password prompt was closed: writing the card needs your password.', detail);
  if (code === 127 && /authentication agent|Not authorized|polkit/i.test(stderr)) {
    return new WorkbenchFailure(
      'auth-failed',
      'The password prompt did not appear (no polkit authentication agent is running), or the password was refused.',
      detail,
    );
  }
  return new WorkbenchFailure('unavailable', `The writer ${how} before it was ready.`, detail);
}
