/**
 * How the renderer sees its link to the core, whatever carries it: the
 * WebSocket of the serve shell can drop and come back, Electron's IPC cannot.
 */
export type ConnectionState = 'connecting' | 'connected' | 'lost';

export interface ConnectionMonitor {
  readonly state: ConnectionState;
  onDidChange(listener: (state: ConnectionState) => void): () => void;
}

/** For transports that live as long as the page (Electron IPC, in-memory tests). */
export function alwaysConnected(): ConnectionMonitor {
  return { state: 'connected', onDidChange: () => () => {} };
}

/** A monitor whose state its owner sets; listeners hear only real changes. */
export class ConnectionStateEmitter implements ConnectionMonitor {
  #state: ConnectionState;
  readonly #listeners = new Set<(state: ConnectionState) => void>();

  constructor(initial: ConnectionState) {
    this.#state = initial;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  set(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }

  onDidChange(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
