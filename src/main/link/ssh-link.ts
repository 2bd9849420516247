import type { Client } from 'ssh2';
import type {
  AbortSignalLike,
  BoardLink,
  ExecOptions,
  ExecResult,
  LinkCloseReason,
  LinkState,
  TransferOptions,
  TransferResult,
} from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { ConfirmNewHost, KnownHosts } from './known-hosts.ts';
import { endpointOf, openClient, type ConnectSettings, type SshTarget } from './ssh-connect.ts';
import { droppedFailure, notConnectedFailure, type Endpoint } from './ssh-errors.ts';
import { runExec, type ExecAbort } from './ssh-exec.ts';
import { downloadFile, uploadFile } from './sftp-transfer.ts';
import { openShell, type ShellOptions, type ShellSession } from './ssh-shell.ts';

export type { SshTarget } from './ssh-connect.ts';

export interface ReconnectPolicy {
  /** First wait after a drop; doubles each failed try. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Stop trying (and close for good) after this long without a connection. A Jetson reboot takes about a minute. */
  giveUpAfterMs: number;
}

export interface SshLinkOptions {
  knownHosts: KnownHosts;
  /** Shows a new board's fingerprint to the person; without it an unknown board is refused. */
  confirmNewHost?: ConfirmNewHost;
  /** Reconnect with exponential back-off when the connection drops. Off by default. */
  reconnect?: boolean | Partial<ReconnectPolicy>;
  /** Handshake + login limit; default 20 s. */
  readyTimeoutMs?: number;
  /** Keep-alive period; with `keepaliveCountMax` it bounds how long a silently dead link goes unnoticed. Default 5 s. */
  keepaliveIntervalMs?: number;
  /** Default 3. */
  keepaliveCountMax?: number;
  /** Where `SSH_AUTH_SOCK` is read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const defaultReconnect: ReconnectPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, giveUpAfterMs: 5 * 60_000 };

/** Failures that another try cannot fix: retrying would only hammer the board or hide the problem. */
const finalCodes = new Set(['auth-failed', 'host-key-changed', 'forbidden', 'cancelled']);

/**
 * A BoardLink over SSH (ssh2). One connection per board; each command is a
 * session channel on it, each transfer an SFTP session.
 */
export class SshLink implements BoardLink {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly #target: SshTarget;
  readonly #settings: ConnectSettings;
  readonly #reconnect: ReconnectPolicy | undefined;
  readonly #running = new Set<ExecAbort>();
  readonly #closeListeners = new Set<(reason: LinkCloseReason | undefined) => void>();
  readonly #stateListeners = new Set<(state: LinkState) => void>();
  #client: Client | undefined;
  #state: LinkState = 'connecting';
  #closing = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #readyWaiters = new Set<() => void>();

  private constructor(target: SshTarget, options: SshLinkOptions) {
    this.#target = { ...target };
    const endpoint = endpointOf(target);
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.username = target.username;
    this.#settings = {
      knownHosts: options.knownHosts,
      confirmNewHost: options.confirmNewHost,
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 5_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      env: options.env ?? process.env,
    };
    const reconnect = options.reconnect;
    this.#reconnect =
      reconnect === undefined || reconnect === false ? undefined : { ...defaultReconnect, ...(reconnect === true ? {} : reconnect) };
  }

  /** Connects (asking `confirmNewHost` for a board never seen before) and resolves once logged in. */
  static async connect(target: SshTarget, options: SshLinkOptions): Promise<SshLink> {
    const link = new SshLink(target, options);
    link.#adopt(await openClient(link.#target, link.#settings));
    return link;
  }

  get state(): LinkState {
    return this.#state;
  }

  get #endpoint(): Endpoint {
    return { host: this.host, port: this.port, username: this.username };
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const client = await this.#readyClient(options.signal, options.timeoutMs);
    return runExec(client, this.#endpoint, argv, options, this.#running);
  }

  async upload(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return this.#transfer((client, exec) => uploadFile(client, this.#endpoint, exec, localPath, remotePath, options), options);
  }

  async download(remotePath: string, localPath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return this.#transfer((client, exec) => downloadFile(client, this.#endpoint, exec, remotePath, localPath, options), options);
  }

