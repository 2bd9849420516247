import type { MdnsBrowse, NetworkInterface } from '../../shared/discovery-contract.ts';
import type { DiscoveryEvent, DiscoverySource } from '../../shared/discovery.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { MdnsSource } from './mdns-source.ts';
import { PortSet } from './port-set.ts';

/** Makes the browser of one interface; the real multicast one by default, a fake in unit tests. */
export type MdnsBrowserFactory = (interfaceAddress: string) => DiscoverySource;

/**
 * The mDNS browses the person starts, as one discovery source (like
 * RangeScanSource): nothing listens until `browse()` names an interface;
 * a browse replaces the previous one (its boards leave), listens for its
 * time, then stops sending and keeps what it found, as `cancel()` does.
 */
export class MdnsBrowseSource implements DiscoverySource {
  readonly name = 'mdns';
  readonly #set = new PortSet();
  readonly #createBrowser: MdnsBrowserFactory;
  readonly #stateListeners = new Set<(state: MdnsBrowse | undefined) => void>();
  #current: { browser: DiscoverySource; stopFollowing: () => void; timer: NodeJS.Timeout } | undefined;
  #state: MdnsBrowse | undefined;

  constructor(createBrowser: MdnsBrowserFactory = (address) => new MdnsSource({ interface: address })) {
    this.#createBrowser = createBrowser;
  }

  get state(): MdnsBrowse | undefined {
    return this.#state;
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  onDidChangeState(listener: (state: MdnsBrowse | undefined) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.cancel();
    this.#set.clear();
  }

  /** Listens on `networkInterface` for `seconds`; resolves once it listens (boards then stream in as events). */
  async browse(networkInterface: NetworkInterface, seconds: number): Promise<MdnsBrowse> {
    await this.cancel();
    this.#set.clear();
    const browser = this.#createBrowser(networkInterface.address);
    const current = {
      browser,
      stopFollowing: this.#set.follow(browser, this.name),
      timer: setTimeout(() => void this.cancel(), seconds * 1000),
    };
    this.#current = current;
    const state = { interface: networkInterface.address, name: networkInterface.name, running: true };
    this.#report(state);
    try {
      await browser.start();
    } catch (error) {
      // Cancelled (or replaced) while binding: nothing failed, that browse simply ended.
      if (this.#current !== current) return this.#state ?? state;
      await this.cancel();
      const detail = error instanceof Error ? error.message : String(error);
      throw new WorkbenchFailure('unavailable', `mDNS cannot listen on ${networkInterface.name} (${networkInterface.address}).`, detail);
    }
    return this.#state ?? state;
  }

  /** Stops the browse under way (if any); what it found stays listed. */
  async cancel(): Promise<boolean> {
    const current = this.#current;
    if (current === undefined) return false;
    this.#current = undefined;
    clearTimeout(current.timer);
    // Following stops first: the browser's own stop() empties its set, and ours keeps the boards.
    current.stopFollowing();
    await current.browser.stop();
    if (this.#state !== undefined) this.#report({ ...this.#state, running: false });
    return true;
  }

  #report(state: MdnsBrowse): void {
    this.#state = state;
    for (const listener of [...this.#stateListeners]) listener(state);
  }
}
