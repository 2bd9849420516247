/**
 * The serial ports of this computer. serialport's `SerialPort.list()` runs
 * `udevadm info -e` on Linux, which minimal images and containers lack
 * (`spawn udevadm ENOENT`); there the same records are read from sysfs
 * (`/sys/class/tty/<name>/device`, and the USB device above it for the ids),
 * so a missing tool never empties the list, let alone fails it.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SerialPort } from 'serialport';

export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface SerialListOptions {
  /** serialport's listing; tests pass one that fails as it does without udevadm. */
  list?: () => Promise<PortInfo[]>;
  /** Default `/sys/class/tty`; tests build a fake tree. */
  ttyClassFolder?: string;
  /** Default `process.platform`: sysfs exists on Linux only. */
  platform?: NodeJS.Platform;
}

// serialport's own filter (bindings-cpp linux-list.js): the ttys that are serial hardware.
const serialNames = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)\d+|rfcomm\d+)$/;
/** A tty's USB device is its parent (ACM: the interface's) or grandparent (usb-serial: the port's); a little margin. */
const usbDepth = 4;

async function listWithSerialport(): Promise<PortInfo[]> {
  // Loaded on use: the native binding is not needed until a serial scan runs.
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

export async function listSerialPorts(options: SerialListOptions = {}): Promise<PortInfo[]> {
  try {
    return await (options.list ?? listWithSerialport)();
  } catch (error) {
    if ((options.platform ?? process.platform) !== 'linux') throw error;
    return listFromSysfs(options.ttyClassFolder ?? '/sys/class/tty');
  }
}

/** What udevadm would have said, from sysfs alone; an entry that cannot be read is left out, not fatal. */
export async function listFromSysfs(ttyClassFolder: string): Promise<PortInfo[]> {
  const names = await readdir(ttyClassFolder).catch(() => []);
  const ports = await Promise.all(names.filter((name) => serialNames.test(name)).map((name) => readTty(ttyClassFolder, name)));
  return ports.filter((port) => port !== undefined).sort((a, b) => a.path.localeCompare(b.path));
}

async function readTty(ttyClassFolder: string, name: string): Promise<PortInfo | undefined> {
  // Without a `device` link the tty is virtual (no hardware behind it): udev lists it, but no board is there.
  const device = await realpath(join(ttyClassFolder, name, 'device')).catch(() => undefined);
  if (device === undefined) return undefined;
  const usb = await usbDeviceAbove(device);
  const read = (file: string): Promise<string | undefined> =>
    usb === undefined ? Promise.resolve(undefined) : readAttribute(join(usb, file));
  const [vendorId, productId, manufacturer, serialNumber] = await Promise.all(
    ['idVendor', 'idProduct', 'manufacturer', 'serial'].map(read),
  );
  return { path: `/dev/${name}`, manufacturer, serialNumber, pnpId: undefined, locationId: undefined, vendorId, productId };
}

async function usbDeviceAbove(device: string): Promise<string | undefined> {
  let folder = device;
  for (let level = 0; level < usbDepth; level += 1) {
    if ((await readAttribute(join(folder, 'idVendor'))) !== undefined) return folder;
    folder = dirname(folder);
  }
  return undefined;
}

async function readAttribute(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const value = text?.trim();
  return value === undefined || value === '' ? undefined : value;
}
