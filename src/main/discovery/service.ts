/**
 * Discovery in the app: one aggregator over the USB source (recovery mode
 * and the L4T USB gadget), the serial source, the serial paths typed in, the
 * `~/.ssh/config` hosts, and the on-demand range scans and mDNS browses,
 * published as one `DiscoveryState` that the contract streams
 * (`discovery.onDidChange`) as boards are found. Also the first login on a
 * serial console, which reads the board's network address.
 */
import type { DiscoveryState, MdnsBrowse, NetworkInterface, SerialLogin } from '../../shared/discovery-contract.ts';
import type { DiscoverySource } from '../../shared/discovery.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { AddressRangeError } from '../../shared/address-range.ts';
import { unlistedFailure } from '../link/serial-errors.ts';
import type { SerialBinding } from '../link/serial-port-open.ts';
import type { SshConfigHost } from '../link/ssh-config.ts';
import { DiscoveryAggregator, type DiscoveredBoard } from './aggregator.ts';
import { ManualSource } from './manual-source.ts';
import { MdnsBrowseSource, type MdnsBrowserFactory } from './mdns-browse-source.ts';
import { browsableInterfaces, type InterfaceReader } from './network-interfaces.ts';
import { RangeScanSource } from './range-scan-source.ts';
import type { PortInfo } from './serial-list.ts';
import { loginOverSerial } from './serial-login.ts';
import { SerialSource } from './serial-source.ts';
import { SshConfigSource } from './ssh-config-source.ts';
import type { SshScanOptions } from './ssh-scan-source.ts';
import { UsbRecoverySource } from './usb-recovery-source.ts';

export interface DiscoveryServiceOptions {
  /** sysfs USB devices folder; default `/sys/bus/usb/devices`. Tests build a fake tree. */
  usbDevicesFolder?: string;
  /**
   * Where a booted devkit's USB network puts the board (the setting; default
   * jetson-facts.md 4.2's address). Only listed as a candidate, never probed.
   */
  usbNetworkAddress?: string;
  /** Default `SerialPort.list()`, else sysfs (no udevadm); tests pass `SerialPortMock.list`. */
  serialList?: () => Promise<PortInfo[]>;
  /** serialport's binding for the serial login; MockBinding in tests. */
  serialBinding?: SerialBinding;
  /** The interfaces an mDNS browse may use; `os.networkInterfaces` by default, a fixed list in tests. */
  networkInterfaces?: InterfaceReader;
  /** The mDNS browser of one interface; multicast-dns by default, a fake in unit tests. */
  mdnsBrowser?: MdnsBrowserFactory;
  /** `~/.ssh/config` reader; tests inject one (or an empty list). */
  sshConfigLoad?: (path: string | undefined, home: string | undefined) => Promise<SshConfigHost[]>;
  /** USB and serial polling period; default 1500 ms. */
  pollMs?: number;
  debounceMs?: number;
  /** Timeouts and concurrency of range scans. */
  scan?: Partial<SshScanOptions>;
  /** Turns sources off (the CLI's `jwb discover` has its own). */
  sources?: { usb?: boolean; serial?: boolean; sshConfig?: boolean };
}

export class DiscoveryService {
  readonly #options: DiscoveryServiceOptions;
  readonly #aggregator: DiscoveryAggregator;
  readonly #scans: RangeScanSource;
  readonly #mdns: MdnsBrowseSource;
  readonly #manual = new ManualSource();
  readonly #listeners = new Set<(state: DiscoveryState) => void>();
  readonly #disposers: Array<() => void> = [];
  #started: Promise<void> | undefined;
  #soon: NodeJS.Timeout | undefined;

  constructor(options: DiscoveryServiceOptions = {}) {
    this.#options = options;
    this.#scans = new RangeScanSource(options.scan);
    this.#mdns = new MdnsBrowseSource(options.mdnsBrowser);
    const sources: DiscoverySource[] = [this.#scans, this.#mdns, this.#manual, ...watchingSources(options)];
    this.#aggregator = new DiscoveryAggregator(sources, options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs });
    this.#disposers.push(
      this.#aggregator.onDidChange(() => this.#emit()),
      // Progress is not debounced by the aggregator: coalesce it the same way through a flush-free emit.
      this.#scans.onDidProgress(() => this.#emitSoon()),
      this.#mdns.onDidChangeState(() => this.#emitSoon()),
    );
  }

  /** Starts watching USB, serial and ssh config; idempotent. Sources that fail (no serial binding) stay quiet. */
  start(): Promise<void> {
    this.#started ??= this.#aggregator.start();
    return this.#started;
  }

