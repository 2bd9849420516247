/**
 * Connecting to the boards of the inventory: one SshLink per connected board,
 * host keys trusted on first use (<data>/known-hosts.json), passwords in
 * memory only, the workbench key installed on request, identification after
 * each connection, and the card's live power reading.
 *
 * Questions for the person are answers, not waits: `connect` returns
 * `host-key-unknown` (with the fingerprint to show) or `password-needed`, and
 * the UI calls `trustHostKey` or `connect` again. Nothing in main waits on a
 * window that may have closed, and no handshake times out while a student
 * reads a fingerprint.
 */
import { join } from 'node:path';
import type { BoardDetails, BoardState, BoardSummary, ConnectOutcome } from '../../shared/boards-contract.ts';
import type { BoardLink } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { ensureWorkbenchKey, installPublicKey } from '../link/keys.ts';
import type { PasswordCache, PasswordKey } from '../link/passwords.ts';
import { SshLink } from '../link/ssh-link.ts';
import type { ShellOptions, ShellSession } from '../link/ssh-shell.ts';
import type { BoardInventory, StoredBoard } from './inventory.ts';
import type { ObservedKnownHosts } from './observed-known-hosts.ts';
import { followInputPower } from './power-reading.ts';

/** A connected board's link, with the pty shell the terminal needs. */
export interface ConnectedLink extends BoardLink {
  openShell(options: ShellOptions): Promise<ShellSession>;
}

export interface BoardConnectionsOptions {
  inventory: BoardInventory;
  knownHosts: ObservedKnownHosts;
  passwords: PasswordCache;
  /** Where the workbench key pair lives (`<data>/ssh`). */
  keyFolder: string;
  /** Identification over a link; the identify service in the app. */
  identify: (link: BoardLink) => Promise<BoardFacts>;
  /** The card's live power reading; the tegrastats follower by default. */
  followPower?: (link: BoardLink, onWatts: (watts: number | null) => void) => () => void;
  readyTimeoutMs?: number;
  now?: () => number;
}

interface Live {
  state: BoardState;
  link?: ConnectedLink;
  powerW: number | null;
  identifying: boolean;
  stop: Array<() => void>;
}

export class BoardConnections {
  readonly #options: BoardConnectionsOptions;
  readonly #live = new Map<string, Live>();
  readonly #listeners = new Set<() => void>();
  readonly #now: () => number;

