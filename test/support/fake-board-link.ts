/**
 * A BoardLink with no board behind it, for tests that script what a board
 * prints: each command goes to the test's `run`, which may stream output
 * (`streamUntilStopped`) the way a long remote command does. `drop()` and
 * `reconnect()` play a reboot as SshLink shows it (running commands fail,
 * the state goes `reconnecting`, then `ready`); `close()` ends it for good.
 */
import type { BoardLink, ExecOptions, ExecResult, LinkCloseReason, LinkState, TransferResult } from '../../src/shared/board-link.ts';
import { WorkbenchFailure } from '../../src/shared/errors.ts';

export type FakeCommand = (argv: readonly string[], options: ExecOptions, link: FakeBoardLink) => Promise<ExecResult>;

export class FakeBoardLink implements BoardLink {
  readonly commands: string[][] = [];
  #state: LinkState = 'ready';
  readonly #run: FakeCommand;
  readonly #running = new Set<(failure: WorkbenchFailure) => void>();
  readonly #stateListeners = new Set<(state: LinkState) => void>();
  readonly #closeListeners = new Set<(reason: LinkCloseReason | undefined) => void>();

  constructor(run: FakeCommand) {
    this.#run = run;
  }

  get state(): LinkState {
    return this.#state;
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.#state !== 'ready') return Promise.reject(new WorkbenchFailure('unavailable', 'The board is not connected.'));
    this.commands.push([...argv]);
    return new Promise<ExecResult>((resolve, reject) => {
      const fail = (failure: WorkbenchFailure): void => reject(failure);
      this.#running.add(fail);
      this.#run(argv, options, this)
        .then(resolve, reject)
        .finally(() => this.#running.delete(fail));
    });
  }

  upload(): Promise<TransferResult> {
    return Promise.reject(new Error('the fake board takes no files'));
  }

  download(): Promise<TransferResult> {
    return Promise.reject(new Error('the fake board gives no files'));
  }

  /** The board went away: running commands fail as SshLink fails them, and the link tries to reconnect. */
  drop(): void {
    for (const fail of [...this.#running])
      fail(new WorkbenchFailure('unavailable', 'The board stopped answering while the command was running.'));
    this.#setState('reconnecting');
  }

  reconnect(): void {
    this.#setState('ready');
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    for (const fail of [...this.#running]) fail(new WorkbenchFailure('cancelled', 'The connection to the board was closed.'));
    this.#setState('closed');
    for (const listener of [...this.#closeListeners]) listener(undefined);
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
    for (const listener of [...this.#stateListeners]) listener(state);
  }
}

/** A command that exits at once with `stdout`. */
export function answer(stdout: string, code = 0): Promise<ExecResult> {
  return Promise.resolve({ code, stdout, stderr: '' });
}

/**
 * A long command: `produce` writes chunks (yielding to the event loop between them, as a socket
 * does), then the command runs until it is aborted, which rejects it as SshLink does.
 */
export function streamUntilStopped(
  options: ExecOptions,
  produce: (write: (chunk: string) => Promise<void>) => Promise<void>,
): Promise<ExecResult> {
  const write = async (chunk: string): Promise<void> => {
    if (options.signal?.aborted) return;
    options.onStdout?.(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return new Promise<ExecResult>((resolve, reject) => {
    const stop = (): void => reject(new WorkbenchFailure('cancelled', 'The command was cancelled.'));
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    produce(write).catch(reject);
  });
}
