import { portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { normalizeUsbId, usbRole } from '../../shared/usb-ids.ts';
import { PortSet } from './port-set.ts';
import { Poller } from './polling.ts';
import { listSerialPorts, type PortInfo } from './serial-list.ts';

export interface SerialSourceOptions {
  /** Default `listSerialPorts` (serialport, else sysfs); tests pass `SerialPortMock.list`. */
  list?: () => Promise<PortInfo[]>;
  /** Default 1500 ms; 0 lists once. */
  intervalMs?: number;
}

/**
 * Serial ports that lead to a Jetson console: NVIDIA's own (0955: the L4T
 * gadget's ACM console, jetson-facts.md 4.2/4.3) and the USB-serial bridges
 * devkits and TTL adapters use ("possibly a console"). Paths the person
 * types in are the ManualSource's.
 */
export class SerialSource implements DiscoverySource {
  readonly name = 'serial';
  readonly #set = new PortSet();
  readonly #list: () => Promise<PortInfo[]>;
  readonly #poller: Poller;

  constructor(options: SerialSourceOptions = {}) {
    this.#list = options.list ?? (() => listSerialPorts());
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

  async refresh(): Promise<void> {
    const listed = await this.#list();
    this.#set.replaceAll(listed.map((info) => toPort(info)).filter((port) => port !== undefined));
  }
}

function toPort(info: PortInfo): DiscoveredPort | undefined {
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
  } else return undefined;
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
    },
    source: 'serial',
  };
}
