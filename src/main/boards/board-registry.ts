/**
 * The one place a `BoardRef` becomes a connection. Telemetry, benchmarks,
 * install (and later flash, the lab path, the cluster) ask for a lease and
 * give it back; none of them resolves addresses, trusts keys or knows a
 * simulated board's password.
 *
 * - An inventory board is opened through the Boards view's connection
 *   (`BoardConnections`): a connected board lends its link; a simulated one
 *   is connected on the spot (its host key is the one the simulator
 *   announced); any other must be connected in the Boards view first when it
 *   needs a question answered (a password, a new host key).
 * - A simulated board's ref resolves to its inventory entry (same id).
 * - An address opens its own link under the registry's trust policy: the app
 *   trusts only known keys (new boards are confirmed in the Boards view), the
 *   command line trusts on first use and says so.
 */
import { join } from 'node:path';
import type { DemoBoard } from '../../shared/api.ts';
import type { BoardLink } from '../../shared/board-link.ts';
import { boardKey, type BoardRef } from '../../shared/boards/board-ref.ts';
import { ConcurrencyLimit } from '../../shared/concurrency-limit.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { identify } from '../identify/identify.ts';
import { ensureWorkbenchKey, type WorkbenchKey } from '../link/keys.ts';
import type { NewHostRequest } from '../link/known-hosts.ts';
import { PasswordCache } from '../link/passwords.ts';
import { SshLink } from '../link/ssh-link.ts';
import type { KeyValueStore } from '../store/settings.ts';
import { BoardConnections } from './connections.ts';
import { BoardInventory, type StoredBoard } from './inventory.ts';
import { ObservedKnownHosts } from './observed-known-hosts.ts';

/** A board opened for one piece of work; `release` gives it back (closing only a link the lease opened). */
export interface BoardLease {
  readonly key: string;
  /** The board's name as people know it (never an internal id). */
  readonly label: string;
  readonly simulated: boolean;
  readonly link: BoardLink;
  /** For `sudo -S` (nvpmodel, apt): a simulated board's password, the address's, or the login password typed this session. */
  readonly sudoPassword: string | undefined;
  /** The board identified as `jwb info` does, once per lease. */
  facts(): Promise<BoardFacts>;
  release(): Promise<void>;
}

/** What a board is called before (or without) connecting to it. */
export interface BoardName {
  key: string;
  label: string;
  simulated: boolean;
}

/** `known-only`: the app (a new board is confirmed in the Boards view); `on-first-use`: the command line. */
export type TrustPolicy = { kind: 'known-only' } | { kind: 'on-first-use'; onNewHost(request: NewHostRequest): void };

export interface BoardRegistryOptions {
  /** The settings store, where the inventory lives. */
  store: KeyValueStore;
  /** The data folder: `known-hosts.json` and the workbench key (`ssh/`) live there. */
  dataDir: string;
  simulated: { list(): DemoBoard[] };
  trust: TrustPolicy;
  /** Identification over a link; `identify` (src/main/identify) by default. */
  identify?(link: BoardLink): Promise<BoardFacts>;
}

export class BoardRegistry {
  readonly inventory: BoardInventory;
  readonly connections: BoardConnections;
  readonly #simulated: BoardRegistryOptions['simulated'];
  readonly #trust: TrustPolicy;
  readonly #knownHosts: ObservedKnownHosts;
  readonly #keyFolder: string;
  readonly #identify: (link: BoardLink) => Promise<BoardFacts>;
  /**
   * A lab scan identifies a hundred boards at once: unbounded, their handshakes and scripts fought for
   * two cores and some timed out (issue 16: 4 of 384 on a busy machine). Bounded, each gets its turn.
   */
  readonly #reaching = new ConcurrencyLimit(16);
  readonly #identifying = new ConcurrencyLimit(8);

