/**
 * The writer's side of the protocol (src/shared/writer-protocol.ts): nothing
 * happens before a `hello` with the right token; then one operation at a
 * time, `cancel` stopping it at its next chunk. `configure` is allowed only
 * on a drive this session has just written, so the root process never mounts
 * and edits a disk it was not asked to erase.
 */
import { timingSafeEqual } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import type { AppMessage, WriterMessage } from '../shared/writer-protocol.ts';
import { decodeAppLine, writerProtocolVersion } from '../shared/writer-protocol.ts';
import type { FirstBootConfig } from '../shared/flash/first-boot.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { configureCard } from './configure.ts';
import type { InvokingUser } from './invoking-user.ts';
import { checkTarget } from './target-check.ts';
import { writeImage } from './write-image.ts';

export interface SessionOptions {
  /** The token the writer was started with. */
  token: string;
  user: InvokingUser | null;
  send(message: WriterMessage): void;
  /** The app is not who it says: stop the process. */
  refuse(): void;
}

interface Operation {
  controller: AbortController;
  done: Promise<void>;
}

export class WriterSession {
  readonly #options: SessionOptions;
  #greeted = false;
  #operation: Operation | null = null;
  /** Drives written in this session, with their size: the only ones `configure` may touch. */
  readonly #written = new Map<string, number>();

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  receiveLine(line: string): void {
    const decoded = decodeAppLine(line);
    if (!decoded.ok) {
      this.#fail(new WorkbenchFailure('invalid-request', 'The writer received a line it does not understand.', decoded.reason));
      if (!this.#greeted) this.#options.refuse();
      return;
    }
    this.#receive(decoded.message);
  }

  /** Cancels what runs and waits until its files and the drive are closed. */
  async stop(): Promise<void> {
    const operation = this.#operation;
    if (operation === null) return;
    operation.controller.abort();
    await operation.done;
  }

  #receive(message: AppMessage): void {
    if (message.type === 'hello') return this.#hello(message.token);
    if (!this.#greeted) {
      this.#fail(new WorkbenchFailure('forbidden', 'The writer needs hello with its token first.'));
      return this.#options.refuse();
    }
    if (message.type === 'heartbeat') return;
    if (message.type === 'cancel') return void this.#operation?.controller.abort();
    if (this.#operation !== null)
      return this.#fail(new WorkbenchFailure('conflict', 'The writer is busy: one write or configure at a time.'));
    if (message.type === 'write') return this.#run((signal) => this.#write(message, signal));
    return this.#run(() => this.#configure(message.device, message.firstBoot));
  }

  #hello(token: string): void {
    const expected = Buffer.from(this.#options.token);
    const given = Buffer.from(token);
    if (this.#greeted || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      this.#fail(new WorkbenchFailure('forbidden', 'The writer was greeted with the wrong token.'));
      return this.#options.refuse();
    }
    this.#greeted = true;
    this.#options.send({ type: 'ready', version: writerProtocolVersion });
  }

  #run(operation: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const done = operation(controller.signal)
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        this.#operation = null;
      });
    this.#operation = { controller, done };
  }

  async #write(command: Extract<AppMessage, { type: 'write' }>, signal: AbortSignal): Promise<void> {
    const outcome = await writeImage(command, {
      user: this.#options.user,
      signal,
      progress: (progress) => this.#options.send({ type: 'progress', ...progress }),
      log: (line) => this.#log(line),
    });
    this.#written.set(outcome.device, command.expectedSize);
    this.#options.send({ type: 'result', sha256: outcome.sha256, bytes: outcome.bytes, verified: outcome.verified });
  }

  async #configure(device: string, config: FirstBootConfig): Promise<void> {
    const path = await realpath(device).catch(() => device);
    const size = this.#written.get(path);
    if (size === undefined)
      throw new WorkbenchFailure(
        'forbidden',
        `${device} was not written in this session: the writer configures only a card it has just written.`,
      );
    // The same checks as before the write: the card may have been swapped for another since.
    await checkTarget(path, size, null);
    this.#options.send({ type: 'progress', phase: 'configuring', bytes: 0, totalBytes: null, speed: 0, eta: null });
    const files = await configureCard(path, config, (line) => this.#log(line));
    this.#options.send({ type: 'configured', files });
  }

  #log(line: string): void {
    this.#options.send({ type: 'log', line });
  }

  #fail(error: unknown): void {
    const failure =
      error instanceof WorkbenchFailure
        ? error
        : new WorkbenchFailure('internal', 'The writer failed.', error instanceof Error ? error.message : String(error));
    // Within the protocol's caps: a tool's long stderr must not turn the error into a line the app refuses.
    const detail = failure.detail === undefined ? null : failure.detail.slice(0, 8000);
    this.#options.send({ type: 'error', code: failure.code, message: failure.message.slice(0, 2000), detail });
  }
}
