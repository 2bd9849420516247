import { StringDecoder } from 'node:string_decoder';
import type { BoardLink, ExecOptions, ExecResult, LinkCloseReason, LinkState, TransferResult } from '../../shared/board-link.ts';
import type { WorkbenchFailure } from '../../shared/errors.ts';
import {
  cancelledFailure,
  closedFailure,
  consoleTimeout,
  loginFailure,
  notLoggedInFailure,
  stdinUnsupported,
  transferUnsupported,
  unpluggedFailure,
} from './serial-errors.ts';
import { runFramedCommand, type PendingExec } from './serial-exec.ts';
import { closeSerialPort, openSerialPort, type SerialBinding, type SerialStream } from './serial-port-open.ts';
import { retryWithBackoff, type BackoffPolicy } from './serial-reopen.ts';
import { classifyScreen, screenLimit, type ConsoleStage } from './serial-screen.ts';
import { TerminalCleaner } from './serial-text.ts';

export type { ConsoleStage } from './serial-screen.ts';
export type { SerialBinding } from './serial-port-open.ts';

export interface SerialConsoleOptions {
  /** Default 115200, what every Jetson console uses (jetson-facts.md §4.3). */
  baudRate?: number;
  /** Log in at the `login:` prompt when both are given; otherwise `open` stops at the prompt. */
  user?: string;
  password?: string;
  /** serialport binding; the real one by default, `SerialPortMock.binding` in unit tests. */
  binding?: SerialBinding;
  /** How long output must stay quiet before the screen is judged. Default 300 ms. */
  settleMs?: number;
  /** How long a boot log may scroll before a prompt must show. Default 120 s (a Jetson boot takes about a minute). */
  bootTimeoutMs?: number;
  /** Login limit; PAM waits about 3 s after a wrong password. Default 20 s. */
  loginTimeoutMs?: number;
}

type Settings = Required<Pick<SerialConsoleOptions, 'settleMs' | 'bootTimeoutMs' | 'loginTimeoutMs'>>;

/**
 * A `BoardLink` over a serial console (USB ACM gadget or debug UART): it
 * opens the port 8N1, finds where the console is (boot log, `login:`,
 * `Password:`, a shell, oem-config), logs in and runs one command at a time
 * framed by random markers (serial-framing.ts).
 *
 * What a console cannot do, and says so: stdout and stderr arrive merged on
 * one tty, so `stderr` is always empty and everything is in `stdout` (with
 * ANSI escapes removed and `\r\n` turned into `\n`); no stdin and no sudo
 * password (`unsupported`); no control characters in arguments, since the
 * tty and readline act on them (`unsupported`); no file transfer
 * (`unsupported`: use SSH).
 */
