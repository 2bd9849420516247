import type { DiscoveredPort, DiscoverySource } from '../../shared/discovery.ts';
import { mergePorts } from './merge-ports.ts';

/** One board as discovery sees it: every port that leads to it, merged across sources. */
export interface DiscoveredBoard {
  /** The smallest port key of the group: stable while that port stays. */
  id: string;
  label: string;
  module?: string;
  ports: DiscoveredPort[];
}

export interface AggregatorOptions {
  /** Bursts of add/remove within this window become one notification (Arduino's `fireSoon`); default 100 ms. */
  debounceMs?: number;
}

/**
 * Discovery = adapters + one aggregator (STYLE.md D). Sources report ports;
 * the aggregator keeps each source's view, merges the same key seen by several
 * sources, groups ports of the same board (host key fingerprint, serial
 * number, MAC), and notifies once per burst, only when the result really
 * changed.
 */
export class DiscoveryAggregator {
  readonly #sources: DiscoverySource[];
  readonly #debounceMs: number;
  readonly #bySource = new Map<string, Map<string, DiscoveredPort>>();
  readonly #listeners = new Set<(boards: DiscoveredBoard[]) => void>();
  readonly #disposers: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #boards: DiscoveredBoard[] = [];
  #signature = '[]';
  #running = false;

  constructor(sources: DiscoverySource[], options: AggregatorOptions = {}) {
    this.#sources = [...sources];
    this.#debounceMs = options.debounceMs ?? 100;
  }

  get boards(): DiscoveredBoard[] {
    return this.#boards;
  }

  /** Called after each burst that changed the list; returns a disposer. */
  onDidChange(listener: (boards: DiscoveredBoard[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    for (const source of this.#sources) {
      const ports = new Map<string, DiscoveredPort>();
      this.#bySource.set(source.name, ports);
      this.#disposers.push(
        source.onDidChange((event) => {
          if (event.type === 'add') ports.set(event.port.key, event.port);
          else ports.delete(event.key);
          this.#scheduleFlush();
        }),
      );
    }
    await Promise.all(this.#sources.map((source) => source.start()));
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await Promise.all(this.#sources.map((source) => source.stop()));
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#bySource.clear();
  }

  /** Computes the list now instead of waiting for the debounce (a CLI about to print). */
  flush(): DiscoveredBoard[] {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const boards = mergePorts([...this.#bySource.values()].flatMap((ports) => [...ports.values()]));
    const signature = JSON.stringify(boards);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#boards = boards;
      for (const listener of [...this.#listeners]) listener(boards);
    }
    return this.#boards;
  }

  #scheduleFlush(): void {
    if (this.#timer !== undefined || !this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#debounceMs);
  }
}
