import { networkAddress, portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { loadSshConfig, type SshConfigHost } from '../link/ssh-config.ts';
import { PortSet } from './port-set.ts';

export interface SshConfigSourceOptions {
  /** Default `~/.ssh/config`. */
  path?: string;
  home?: string;
  /** Injectable for tests; default the link folder's loader. */
  load?: (path: string | undefined, home: string | undefined) => Promise<SshConfigHost[]>;
}

/**
 * The hosts a student already set up in `~/.ssh/config` (parsed by the link
 * folder), listed without probing: they may be offline, and a ProxyJump host
 * would need the jump first. Read once on start; `reload()` re-reads.
 */
export class SshConfigSource implements DiscoverySource {
  readonly name = 'ssh-config';
  readonly #set = new PortSet();
  readonly #options: SshConfigSourceOptions;

  constructor(options: SshConfigSourceOptions = {}) {
    this.#options = options;
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  async start(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const load = this.#options.load ?? ((path, home) => loadSshConfig(path, home));
    const hosts = await load(this.#options.path, this.#options.home);
    this.#set.replaceAll(hosts.map((host) => this.#toPort(host)));
  }

  async stop(): Promise<void> {
    this.#set.clear();
  }

  #toPort(host: SshConfigHost): DiscoveredPort {
    const port = host.port ?? 22;
    const address = networkAddress(host.hostName, port);
    return {
      key: portKey('network', address),
      protocol: 'network',
      address,
      label: host.alias,
      properties: {
        host: host.hostName,
        port,
        alias: host.alias,
        ...(host.user === undefined ? {} : { user: host.user }),
        ...(host.proxyJump === undefined ? {} : { proxyJump: host.proxyJump }),
      },
      source: this.name,
    };
  }
}
