import { networkAddress, portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { PortSet } from './port-set.ts';

export interface ManualHost {
  host: string;
  /** Default 22. */
  port?: number;
  user?: string;
  label?: string;
}

/** Boards (and serial ports) the person typed in. Nothing is probed: they are listed as given. */
export class ManualSource implements DiscoverySource {
  readonly name = 'manual';
  readonly #set = new PortSet();
  readonly #initial: ManualHost[];
  #started = false;

  constructor(initial: readonly ManualHost[] = []) {
    this.#initial = [...initial];
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  async start(): Promise<void> {
    this.#started = true;
    for (const host of this.#initial) this.addHost(host);
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#set.clear();
  }

  /** Returns the port's key (for `remove`). */
  addHost(entry: ManualHost): string {
    const port = entry.port ?? 22;
    const address = networkAddress(entry.host, port);
    const discovered: DiscoveredPort = {
      key: portKey('network', address),
      protocol: 'network',
      address,
      label: entry.label ?? (entry.user === undefined ? address : `${entry.user}@${address}`),
      properties: { host: entry.host, port, ...(entry.user === undefined ? {} : { user: entry.user }) },
      source: this.name,
    };
    if (!this.#started) this.#initial.push(entry);
    else this.#set.add(discovered);
    return discovered.key;
  }

  remove(key: string): void {
    this.#set.remove(key);
  }
}