  constructor(options: BoardRegistryOptions) {
    this.#simulated = options.simulated;
    this.#trust = options.trust;
    const run = options.identify ?? ((link: BoardLink) => identify(link));
    this.#identify = (link) => this.#identifying.run(() => run(link));
    this.#keyFolder = join(options.dataDir, 'ssh');
    // One KnownHosts for every SSH path: two objects on one file would each write back their own copy and undo the other's trusts.
    this.#knownHosts = new ObservedKnownHosts(join(options.dataDir, 'known-hosts.json'));
    this.inventory = new BoardInventory(options.store);
    this.connections = new BoardConnections({
      inventory: this.inventory,
      knownHosts: this.#knownHosts,
      passwords: new PasswordCache(),
      keyFolder: this.#keyFolder,
      identify: this.#identify,
    });
  }

  dispose(): Promise<void> {
    return this.connections.dispose();
  }

  /** The board's key and name without connecting; unknown ids fail with `not-found`. */
  /** The workbench's own SSH key (created on first use): what a pre-configured first boot installs on a board. */
  workbenchKey(): Promise<WorkbenchKey> {
    return ensureWorkbenchKey(this.#keyFolder);
  }

  name(ref: BoardRef): BoardName {
    if (ref.kind === 'address') {
      const stored = this.#storedAt(ref.host, ref.port, ref.user);
      if (stored !== undefined) return this.#nameOf(stored);
      return { key: boardKey(ref), label: boardKey(ref), simulated: this.#simulatedAt(ref.host, ref.port) !== undefined };
    }
    const stored = this.#find(ref);
    if (stored !== undefined) return this.#nameOf(stored);
    const simulated = this.#simulatedBoard(ref);
    return { key: simulated.id, label: simulated.name, simulated: true };
  }

  async open(ref: BoardRef): Promise<BoardLease> {
    if (ref.kind !== 'address') {
      const stored = this.#find(ref);
      if (stored !== undefined) return this.#openStored(stored);
      // A simulated board the inventory has not mirrored yet (it is about to): reach it at its address.
      const simulated = this.#simulatedBoard(ref);
      const { host, port, user, password } = simulated;
      return { ...(await this.#openAddress({ kind: 'address', host, port, user, password })), key: simulated.id, label: simulated.name };
    }
    const stored = this.#storedAt(ref.host, ref.port, ref.user);
    if (stored !== undefined && this.connections.summary(stored.id).state === 'online') return this.#openStored(stored);
    return this.#openAddress(ref);
  }

  async #openAddress(ref: Extract<BoardRef, { kind: 'address' }>): Promise<BoardLease> {
    const link = await this.#connectAddress(ref);
    const lease = this.#lease(this.name(ref), link, ref.password ?? this.#simulatedAt(ref.host, ref.port)?.password, () => link.close());
    try {
      // An address says nothing of what answers it: the identification tells a simulated board (`jwb sim`) from a real one.
      return { ...lease, simulated: lease.simulated || (await lease.facts()).simulated };
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  /**
   * Identifies the board now (`jwb info`): its facts and the host key it is trusted with. A board that
   * timed out or dropped is tried once more (a busy moment, not an answer); a refusal is not retried.
   */
  identify(ref: BoardRef): Promise<{ facts: BoardFacts; hostKeyFingerprint: string | null; hostKeyType: string | null }> {
    return this.#reaching.run(() =>
      this.#identifyOnce(ref).catch((error: unknown) => {
        if (error instanceof WorkbenchFailure && (error.code === 'timeout' || error.code === 'unavailable')) return this.#identifyOnce(ref);
        throw error;
      }),
    );
  }

  async #identifyOnce(ref: BoardRef): Promise<{ facts: BoardFacts; hostKeyFingerprint: string | null; hostKeyType: string | null }> {
    const lease = await this.open(ref);
    try {
      const facts = await lease.facts();
      const where = ref.kind === 'address' ? ref : (this.#find(ref) ?? this.#simulatedBoard(ref));
      const known = await this.#knownHosts.get(where.host, where.port);
      return { facts, hostKeyFingerprint: known?.fingerprint ?? null, hostKeyType: known?.keyType ?? null };
    } finally {
      await lease.release();
    }
  }

  /** The facts the Boards view keeps for an inventory board (it may be offline); null for an address. */
  storedFacts(ref: BoardRef): BoardFacts | null {
    return ref.kind === 'address' ? null : (this.#find(ref)?.facts ?? null);
  }

  #find(ref: Exclude<BoardRef, { kind: 'address' }>): StoredBoard | undefined {
    if (ref.kind === 'inventory') return this.inventory.require(ref.id);
    return this.inventory.list().find((board) => board.id === ref.id || board.demoId === ref.id);
  }

  #simulatedBoard(ref: Exclude<BoardRef, { kind: 'address' }>): DemoBoard {
    const simulated = this.#simulated.list().find((board) => board.id === ref.id);
    if (simulated === undefined) throw new WorkbenchFailure('not-found', 'There is no such simulated board.', ref.id);
    return simulated;
  }

  #storedAt(host: string, port: number, user: string): StoredBoard | undefined {
    const wanted = host.toLowerCase();
    return this.inventory.list().find((board) => board.host === wanted && board.port === port && board.user === user);
  }

