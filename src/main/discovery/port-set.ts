import type { DiscoveredPort, DiscoveryEvent, DiscoverySource } from '../../shared/discovery.ts';

/**
 * The ports one source currently sees, and its listeners. Polling sources
 * hand it a whole new list (`replaceAll`) and it emits only the differences;
 * event-driven sources call `add`/`remove` directly.
 */
export class PortSet {
  readonly #ports = new Map<string, DiscoveredPort>();
  readonly #listeners = new Set<(event: DiscoveryEvent) => void>();

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  list(): DiscoveredPort[] {
    return [...this.#ports.values()];
  }

  get(key: string): DiscoveredPort | undefined {
    return this.#ports.get(key);
  }

  /** A repeated add with different content replaces the old entry (and is announced again). */
  add(port: DiscoveredPort): void {
    const previous = this.#ports.get(port.key);
    if (previous !== undefined && JSON.stringify(previous) === JSON.stringify(port)) return;
    this.#ports.set(port.key, port);
    this.#emit({ type: 'add', port });
  }

  remove(key: string): void {
    if (!this.#ports.delete(key)) return;
    this.#emit({ type: 'remove', key });
  }

  replaceAll(ports: readonly DiscoveredPort[]): void {
    const keys = new Set(ports.map((port) => port.key));
    for (const key of [...this.#ports.keys()]) if (!keys.has(key)) this.remove(key);
    for (const port of ports) this.add(port);
  }

  /**
   * Mirrors `inner`'s ports here under `name` (an on-demand source's current
   * pass). The disposer stops the mirroring and keeps what arrived, so a pass
   * can be stopped without its results leaving.
   */
  follow(inner: DiscoverySource, name: string): () => void {
    return inner.onDidChange((event) => {
      if (event.type === 'add') this.add({ ...event.port, source: name });
      else this.remove(event.key);
    });
  }

  /** On stop: every port leaves, so a consumer's view stays true. */
  clear(): void {
    for (const key of [...this.#ports.keys()]) this.remove(key);
  }

  #emit(event: DiscoveryEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