  state(): DiscoveryState {
    return { boards: this.#aggregator.boards.map(toView), scan: this.#scans.progress ?? null, mdns: this.#mdns.state ?? null };
  }

  async list(): Promise<DiscoveryState> {
    await this.start();
    // The first burst is in: answer with it rather than what the debounce last published.
    this.#aggregator.flush();
    return this.state();
  }

  /** Starts a range scan; returns how many targets it probes. Results and progress stream through `onDidChange`. */
  async scan(range: string, ports: readonly number[]): Promise<{ hosts: number }> {
    await this.start();
    try {
      return { hosts: await this.#scans.scan(range, ports) };
    } catch (error) {
      if (error instanceof AddressRangeError) {
        // The renderer shows its own sentence for the code; the detail says what is wrong with this range.
        throw new WorkbenchFailure('invalid-request', error.message, error.message);
      }
      throw error;
    }
  }

  async stopScan(): Promise<boolean> {
    return this.#scans.cancel();
  }

  /** A serial device the person typed in (a TTL adapter with unknown ids, a pty): listed as given, whatever the serial listing says. */
  async addSerialPort(path: string): Promise<DiscoveryState> {
    await this.start();
    this.#manual.addSerialPort(path);
    // Shown now rather than after the debounce: the person is waiting for this card.
    this.#aggregator.flush();
    return this.state();
  }

  /** Where an mDNS browse may listen: this computer's IPv4 interfaces, loopback left out. */
  interfaces(): NetworkInterface[] {
    return browsableInterfaces(this.#options.networkInterfaces);
  }

  /** Browses mDNS on the interface that has `address`, only one of this computer's (the renderer is untrusted). */
  async browseMdns(address: string, seconds: number): Promise<MdnsBrowse> {
    const chosen = this.interfaces().find((candidate) => candidate.address === address);
    if (chosen === undefined) {
      throw new WorkbenchFailure('not-found', 'This computer has no network interface with this address: pick one from the list.', address);
    }
    await this.start();
    return this.#mdns.browse(chosen, seconds);
  }

  stopMdns(): Promise<boolean> {
    return this.#mdns.cancel();
  }

  /** Logs in on a serial console that discovery lists, and reads the board's name and addresses. */
  async serialLogin(path: string, user: string, password: string): Promise<SerialLogin> {
    if (!this.hasSerialPort(path)) throw unlistedFailure(path);
    const binding = this.#options.serialBinding;
    return loginOverSerial(path, user, password, binding === undefined ? {} : { binding });
  }

  /** Whether discovery lists `path` as a serial port now (the serial terminal opens only those). */
  hasSerialPort(path: string): boolean {
    return this.#aggregator.flush().some((board) => board.ports.some((port) => port.protocol === 'serial' && port.address === path));
  }

  onDidChange(listener: (state: DiscoveryState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#soon);
    await this.#started?.catch(() => undefined);
    await this.#aggregator.stop();
  }

  #emitSoon(): void {
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      this.#emit();
    }, 50);
  }

  #emit(): void {
    const state = this.state();
    for (const listener of [...this.#listeners]) listener(state);
  }
}

/** The sources that watch by themselves once started: USB, serial ports, `~/.ssh/config` (each can be turned off). */
function watchingSources(options: DiscoveryServiceOptions): DiscoverySource[] {
  const enabled = { usb: true, serial: true, sshConfig: true, ...options.sources };
  const intervalMs = options.pollMs ?? 1500;
  const sources: DiscoverySource[] = [];
  if (enabled.usb) {
    sources.push(
      new UsbRecoverySource({
        intervalMs,
        ...(options.usbDevicesFolder === undefined ? {} : { devicesFolder: options.usbDevicesFolder }),
        ...(options.usbNetworkAddress === undefined ? {} : { usbNetworkAddress: options.usbNetworkAddress }),
      }),
    );
  }
  if (enabled.serial)
    sources.push(new SerialSource({ intervalMs, ...(options.serialList === undefined ? {} : { list: options.serialList }) }));
  if (enabled.sshConfig) sources.push(new SshConfigSource(options.sshConfigLoad === undefined ? {} : { load: options.sshConfigLoad }));
  return sources;
}

function toView(board: DiscoveredBoard): DiscoveryState['boards'][number] {
  return {
    id: board.id,
    label: board.label,
    ...(board.module === undefined ? {} : { module: board.module }),
    ports: board.ports.map((port) => ({
      ...port,
      properties: Object.fromEntries(Object.entries(port.properties).filter((entry) => entry[1] !== undefined)) as Record<
        string,
        string | number | boolean
      >,
    })),
  };
}