  #simulatedAt(host: string, port: number): DemoBoard | undefined {
    return this.#simulated.list().find((board) => board.host === host && board.port === port);
  }

  #simulatedOf(stored: StoredBoard): DemoBoard | undefined {
    return stored.demoId === null ? undefined : this.#simulated.list().find((board) => board.id === stored.demoId);
  }

  #nameOf(stored: StoredBoard): BoardName {
    return { key: stored.id, label: stored.name, simulated: stored.demoId !== null };
  }

  async #openStored(stored: StoredBoard): Promise<BoardLease> {
    const connections = this.connections;
    const simulated = this.#simulatedOf(stored);
    if (connections.summary(stored.id).state !== 'online') await this.#connectStored(stored, simulated);
    const password = simulated?.password ?? (await connections.loginPassword(stored.id));
    // The Boards view holds this connection: the lease borrows it and never closes it.
    return this.#lease(
      this.#nameOf(stored),
      connections.link(stored.id),
      password,
      async () => undefined,
      (facts) => connections.rememberFacts(stored.id, facts),
    );
  }

  async #connectStored(stored: StoredBoard, simulated: DemoBoard | undefined): Promise<void> {
    const connections = this.connections;
    let outcome = await connections.connect(stored.id, simulated?.password);
    if (outcome.status === 'host-key-unknown' && simulated !== undefined && outcome.fingerprint === simulated.fingerprint) {
      // The simulator told us this key when it started the board: nothing for a person to check.
      await connections.trustHostKey(stored.id, outcome.fingerprint);
      outcome = await connections.connect(stored.id, simulated.password);
    }
    if (outcome.status === 'connected') return;
    const why =
      outcome.status === 'password-needed'
        ? 'it needs its password'
        : outcome.status === 'host-key-unknown'
          ? 'its host key must be confirmed first'
          : 'its host key changed since it was trusted';
    throw new WorkbenchFailure('unavailable', `Connect to ${stored.name} in the Boards view first: ${why}.`, stored.id);
  }

  async #connectAddress(ref: Extract<BoardRef, { kind: 'address' }>): Promise<SshLink> {
    const trust = this.#trust;
    const simulated = this.#simulatedAt(ref.host, ref.port);
    return SshLink.connect(
      {
        host: ref.host,
        port: ref.port,
        username: ref.user,
        password: ref.password ?? simulated?.password,
        identityFiles: [...(ref.identityFiles ?? []), join(this.#keyFolder, 'id_ed25519')],
      },
      {
        knownHosts: this.#knownHosts,
        confirmNewHost: async (request) => {
          if (simulated !== undefined && request.fingerprint === simulated.fingerprint) return true;
          if (trust.kind !== 'on-first-use') return false;
          trust.onNewHost(request);
          return true;
        },
      },
    );
  }

  #lease(
    name: BoardName,
    link: BoardLink,
    sudoPassword: string | undefined,
    close: () => Promise<void>,
    remember: (facts: BoardFacts) => void = () => undefined,
  ): BoardLease {
    let facts: Promise<BoardFacts> | undefined;
    let released = false;
    return {
      ...name,
      link,
      sudoPassword,
      facts: () => {
        facts ??= this.#identify(link).then((found) => (remember(found), found));
        return facts;
      },
      release: async () => {
        if (released) return;
        released = true;
        await close();
      },
    };
  }
}
