/**
 * What discovery found, as the Boards view shows it: boards in USB Force
 * Recovery Mode, serial consoles, and network boards (ssh config hosts,
 * range scans, mDNS) not yet in the inventory, with the scan and the mDNS
 * browse under way; and the login on a serial console. Follows
 * `discovery.onDidChange`; only this class talks to the bridge for it.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { DiscoveredBoardView, DiscoveryState, NetworkInterface, SerialLogin } from '../../shared/discovery-contract.ts';
import type { Result, WorkbenchError } from '../../shared/errors.ts';

export interface FoundNetworkBoard {
  id: string;
  label: string;
  host: string;
  port: number;
  user: string | undefined;
  banner: string | undefined;
  /** Which sources saw it (`ssh-scan`, `mdns`, …). */
  sources: string[];
}

export interface FoundConsole {
  id: string;
  label: string;
  path: string;
}

export interface FoundRecovery {
  id: string;
  label: string;
  module: string | undefined;
  address: string;
}

/** How long a browse the person starts listens (the hint says "a minute"). */
const mdnsBrowseSeconds = 60;

export class DiscoveryViewState {
  state = $state<DiscoveryState>({ boards: [], scan: null, mdns: null });
  scanError = $state<WorkbenchError | undefined>();
  serialError = $state<WorkbenchError | undefined>();
  starting = $state(false);
  /** Where an mDNS browse may listen; undefined until listed. */
  interfaces = $state<NetworkInterface[] | undefined>();
  interfacesError = $state<WorkbenchError | undefined>();
  mdnsError = $state<WorkbenchError | undefined>();
  mdnsStarting = $state(false);

  readonly network = $derived(this.state.boards.flatMap((board) => networkOf(board)));
  readonly consoles = $derived(this.state.boards.flatMap((board) => consolesOf(board)));
  readonly recovery = $derived(this.state.boards.flatMap((board) => recoveryOf(board)));
  readonly scanning = $derived(this.state.scan?.running ?? false);
  readonly browsing = $derived(this.state.mdns?.running ?? false);
  readonly foundByMdns = $derived(this.network.filter((board) => board.sources.includes('mdns')).length);

  readonly #bridge: WorkbenchBridge;
  #stopEvents: (() => void) | undefined;

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
  }

  start(): void {
    this.#stopEvents ??= this.#bridge.on('discovery.onDidChange', (state) => (this.state = state));
    void this.refresh();
  }

  dispose(): void {
    this.#stopEvents?.();
    this.#stopEvents = undefined;
  }

  async refresh(): Promise<void> {
    const result = await this.#bridge.call['discovery.list']({});
    if (result.ok) this.state = result.value;
  }

  /** Starts a scan of `range` on `ports`; the boards stream in through events. */
  async scan(range: string, ports: number[]): Promise<boolean> {
    this.starting = true;
    try {
      const result = await this.#bridge.call['discovery.scan']({ range, ports });
      this.scanError = result.ok ? undefined : result.error;
      return result.ok;
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    await this.#bridge.call['discovery.stop']({});
  }

  /** Lists this computer's interfaces (reading them sends nothing); the person picks where mDNS listens. */
  async loadInterfaces(): Promise<void> {
    const result = await this.#bridge.call['discovery.interfaces']({});
    this.interfacesError = result.ok ? undefined : result.error;
    if (result.ok) this.interfaces = result.value;
  }

  /** Browses mDNS on the interface with `address` for a minute; the boards stream in through events. */
  async browseMdns(address: string): Promise<boolean> {
    this.mdnsStarting = true;
    try {
      const result = await this.#bridge.call['discovery.browseMdns']({ interface: address, seconds: mdnsBrowseSeconds });
      this.mdnsError = result.ok ? undefined : result.error;
      return result.ok;
    } finally {
      this.mdnsStarting = false;
    }
  }

  async stopMdns(): Promise<void> {
    await this.#bridge.call['discovery.stopMdns']({});
  }

  /** Logs in on a listed console and reads the board's addresses; the password goes no further than this call. */
  serialLogin(path: string, user: string, password: string): Promise<Result<SerialLogin>> {
    return this.#bridge.call['discovery.serialLogin']({ path, user, password });
  }

  async addSerialPort(path: string): Promise<boolean> {
    const result = await this.#bridge.call['discovery.addSerialPort']({ path });
    this.serialError = result.ok ? undefined : result.error;
    if (result.ok) this.state = result.value;
    return result.ok;
  }
}

function networkOf(board: DiscoveredBoardView): FoundNetworkBoard[] {
  const port = board.ports.find((candidate) => candidate.protocol === 'network');
  if (port === undefined) return [];
  const { host, port: number, user, banner } = port.properties;
  if (typeof host !== 'string' || typeof number !== 'number') return [];
  return [
    {
      id: board.id,
      label: board.label,
      host,
      port: number,
      user: typeof user === 'string' ? user : undefined,
      banner: typeof banner === 'string' ? banner : undefined,
      sources: port.source.split(','),
    },
  ];
}

function consolesOf(board: DiscoveredBoardView): FoundConsole[] {
  return board.ports.filter((port) => port.protocol === 'serial').map((port) => ({ id: port.key, label: port.label, path: port.address }));
}

function recoveryOf(board: DiscoveredBoardView): FoundRecovery[] {
  return board.ports
    .filter((port) => port.protocol === 'usb-recovery')
    .map((port) => ({ id: port.key, label: port.label, module: port.module ?? board.module, address: port.address }));
}