  constructor(options: BoardConnectionsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  summaries(): BoardSummary[] {
    return this.#options.inventory.list().map((board) => this.#summary(board));
  }

  summary(id: string): BoardSummary {
    return this.#summary(this.#options.inventory.require(id));
  }

  details(id: string): BoardDetails {
    const board = this.#options.inventory.require(id);
    return { ...this.#summary(board), facts: board.facts, identifiedAt: board.identifiedAt };
  }

  /** The link of a connected board, for the terminal and other services; throws when offline. */
  link(id: string): ConnectedLink {
    const link = this.#live.get(id)?.link;
    if (link === undefined) throw new WorkbenchFailure('unavailable', 'Connect to the board first.', id);
    return link;
  }

  /** The login password typed for this board this session (kept in memory only), for `sudo -S`. */
  async loginPassword(id: string): Promise<string | undefined> {
    return this.#options.passwords.get(passwordKeyOf(this.#options.inventory.require(id)));
  }

  /** Keeps what a fresh identification found (a benchmark's, an install's) on the board's card. */
  rememberFacts(id: string, facts: BoardFacts): void {
    if (this.#options.inventory.get(id) !== undefined) this.#options.inventory.update(id, { facts, identifiedAt: this.#now() });
  }

  async connect(id: string, password?: string): Promise<ConnectOutcome> {
    const board = this.#options.inventory.require(id);
    const live = this.#live.get(id);
    if (live?.link !== undefined) return { status: 'connected', board: this.#summary(board) };
    if (live?.state === 'connecting') throw new WorkbenchFailure('conflict', 'The workbench is already connecting to this board.', id);
    const key = passwordKeyOf(board);
    if (password !== undefined) await this.#options.passwords.set(key, password);
    const tried = await this.#options.passwords.get(key);
    this.#setLive(id, { state: 'connecting', powerW: null, identifying: false, stop: [] });
    const knownHosts = this.#options.knownHosts;
    knownHosts.clearVerdict(board.host, board.port);
    let link: SshLink;
    try {
      link = await SshLink.connect(
        { host: board.host, port: board.port, username: board.user, password: tried, identityFiles: [this.#keyPath()] },
        { knownHosts, confirmNewHost: async () => false, reconnect: true, readyTimeoutMs: this.#options.readyTimeoutMs ?? 15_000 },
      );
    } catch (error) {
      this.#live.delete(id);
      this.#changed();
      return this.#refusal(board, key, tried, error);
    }
    this.#adopt(board, link);
    return { status: 'connected', board: this.summary(id) };
  }

  async disconnect(id: string): Promise<BoardSummary> {
    const live = this.#live.get(id);
    this.#live.delete(id);
    if (live !== undefined) {
      for (const stop of live.stop) stop();
      await live.link?.close();
      this.#changed();
    }
    return this.summary(id);
  }

  /** Trusts the key the board offered at the last attempt: first use, or "I re-flashed this board". */
  async trustHostKey(id: string, fingerprint: string): Promise<BoardSummary> {
    const board = this.#options.inventory.require(id);
    const verdict = this.#options.knownHosts.lastVerdict(board.host, board.port);
    if (verdict === undefined || verdict.kind === 'trusted' || verdict.fingerprint !== fingerprint) {
      throw new WorkbenchFailure(
        'conflict',
        'This is not the key the board showed at the last connection attempt; connect again to see its key.',
        fingerprint,
      );
    }
    if (verdict.kind === 'unknown') await this.#options.knownHosts.remember(board.host, board.port, verdict.keyType, fingerprint);
    else await this.#options.knownHosts.trustNewKey(board.host, board.port, fingerprint, verdict.keyType);
    this.#options.knownHosts.clearVerdict(board.host, board.port);
    this.#options.inventory.update(id, { fingerprint });
    return this.summary(id);
  }

  /** Installs the workbench key on a connected board (like ssh-copy-id): the next connection needs no password. */
  async installKey(id: string): Promise<{ added: boolean; fingerprint: string }> {
    const link = this.link(id);
    const key = await ensureWorkbenchKey(this.#options.keyFolder);
    const { added } = await installPublicKey(link, key.publicKeyLine);
    this.#options.inventory.update(id, { keyInstalled: true });
    return { added, fingerprint: key.fingerprint };
  }

  async remove(id: string, forgetKey: boolean): Promise<boolean> {
    const board = this.#options.inventory.get(id);
    if (board === undefined) return false;
    await this.disconnect(id);
    this.#options.inventory.remove(id);
    await this.#options.passwords.forget(passwordKeyOf(board));
    if (forgetKey) await this.#options.knownHosts.forget(board.host, board.port);
    return true;
  }

  onDidChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#live.keys()].map((id) => this.disconnect(id).catch(() => undefined)));
    this.#listeners.clear();
  }

  #keyPath(): string {
    return join(this.#options.keyFolder, 'id_ed25519');
  }

  async #refusal(board: StoredBoard, key: PasswordKey, tried: string | undefined, error: unknown): Promise<ConnectOutcome> {
    const verdict = this.#options.knownHosts.lastVerdict(board.host, board.port);
    if (verdict?.kind === 'unknown') return { status: 'host-key-unknown', keyType: verdict.keyType, fingerprint: verdict.fingerprint };
    if (verdict?.kind === 'changed') {
      return {
        status: 'host-key-changed',
        knownFingerprint: verdict.known.fingerprint,
        offeredFingerprint: verdict.fingerprint,
        trustedSince: verdict.known.firstSeen,
      };
    }
    if (error instanceof WorkbenchFailure && error.code === 'auth-failed') {
      // A refused password must not be offered again.
      if (tried !== undefined) await this.#options.passwords.forget(key);
      return { status: 'password-needed', rejected: tried !== undefined };
    }
    throw error;
  }

  #adopt(board: StoredBoard, link: SshLink): void {
    const id = board.id;
    const live: Live = { state: 'online', link, powerW: null, identifying: true, stop: [] };
    this.#live.set(id, live);
    live.stop.push(
      link.onDidChangeState((state) => {
        if (this.#live.get(id) !== live) return;
        live.state = state === 'reconnecting' ? 'reconnecting' : state === 'ready' ? 'online' : live.state;
        this.#changed();
      }),
      link.onDidClose(() => {
        if (this.#live.get(id) !== live) return;
        for (const stop of live.stop) stop();
        this.#live.delete(id);
        this.#changed();
      }),
    );
    void this.#options.knownHosts.get(board.host, board.port).then((known) => {
      this.#options.inventory.update(id, { lastSeen: this.#now(), fingerprint: known?.fingerprint ?? board.fingerprint });
    });
    this.#identify(id, live, link);
    const follow = this.#options.followPower ?? followInputPower;
    live.stop.push(
      follow(link, (watts) => {
        if (this.#live.get(id) !== live || live.powerW === watts) return;
        live.powerW = watts;
        this.#changed();
      }),
    );
    this.#changed();
  }

  #identify(id: string, live: Live, link: BoardLink): void {
    this.#options
      .identify(link)
      .then(
        (facts) => this.rememberFacts(id, facts),
        () => undefined, // The card keeps the facts of the last identification; the next connection tries again.
      )
      .finally(() => {
        live.identifying = false;
        if (this.#live.get(id) === live) this.#changed();
      });
  }

  #summary(board: StoredBoard): BoardSummary {
    const live = this.#live.get(board.id);
    return {
      id: board.id,
      name: board.name,
      notes: board.notes,
      host: board.host,
      port: board.port,
      user: board.user,
      state: live?.state ?? 'offline',
      fingerprint: board.fingerprint,
      lastSeen: board.lastSeen,
      module: board.facts?.module ?? null,
      jetpack: board.facts?.jetpack ?? null,
      frameworks: board.facts?.frameworks.map((framework) => framework.name) ?? null,
      powerW: live?.powerW ?? null,
      demoId: board.demoId,
      keyInstalled: board.keyInstalled,
      identifying: live?.identifying ?? false,
    };
  }

  #setLive(id: string, live: Live): void {
    this.#live.set(id, live);
    this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

function passwordKeyOf(board: StoredBoard): PasswordKey {
  return { username: board.user, host: board.host, port: board.port };
}