export class SerialConsole implements BoardLink {
  readonly path: string;
  readonly #options: SerialConsoleOptions;
  readonly #settings: Settings;
  readonly #port: SerialStream;
  readonly #decoder = new StringDecoder('utf8');
  readonly #cleaner = new TerminalCleaner();
  readonly #dataListeners = new Set<() => void>();
  readonly #closeListeners = new Set<(reason: LinkCloseReason | undefined) => void>();
  readonly #stateListeners = new Set<(state: LinkState) => void>();
  #screen = '';
  #lastDataAt = 0;
  #stage: ConsoleStage = { kind: 'booting', screen: '' };
  #state: LinkState = 'connecting';
  #closeReason: WorkbenchFailure | undefined;
  #closing = false;
  #pending: PendingExec | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, port: SerialStream, options: SerialConsoleOptions) {
    this.path = path;
    this.#port = port;
    this.#options = { ...options };
    this.#settings = {
      settleMs: options.settleMs ?? 300,
      bootTimeoutMs: options.bootTimeoutMs ?? 120_000,
      loginTimeoutMs: options.loginTimeoutMs ?? 20_000,
    };
    port.on('data', (data: Buffer) => this.#onData(data));
    port.on('error', (error: Error) => this.#onPortClosed(error));
    port.on('close', (error: Error | null) => this.#onPortClosed(error ?? undefined));
  }

  /**
   * Opens the console and brings it to a shell when it can: waits out a boot
   * log, logs in with `user`/`password`. It stops (resolving) at a `login:`
   * prompt without credentials and at oem-config's first-boot questions:
   * `stage` then says where it is and `login()` / `answerFirstBoot()` go on.
   */
  static async open(path: string, options: SerialConsoleOptions = {}): Promise<SerialConsole> {
    const port = await openSerialPort(path, options.baudRate ?? 115_200, options.binding);
    const link = new SerialConsole(path, port, options);
    try {
      await link.#recognise();
      const { user, password } = options;
      if (link.#stage.kind === 'login' && user !== undefined && password !== undefined) await link.login(user, password);
      // Already logged in (autologin, or a session left open): use that shell.
      else if (link.#stage.kind === 'shell') await link.#adoptShell();
    } catch (error) {
      await link.close();
      throw error;
    }
    return link;
  }

  get state(): LinkState {
    return this.#state;
  }

  /** Where the console is: `shell` once logged in, `first-boot` with oem-config's current question, … */
  get stage(): ConsoleStage {
    return this.#stage;
  }

  /** Logs in from a `login:` (or a half-typed `Password:`) prompt; `auth-failed` on "Login incorrect". */
  async login(user: string, password: string): Promise<void> {
    this.#assertOpen();
    if (this.#stage.kind === 'shell') return;
    const limit = this.#settings.loginTimeoutMs;
    // Each step reads the stage the previous one left (a method call, so TypeScript does not keep a stale narrowing).
    if (this.#kind() === 'password') await this.#type('\r', limit, (stage) => stage.kind === 'login');
    if (this.#kind() !== 'login') throw notLoggedInFailure(this.path, this.#kind());
    await this.#type(`${user}\r`, limit, (stage) => stage.kind === 'password' || stage.kind === 'shell');
    if (this.#kind() === 'password') await this.#type(`${password}\r`, limit, (stage) => stage.kind === 'shell' || stage.kind === 'login');
    if (this.#kind() === 'login') throw loginFailure(this.path, user);
    if (this.#kind() !== 'shell') throw consoleTimeout(this.path, 'show a shell prompt after the login', limit);
    await this.#adoptShell();
  }

  /**
   * Leaves the shell (`exit`) once the commands queued before are done, so
   * the console is back at its login prompt: a logged-in shell left on a
   * cable anyone can plug into is an open door.
   */
  async logout(): Promise<void> {
    await this.#queue;
    if (this.#state !== 'ready' || this.#stage.kind !== 'shell') return;
    this.#setState('connecting');
    await this.#type('exit\r', this.#settings.loginTimeoutMs, (stage) => stage.kind === 'login');
  }

  /**
   * Types the student's answer to the current oem-config question and returns
   * the next stage (another question, or `login` once the setup is done).
   */
  async answerFirstBoot(answer: string): Promise<ConsoleStage> {
    this.#assertOpen();
    if (this.#stage.kind !== 'first-boot') throw notLoggedInFailure(this.path, this.#stage.kind);
    // Wait for the next question (a line ending in `:`, `?` or `]`) or the login prompt; "Applying changes..." is not one.
    return this.#type(`${answer}\r`, this.#settings.bootTimeoutMs, (stage) =>
      stage.kind !== 'first-boot' ? stage.kind !== 'booting' : /[:?\]]$/.test(stage.question),
    );
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (options.stdin !== undefined) return Promise.reject(stdinUnsupported('stdin'));
    if (options.sudoPassword !== undefined) return Promise.reject(stdinUnsupported('a sudo password'));
    const run = this.#queue.then(() => this.#execNow(argv, options));
    this.#queue = run.catch(() => undefined);
    const signal = options.signal;
    if (signal === undefined) return run;
    // Cancelled while still queued: answer now; its turn then finds the signal aborted and types nothing.
    return new Promise<ExecResult>((resolve, reject) => {
      const onAbort = (): void => reject(cancelledFailure());
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  upload(localPath: string, remotePath: string): Promise<TransferResult> {
    return Promise.reject(transferUnsupported(`upload ${localPath} → ${remotePath}`));
  }

  download(remotePath: string, localPath: string): Promise<TransferResult> {
    return Promise.reject(transferUnsupported(`download ${remotePath} → ${localPath}`));
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#closing = true;
    await closeSerialPort(this.#port);
    this.#finish(undefined);
  }

  /**
   * After an unplug: polls for the port to come back (trying to open it, with
   * back-off) and resolves with a new console opened with the same options
   * (this one stays closed: `onDidClose` fires once per console). A wrong
   * password or a busy port ends the polling at once.
   */
  reopen(policy: Partial<BackoffPolicy> & { signal?: AbortSignal } = {}): Promise<SerialConsole> {
    return retryWithBackoff(() => SerialConsole.open(this.path, this.#options), policy);
  }

  onDidClose(listener: (reason: LinkCloseReason | undefined) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  onDidChangeState(listener: (state: LinkState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** A prompt-looking line is not proof of a shell: a framed command that answers is. */
  async #adoptShell(): Promise<void> {
    this.#setState('ready');
    try {
      await this.exec(['true'], { timeoutMs: this.#settings.loginTimeoutMs });
    } catch (error) {
      if (this.#state === 'ready') this.#setState('connecting');
      throw error;
    }
  }

  async #execNow(argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
    this.#assertOpen();
    if (this.#state !== 'ready' || this.#stage.kind !== 'shell') throw notLoggedInFailure(this.path, this.#stage.kind);
    const host = {
      path: this.path,
      write: (text: string) => this.#write(text),
      setPending: (pending: PendingExec | null) => (this.#pending = pending),
    };
    const run = runFramedCommand(host, argv, options);
    try {
      return await run.result;
    } finally {
      // After Ctrl-C, let the prompt come back before the next command is typed.
      if (run.interrupted() && this.#state === 'ready') await this.#settle(2_000, (stage) => stage.kind === 'shell');
    }
  }

  /** Waits until the console is somewhere recognisable, poking it with Enter while it stays quiet. */
  async #recognise(): Promise<void> {
    const deadline = Date.now() + this.#settings.bootTimeoutMs;
    // Listen first: a prompt may already be waiting, and Enter at oem-config's first screen would answer it.
    await this.#settle(Math.max(this.#settings.settleMs * 2, 600), () => true);
    for (;;) {
      const kind = this.#stage.kind;
      if (kind === 'shell' || kind === 'login' || kind === 'first-boot') return;
      const left = deadline - Date.now();
      if (left <= 0) throw consoleTimeout(this.path, 'show a login prompt', this.#settings.bootTimeoutMs);
      const quiet = Date.now() - this.#lastDataAt >= this.#settings.settleMs;
      if (kind === 'password') await this.#type('\r', Math.min(left, this.#settings.loginTimeoutMs), (stage) => stage.kind !== 'password');
      else if (kind === 'continuation') await this.#type('\x03', Math.min(left, 3_000), (stage) => stage.kind !== 'continuation');
      else if (quiet) await this.#type('\r', Math.min(left, 3_000), (stage) => stage.kind !== 'booting');
      else await this.#settle(Math.min(left, 3_000), (stage) => stage.kind !== 'booting');
    }
  }

  /** Types `text` and waits for a settled screen that `accept`s (or `limitMs`); judges only what came after. */
  async #type(text: string, limitMs: number, accept: (stage: ConsoleStage) => boolean): Promise<ConsoleStage> {
    this.#screen = '';
    this.#write(text);
    return this.#settle(limitMs, accept);
  }

  /**
   * Resolves with the stage once the output has been quiet for `settleMs`
   * and `accept` agrees, or with the latest judgement after `limitMs`.
   */
  #settle(limitMs: number, accept: (stage: ConsoleStage) => boolean): Promise<ConsoleStage> {
    return new Promise((resolve) => {
      let quietTimer: NodeJS.Timeout | undefined;
      const judge = (): boolean => {
        this.#stage = classifyScreen(this.#screen, this.#stage.kind === 'first-boot');
        return accept(this.#stage);
      };
      const done = (): void => {
        clearTimeout(quietTimer);
        clearTimeout(limitTimer);
        this.#dataListeners.delete(onData);
        this.#closeListeners.delete(onClose);
        resolve(this.#stage);
      };
      const arm = (): void => {
        clearTimeout(quietTimer);
        quietTimer = setTimeout(() => {
          if (judge()) done();
        }, this.#settings.settleMs);
      };
      const onData = (): void => arm();
      const onClose = (): void => done();
      const limitTimer = setTimeout(() => {
        judge();
        done();
      }, limitMs);
      this.#dataListeners.add(onData);
      this.#closeListeners.add(onClose);
      arm();
    });
  }

  #onData(data: Buffer): void {
    const text = this.#cleaner.push(this.#decoder.write(data));
    this.#lastDataAt = Date.now();
    this.#screen = (this.#screen + text).slice(-screenLimit);
    if (this.#pending?.feed(text)) {
      this.#stage = { kind: 'shell', prompt: this.#stage.kind === 'shell' ? this.#stage.prompt : '', screen: '' };
    }
    for (const listener of [...this.#dataListeners]) listener();
  }

  #onPortClosed(error: Error | undefined): void {
    if (this.#state === 'closed') return;
    const reason = this.#closing ? undefined : unpluggedFailure(this.path, error?.message);
    this.#closeReason = reason ?? closedFailure(this.path);
    this.#pending?.fail(this.#closeReason);
    if (this.#port.isOpen) this.#port.close(() => undefined);
    this.#finish(reason?.toError());
  }

  #kind(): ConsoleStage['kind'] {
    return this.#stage.kind;
  }

  #write(text: string): void {
    if (this.#state !== 'closed') this.#port.write(text);
  }

  #assertOpen(): void {
    if (this.#state === 'closed') throw this.#closeReason ?? closedFailure(this.path);
  }

  #finish(reason: LinkCloseReason | undefined): void {
    if (this.#state === 'closed') return;
    this.#closeReason ??= closedFailure(this.path);
    this.#pending?.fail(this.#closeReason);
    this.#setState('closed');
    for (const listener of [...this.#closeListeners]) listener(reason);
    this.#closeListeners.clear();
  }

  #setState(state: LinkState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) listener(state);
  }
}
