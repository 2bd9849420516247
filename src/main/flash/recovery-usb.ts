/**
 * The NVIDIA devices on USB as the flash scripts see them: sysfs
 * `/sys/bus/usb/devices/<name>/` with idVendor 0955, idProduct, busnum and
 * devpath; the port is `busnum-devpath`, the string `--usb-instance` takes
 * (flashing-and-installing.md §2.5). Read without root, as NVIDIA's scripts do.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeUsbId, nvidiaVendorId } from '../../shared/usb-ids.ts';
import { readBounded } from './recovery-layout.ts';

export interface NvidiaUsbDevice {
  /** `1-3`: busnum-devpath, or the folder name when sysfs lacks them. */
  port: string;
  productId: string;
  serial: string | null;
}

/** A bus has at most 127 devices a controller; a few controllers. */
const entryLimit = 1024;
/** sysfs attributes are one short line. */
const attributeLimit = 256;

export async function readNvidiaUsbDevices(devicesFolder: string): Promise<NvidiaUsbDevice[]> {
  const names = (await readdir(devicesFolder).catch(() => [] as string[])).filter((name) => !name.includes(':')).sort();
  const devices = await Promise.all(names.slice(0, entryLimit).map((name) => readDevice(join(devicesFolder, name), name)));
  return devices.filter((device): device is NvidiaUsbDevice => device !== null);
}

async function readDevice(folder: string, name: string): Promise<NvidiaUsbDevice | null> {
  const read = async (file: string): Promise<string | undefined> =>
    (await readBounded(join(folder, file), attributeLimit))?.trim() || undefined;
  const [vendor, product, busnum, devpath, serial] = await Promise.all(['idVendor', 'idProduct', 'busnum', 'devpath', 'serial'].map(read));
  const productId = normalizeUsbId(product);
  if (normalizeUsbId(vendor) !== nvidiaVendorId || productId === undefined) return null;
  const port =
    busnum !== undefined && devpath !== undefined && /^\d+$/.test(busnum) && /^[\d.]+$/.test(devpath) ? `${busnum}-${devpath}` : name;
  return { port, productId, serial: serial ?? null };
}
