import type { SerialPort } from 'serialport';
import { portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { normalizeUsbId, usbRole } from '../../shared/usb-ids.ts';
import { PortSet } from './port-set.ts';
import { Poller } from './polling.ts';

export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface SerialSourceOptions {
  /** Default `SerialPort.list()` from serialport; tests pass `SerialPortMock.list`. */
  list?: () => Promise<PortInfo[]>;
  /** Default 1500 ms; 0 lists once. */
  intervalMs?: number;
  /** Paths the person typed in (a USB-TTL adapter with unknown ids, a pty). */
  manualPaths?: readonly string[];
}

async function listWithSerialport(): Promise<PortInfo[]> {
  // Loaded on use: the native binding is not needed until a serial scan runs.
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

/**
 * Serial ports that lead to a Jetson console: NVIDIA's own (0955: the L4T
 * gadget's ACM console, jetson-facts.md 4.2/4.3), the USB-serial bridges
 * devkits and TTL adapters use ("possibly a console"), and manual entries.
 */
export class SerialSource implements DiscoverySource {
  readonly name = 'serial';
  readonly #set = new PortSet();
  readonly #list: () => Promise<PortInfo[]>;
  readonly #manual = new Set<string>();
  readonly #poller: Poller;

  constructor(options: SerialSourceOptions = {}) {
    this.#list = options.list ?? listWithSerialport;
    for (const path of options.manualPaths ?? []) this.#manual.add(path);
    this.#poller = new Poller(() => this.refresh(), options.intervalMs ?? 1500);
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  async start(): Promise<void> {
    await this.#poller.start();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
    this.#set.clear();
  }

  async addManualPort(path: string): Promise<void> {
    this.#manual.add(path);
    await this.refresh();
  }

  async removeManualPort(path: string): Promise<void> {
    this.#manual.delete(path);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const listed = await this.#list();
    const ports = listed.map((info) => toPort(info, this.#manual.has(info.path))).filter((port) => port !== undefined);
    for (const path of this.#manual) {
      if (!ports.some((port) => port.address === path)) ports.push(manualPort(path));
    }
    this.#set.replaceAll(ports);
  }
}

function toPort(info: PortInfo, manual: boolean): DiscoveredPort | undefined {
  const vid = normalizeUsbId(info.vendorId);
  const pid = normalizeUsbId(info.productId);
  const role = usbRole(vid, pid);
  let label: string;
  let hint: string | undefined;
  if (role.kind === 'l4t-gadget') label = `Jetson console on the USB cable (${info.path})`;
  else if (role.kind === 'nvidia-other' || role.kind === 'recovery') label = `NVIDIA serial port (${info.path})`;
  else if (role.kind === 'console-bridge') {
    label = `${role.chip} serial port (${info.path})`;
    hint = 'possibly a console';
  } else if (manual) label = info.path;
  else return undefined;
  return {
    key: portKey('serial', info.path),
    protocol: 'serial',
    address: info.path,
    label,
    properties: {
      ...(vid === undefined ? {} : { vid }),
      ...(pid === undefined ? {} : { pid }),
      ...(info.serialNumber ? { serialNumber: info.serialNumber } : {}),
      ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
      ...(hint === undefined ? {} : { hint }),
      ...(manual ? { manual: true } : {}),
    },
    source: 'serial',
  };
}

function manualPort(path: string): DiscoveredPort {
  return { key: portKey('serial', path), protocol: 'serial', address: path, label: path, properties: { manual: true }, source: 'serial' };
}
