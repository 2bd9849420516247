import makeMdns from 'multicast-dns';
import type { Answer } from 'dns-packet';
import { networkAddress, portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { PortSet } from './port-set.ts';

/**
 * Browses mDNS for boards (jetson-facts.md 5: JetPack ships avahi; which
 * service types a stock image publishes was not found, so we browse the three
 * a workbench should: `_ssh._tcp`, `_workstation._tcp`, `_device-info._tcp`).
 */
export const browsedServices = ['_ssh._tcp.local', '_workstation._tcp.local', '_device-info._tcp.local'];

export interface MdnsSourceOptions {
  /**
   * The interface address to send and listen on (multicast-dns `interface`).
   * Required: without it multicast-dns would join the group on every
   * interface of the computer, and mDNS runs only where the person said.
   */
  interface: string;
  /** Default `0.0.0.0`. */
  bind?: string | false;
  /** Re-query period; default 10 s; 0 queries once. */
  queryIntervalMs?: number;
  /** UDP port; default 5353 (tests may pick another). */
  port?: number;
}

interface Instance {
  service: string;
  target?: string;
  port?: number;
}

type MdnsInstance = ReturnType<typeof makeMdns>;

/** Collects PTR → SRV → A answers and lists one network port per host (its SSH port, or 22). */
export class MdnsSource implements DiscoverySource {
  readonly name = 'mdns';
  readonly #set = new PortSet();
  readonly #options: MdnsSourceOptions;
  readonly #instances = new Map<string, Instance>();
  readonly #addresses = new Map<string, Set<string>>();
  #mdns: MdnsInstance | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Ends a `start()` still waiting for the bind when `stop()` comes first. */
  #abandonStart: (() => void) | undefined;

  constructor(options: MdnsSourceOptions) {
    this.#options = options;
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  async start(): Promise<void> {
    if (this.#mdns !== undefined) return;
    const mdns = makeMdns({
      interface: this.#options.interface,
      bind: this.#options.bind ?? '0.0.0.0',
      ...(this.#options.port === undefined ? {} : { port: this.#options.port }),
    });
    this.#mdns = mdns;
    mdns.on('response', (response) => this.#onAnswers([...response.answers, ...(response.additionals ?? [])]));
    // Socket errors after the bind (a send on an interface that went down) end in the next query's silence, not a crash.
    mdns.on('error', () => undefined);
    try {
      // A failed bind (EADDRINUSE, EACCES) is an `error` instead of `ready`: say so rather than wait forever.
      await new Promise<void>((resolve, reject) => {
        mdns.once('ready', () => resolve());
        mdns.once('error', reject);
        this.#abandonStart = () => reject(new Error('mDNS browsing was stopped before it started'));
      });
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      this.#abandonStart = undefined;
    }
    this.#query();
    const interval = this.#options.queryIntervalMs ?? 10_000;
    if (interval > 0) {
      this.#timer = setInterval(() => this.#query(), interval);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#abandonStart?.();
    clearInterval(this.#timer);
    this.#timer = undefined;
    const mdns = this.#mdns;
    this.#mdns = undefined;
    if (mdns !== undefined) await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    this.#instances.clear();
    this.#addresses.clear();
    this.#set.clear();
  }

  #query(): void {
    this.#mdns?.query(browsedServices.map((name) => ({ name, type: 'PTR' as const })));
  }

  #onAnswers(answers: Answer[]): void {
    const missing: Array<{ name: string; type: 'SRV' | 'A' }> = [];
    for (const answer of answers) {
      if (answer.type === 'PTR' && browsedServices.includes(answer.name)) {
        if (!this.#instances.has(answer.data)) this.#instances.set(answer.data, { service: answer.name });
      } else if (answer.type === 'SRV') {
        const instance = this.#instances.get(answer.name);
        if (instance !== undefined) {
          instance.target = answer.data.target;
          instance.port = answer.data.port;
        }
      } else if (answer.type === 'A') {
        const known = this.#addresses.get(answer.name) ?? new Set<string>();
        known.add(answer.data);
        this.#addresses.set(answer.name, known);
      }
    }
    for (const [name, instance] of this.#instances) {
      if (instance.target === undefined) missing.push({ name, type: 'SRV' });
      else if (!this.#addresses.has(instance.target)) missing.push({ name: instance.target, type: 'A' });
    }
    if (missing.length > 0) this.#mdns?.query(missing);
    this.#set.replaceAll(this.#ports());
  }

  #ports(): DiscoveredPort[] {
    const byHost = new Map<string, { ssh?: number; services: Set<string>; instance: string }>();
    for (const [name, instance] of this.#instances) {
      if (instance.target === undefined) continue;
      const entry = byHost.get(instance.target) ?? { services: new Set<string>(), instance: name };
      entry.services.add(instance.service.replace(/\.local$/, ''));
      if (instance.service === '_ssh._tcp.local') entry.ssh = instance.port;
      byHost.set(instance.target, entry);
    }
    const ports: DiscoveredPort[] = [];
    for (const [target, entry] of byHost) {
      for (const ip of this.#addresses.get(target) ?? []) {
        const port = entry.ssh ?? 22;
        const address = networkAddress(ip, port);
        ports.push({
          key: portKey('network', address),
          protocol: 'network',
          address,
          label: target.replace(/\.local$/, ''),
          properties: { host: ip, port, mdnsName: target, services: [...entry.services].sort().join(',') },
          source: this.name,
        });
      }
    }
    return ports;
  }
}