  /** An interactive shell on a pty (the embedded terminal); see ssh-shell.ts. */
  async openShell(options: ShellOptions): Promise<ShellSession> {
    return openShell(await this.#readyClient(undefined, 10_000), options);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#closing = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    if (client !== undefined) {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.end();
      // A board that stopped answering never finishes the goodbye: do not let close() hang on it.
      const force = setTimeout(() => client.destroy(), 2_000);
      await closed;
      clearTimeout(force);
    }
    this.#finish(undefined);
  }

  onDidClose(listener: (reason: LinkCloseReason | undefined) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  onDidChangeState(listener: (state: LinkState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** A transfer is a command too: a dropped connection must fail it, not leave it waiting. */
  async #transfer(
    work: (client: Client, exec: (argv: readonly string[]) => Promise<ExecResult>) => Promise<TransferResult>,
    options: TransferOptions,
  ): Promise<TransferResult> {
    const client = await this.#readyClient(options.signal, undefined);
    return new Promise<TransferResult>((resolve, reject) => {
      const abort: ExecAbort = (failure) => reject(failure);
      this.#running.add(abort);
      work(client, (argv) => runExec(client, this.#endpoint, argv, { signal: options.signal }, this.#running))
        .then(resolve, reject)
        .finally(() => this.#running.delete(abort));
    });
  }

  #adopt(client: Client): void {
    this.#client = client;
    client.on('error', () => {
      // Reported through 'close' below; ssh2 emits 'error' first, which must have a listener.
    });
    client.once('close', () => this.#onDropped(client));
    this.#setState('ready');
    for (const wake of this.#readyWaiters) wake();
  }

  #onDropped(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    const failure = this.#closing
      ? new WorkbenchFailure('cancelled', 'The connection to the board was closed.')
      : droppedFailure(this.#endpoint);
    for (const abort of [...this.#running]) abort(failure);
    if (this.#closing) return;
    if (this.#reconnect === undefined) {
      this.#finish(droppedFailure(this.#endpoint, 'the connection').toError());
      return;
    }
    this.#setState('reconnecting');
    this.#scheduleRetry(0, Date.now());
  }

  #scheduleRetry(attempt: number, droppedAt: number): void {
    const policy = this.#reconnect ?? defaultReconnect;
    const delay = Math.min(policy.initialDelayMs * 2 ** attempt, policy.maxDelayMs);
    this.#retryTimer = setTimeout(() => {
      openClient(this.#target, this.#settings).then(
        (client) => {
          if (this.#closing) client.end();
          else this.#adopt(client);
        },
        (error: unknown) => {
          if (this.#closing) return;
          const failure = error instanceof WorkbenchFailure ? error : droppedFailure(this.#endpoint, 'the connection');
          if (finalCodes.has(failure.code) || Date.now() - droppedAt + delay > policy.giveUpAfterMs) this.#finish(failure.toError());
          else this.#scheduleRetry(attempt + 1, droppedAt);
        },
      );
    }, delay);
  }

  /** Waits through a reconnect (bounded by the caller's signal or timeout) instead of failing at once. */
  async #readyClient(signal: AbortSignalLike | undefined, timeoutMs: number | undefined): Promise<Client> {
    if (this.#client !== undefined && this.#state === 'ready') return this.#client;
    if (this.#state === 'closed' || this.#closing) throw notConnectedFailure(this.#endpoint);
    const limit = timeoutMs ?? this.#reconnect?.giveUpAfterMs ?? 0;
    await new Promise<void>((resolve, reject) => {
      const done = (failure?: WorkbenchFailure): void => {
        this.#readyWaiters.delete(wake);
        disposeClose();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (failure === undefined) resolve();
        else reject(failure);
      };
      const wake = (): void => done();
      const onAbort = (): void => done(new WorkbenchFailure('cancelled', 'The command was cancelled.'));
      const disposeClose = this.onDidClose(() => done(notConnectedFailure(this.#endpoint)));
      const timer = setTimeout(() => done(droppedFailure(this.#endpoint, 'the workbench waited to reconnect')), limit);
      this.#readyWaiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (this.#client === undefined) throw notConnectedFailure(this.#endpoint);
    return this.#client;
  }

  #finish(reason: LinkCloseReason | undefined): void {
    if (this.#state === 'closed') return;
    clearTimeout(this.#retryTimer);
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
