import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { networkAddress, portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { defaultUsbNetworkAddress, normalizeUsbId, usbRole } from '../../shared/usb-ids.ts';
import { PortSet } from './port-set.ts';
import { Poller } from './polling.ts';

export interface UsbRecoveryOptions {
  /** Default `/sys/bus/usb/devices`; tests build a fake tree. */
  devicesFolder?: string;
  /**
   * Where a booted devkit's USB gadget network puts the board
   * (jetson-facts.md 4.2: 192.168.55.1). Only listed, never contacted here.
   */
  usbNetworkAddress?: string;
  usbNetworkPort?: number;
  /** Default 1500 ms; 0 reads once. */
  intervalMs?: number;
}

interface UsbDevice {
  name: string;
  vid: string;
  pid: string;
  serial?: string;
  busnum?: string;
  devpath?: string;
}

/**
 * Jetsons on USB, from sysfs: Force Recovery Mode (APX product ids → module),
 * initrd flashing mode, and the booted L4T gadget (0955:7020), for which it
 * also offers the USB-network address as a network candidate.
 */
export class UsbRecoverySource implements DiscoverySource {
  readonly name = 'usb';
  readonly #set = new PortSet();
  readonly #folder: string;
  readonly #networkAddress: string;
  readonly #networkPort: number;
  readonly #poller: Poller;

  constructor(options: UsbRecoveryOptions = {}) {
    this.#folder = options.devicesFolder ?? '/sys/bus/usb/devices';
    this.#networkAddress = options.usbNetworkAddress ?? defaultUsbNetworkAddress;
    this.#networkPort = options.usbNetworkPort ?? 22;
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
    const devices = await readUsbDevices(this.#folder);
    this.#set.replaceAll(devices.flatMap((device) => this.#portsOf(device)));
  }

  #portsOf(device: UsbDevice): DiscoveredPort[] {
    const role = usbRole(device.vid, device.pid);
    const properties = {
      vid: device.vid,
      pid: device.pid,
      ...(device.serial === undefined ? {} : { serialNumber: device.serial }),
      ...(device.busnum === undefined ? {} : { busnum: device.busnum }),
      ...(device.devpath === undefined ? {} : { devpath: device.devpath }),
    };
    const usbPort = (label: string, module?: string): DiscoveredPort => ({
      key: portKey('usb-recovery', device.name),
      protocol: 'usb-recovery',
      address: device.name,
      label,
      properties,
      ...(module === undefined ? {} : { module }),
      source: this.name,
    });
    if (role.kind === 'recovery') {
      // The supervisor CPU enumerates next to the main CPU of the same AGX Orin / Thor: not a second board.
      if (role.supervisor) return [];
      return [usbPort(`${role.module} in recovery mode`, role.module)];
    }
    if (role.kind === 'initrd-flash') return [usbPort('Jetson in initrd flashing mode')];
    if (role.kind !== 'l4t-gadget') return [];
    const address = networkAddress(this.#networkAddress, this.#networkPort);
    return [
      {
        key: portKey('network', address),
        protocol: 'network',
        address,
        label: 'Jetson on the USB cable (L4T USB network)',
        properties: { host: this.#networkAddress, port: this.#networkPort, ...properties },
        source: this.name,
      },
    ];
  }
}

async function readUsbDevices(folder: string): Promise<UsbDevice[]> {
  const names = (await readdir(folder).catch(() => [] as string[])).sort();
  const devices = await Promise.all(names.map((name) => readUsbDevice(folder, name)));
  return devices.filter((device): device is UsbDevice => device !== undefined);
}

async function readUsbDevice(folder: string, name: string): Promise<UsbDevice | undefined> {
  // Interfaces (`1-2:1.0`) and root hubs' own entries without ids are skipped.
  if (name.includes(':')) return undefined;
  const read = (file: string): Promise<string | undefined> =>
    readFile(join(folder, name, file), 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
  const [vid, pid, serial, busnum, devpath] = await Promise.all([
    read('idVendor'),
    read('idProduct'),
    read('serial'),
    read('busnum'),
    read('devpath'),
  ]);
  const vendor = normalizeUsbId(vid);
  const product = normalizeUsbId(pid);
  if (vendor === undefined || product === undefined) return undefined;
  return {
    name,
    vid: vendor,
    pid: product,
    ...(serial ? { serial } : {}),
    ...(busnum ? { busnum } : {}),
    ...(devpath ? { devpath } : {}),
  };
}
