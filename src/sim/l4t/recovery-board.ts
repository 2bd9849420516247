/**
 * A board on the fake USB bus: the sysfs entry Linux makes for a Jetson in
 * Force Recovery Mode (`/sys/bus/usb/devices/<busnum>-<devpath>/` with
 * idVendor 0955, an APX idProduct, busnum, devpath, serial; the dmesg of
 * flashing-and-installing.md §2.5 shows Product "APX", Manufacturer
 * "NVIDIA"), and `.jwb-sim/flashed.json`, what a simulated flash left for the
 * simulator to bring the board up with.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeUsbId, recoveryProducts } from '../../shared/usb-ids.ts';

export interface RecoveryBoardOptions {
  /** An APX product id of usb-ids.ts (`7023` AGX Orin, `7523` Orin Nano 8GB…). */
  productId: string;
  busnum?: number;
  /** The port path on the bus: `3`, `1.2`. */
  devpath?: string;
  serial?: string;
}

export interface RecoveryBoard {
  /** `busnum-devpath`, the port string `--usb-instance` takes (§2.5). */
  port: string;
  /** The device's folder in the fake sysfs. */
  path: string;
}

export async function createRecoveryBoard(usbDevicesFolder: string, options: RecoveryBoardOptions): Promise<RecoveryBoard> {
  const productId = normalizeUsbId(options.productId);
  if (productId === undefined || recoveryProducts[productId] === undefined) throw new Error(`Not an APX product id: ${options.productId}`);
  const busnum = options.busnum ?? 1;
  const devpath = options.devpath ?? '3';
  if (!Number.isInteger(busnum) || busnum < 1 || !/^\d+(\.\d+)*$/.test(devpath))
    throw new Error('busnum is a positive integer, devpath like 3 or 1.2');
  const port = `${busnum}-${devpath}`;
  const path = join(usbDevicesFolder, port);
  await mkdir(path, { recursive: true });
  const files: Record<string, string> = {
    idVendor: '0955',
    idProduct: productId,
    busnum: String(busnum),
    devpath,
    product: 'APX',
    manufacturer: 'NVIDIA',
    ...(options.serial === undefined ? {} : { serial: options.serial }),
  };
  for (const [name, value] of Object.entries(files)) await writeFile(join(path, name), `${value}\n`);
  return { port, path };
}

export interface FlashedBoard {
  boardConfig: string;
  rootdev: string;
  storage: string;
  script: string;
  release: string;
  usbPort: string;
  /** The first login user of the flashed rootfs, or null when oem-config will ask for one. */
  user: string | null;
  hostname: string | null;
  /** default.target still points at oem-config: the board asks its setup questions at first boot. */
  oemConfig: boolean;
  flashedAt: string;
  authorizedKeys: string[];
}

/** Most bytes of flashed.json read: it holds a few names and keys. */
const flashedFileLimit = 256 * 1024;

/** What the last successful simulated flash of this folder left, or null when none did. */
export async function readFlashedBoard(l4tDir: string): Promise<FlashedBoard | null> {
  const text = await readFile(join(l4tDir, '.jwb-sim/flashed.json'), 'utf8').catch(() => null);
  if (text === null || text.length > flashedFileLimit) return null;
  const value = JSON.parse(text) as Partial<FlashedBoard>;
  const strings = ['boardConfig', 'rootdev', 'storage', 'script', 'release', 'usbPort', 'flashedAt'] as const;
  if (!strings.every((key) => typeof value[key] === 'string') || !Array.isArray(value.authorizedKeys)) return null;
  return value as FlashedBoard;
}
