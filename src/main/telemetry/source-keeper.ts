/**
 * Keeps one board's telemetry source running across its link's reconnects.
 * A board that reboots drops the link; the Boards view's SshLink reconnects
 * with back-off, and when it is ready again the same source starts again,
 * feeding the same recorder (the missing stretch is then a gap, by the
 * recorder's gap rule). It gives up only when the link closes for good.
 * A source that ends while its link stays up (the command itself failed)
 * is a failure, but a later reconnect still starts it again: a board
 * shutting down may kill the command before it drops the connection.
 */
import type { BoardLink } from '../link/board-link.ts';
import type { RunningSource } from './sources.ts';

export interface SourceKeeperEvents {
  running(): void;
  /** The board went away; the source starts again when the link is back. */
  waiting(why: string): void;
  failed(why: string): void;
}

export class SourceKeeper {
  readonly #link: BoardLink;
  readonly #start: () => RunningSource;
  readonly #events: SourceKeeperEvents;
  readonly #stopFollowing: () => void;
  #source: RunningSource | null = null;
  #stopped = false;

  constructor(link: BoardLink, start: () => RunningSource, events: SourceKeeperEvents) {
    this.#link = link;
    this.#start = start;
    this.#events = events;
    this.#stopFollowing = link.onDidChangeState((state) => this.#onLinkState(state));
    this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopFollowing();
    await this.#source?.stop();
  }

  #run(): void {
    const source = this.#start();
    this.#source = source;
    this.#events.running();
    source.done.catch((error: unknown) => this.#ended(source, error instanceof Error ? error.message : String(error)));
  }

  #ended(source: RunningSource, why: string): void {
    if (this.#stopped || this.#source !== source) return;
    this.#source = null;
    const state = this.#link.state;
    if (state === 'closed') this.#events.failed(`${why} The connection to the board closed for good.`);
    else if (state === 'ready') this.#events.failed(why);
    else this.#events.waiting(`${why} Telemetry starts again when the board is back.`);
  }

  #onLinkState(state: BoardLink['state']): void {
    if (this.#stopped || this.#source !== null) return;
    if (state === 'ready') this.#run();
    else if (state === 'closed') this.#events.failed('The connection to the board closed for good; telemetry stopped.');
  }
}
