import { expandAddressRange, maxScanHosts } from '../../shared/address-range.ts';
import { networkAddress, portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { PortSet } from './port-set.ts';
import { fetchHostKey, readSshBanner } from './ssh-probe.ts';

export interface SshScanOptions {
  /** `127.0.0.2-127.0.0.33`, CIDR, or a list (see expandAddressRange). */
  range: string;
  /** One port or several; default 22. */
  ports?: readonly number[];
  /** TCP connect + banner limit per host; default 500 ms. */
  timeoutMs?: number;
  /** Hosts probed at once; default 64. */
  concurrency?: number;
  /** Also fetch each server's host key (one more handshake) for de-duplication; default true. */
  hostKeys?: boolean;
  hostKeyTimeoutMs?: number;
  maxHosts?: number;
  /** After each probe (the UI's progress): how many targets (hosts × ports) were probed, of how many. */
  onProgress?: (probed: number, total: number) => void;
}

/**
 * Finds SSH servers in a range the person chose: concurrency-limited TCP
 * connects with short timeouts, reading the banner, then (optionally) the host
 * key. One pass on start; `rescan()` repeats it and removes hosts that went
 * away; `stop()` cancels a pass in flight.
 */
export class SshScanSource implements DiscoverySource {
  readonly name = 'ssh-scan';
  readonly #hosts: string[];
  readonly #ports: readonly number[];
  readonly #options: Required<Omit<SshScanOptions, 'range' | 'ports' | 'maxHosts' | 'onProgress'>>;
  readonly #set = new PortSet();
  readonly #onProgress: ((probed: number, total: number) => void) | undefined;
  #abort: AbortController | undefined;
  #pass: Promise<void> | undefined;

  /** Throws AddressRangeError for a bad or too big range, before anything is sent. */
  constructor(options: SshScanOptions) {
    this.#hosts = expandAddressRange(options.range, options.maxHosts ?? maxScanHosts);
    this.#ports = options.ports ?? [22];
    this.#onProgress = options.onProgress;
    this.#options = {
      timeoutMs: options.timeoutMs ?? 500,
      concurrency: options.concurrency ?? 64,
      hostKeys: options.hostKeys ?? true,
      hostKeyTimeoutMs: options.hostKeyTimeoutMs ?? 3000,
    };
  }

  /** Addresses × ports one pass probes. */
  get targetCount(): number {
    return this.#hosts.length * this.#ports.length;
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  /** Resolves once the first pass is over (every host answered or timed out). */
  async start(): Promise<void> {
    await this.rescan();
  }

  async rescan(): Promise<void> {
    if (this.#pass !== undefined) return this.#pass;
    const abort = new AbortController();
    this.#abort = abort;
    this.#pass = this.#scan(abort.signal).finally(() => {
      this.#pass = undefined;
    });
    return this.#pass;
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#pass;
    this.#set.clear();
  }

  async #scan(signal: AbortSignal): Promise<void> {
    const targets = this.#hosts.flatMap((host) => this.#ports.map((port) => ({ host, port })));
    const seen = new Set<string>();
    let next = 0;
    let probed = 0;
    const worker = async (): Promise<void> => {
      while (!signal.aborted && next < targets.length) {
        const target = targets[next++] as { host: string; port: number };
        const port = await this.#probe(target.host, target.port, signal);
        if (signal.aborted) return;
        if (port !== undefined) {
          seen.add(port.key);
          this.#set.add(port);
        }
        this.#onProgress?.(++probed, targets.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.concurrency, targets.length) }, worker));
    if (signal.aborted) return;
    for (const port of this.#set.list()) if (!seen.has(port.key)) this.#set.remove(port.key);
  }

  async #probe(host: string, port: number, signal: AbortSignal): Promise<DiscoveredPort | undefined> {
    const banner = await readSshBanner(host, port, this.#options.timeoutMs, signal);
    if (banner === undefined) return undefined;
    const key = this.#options.hostKeys ? await fetchHostKey(host, port, this.#options.hostKeyTimeoutMs, signal) : undefined;
    const address = networkAddress(host, port);
    return {
      key: portKey('network', address),
      protocol: 'network',
      address,
      label: address,
      properties: {
        host,
        port,
        banner,
        ...(key === undefined ? {} : { hostKeyFingerprint: key.fingerprint, hostKeyType: key.keyType }),
      },
      source: this.name,
    };
  }
}
