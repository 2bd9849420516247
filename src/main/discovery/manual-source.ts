import { portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { PortSet } from './port-set.ts';

/**
 * The serial consoles the person typed in (`discovery.addSerialPort`: a
 * USB-TTL adapter with ids no catalog knows, a pty), listed as given and
 * never probed. When the serial source also lists the path, the aggregator
 * merges the two under the one key, as for any two sources. Hosts typed in
 * need no source: `boards.add` puts them in the inventory directly.
 */
export class ManualSource implements DiscoverySource {
  readonly name = 'manual';
  readonly #set = new PortSet();
  readonly #paths = new Set<string>();
  #started = false;

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  async start(): Promise<void> {
    this.#started = true;
    for (const path of this.#paths) this.#set.add(serialPort(path));
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#set.clear();
  }

  /** Lists `path` now, or once started. */
  addSerialPort(path: string): void {
    this.#paths.add(path);
    if (this.#started) this.#set.add(serialPort(path));
  }
}

function serialPort(path: string): DiscoveredPort {
  return { key: portKey('serial', path), protocol: 'serial', address: path, label: path, properties: { manual: true }, source: 'manual' };
}
