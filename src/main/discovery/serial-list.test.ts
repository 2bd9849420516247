/**
 * Listing serial ports where serialport cannot (no udevadm): the records
 * come from a fake /sys/class/tty tree laid out as the kernel does it (a
 * tty's `device` link into the USB interface, ids on the device above).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFromSysfs, listSerialPorts } from './serial-list.ts';

let root: string;
let ttyClass: string;

function file(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${text}\n`);
}

/** A tty whose `device` link points at `devicePath` (under the fake /sys/devices). */
function tty(name: string, devicePath: string | undefined): void {
  mkdirSync(join(ttyClass, name), { recursive: true });
  if (devicePath === undefined) return;
  mkdirSync(join(root, devicePath), { recursive: true });
  symlinkSync(join(root, devicePath), join(ttyClass, name, 'device'));
}

const failingList = (): Promise<never> => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' }));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jwb-serial-list-'));
  ttyClass = join(root, 'class-tty');
  // The L4T gadget's ACM console: ids on the USB device (1-2), the tty's device is its interface (1-2:1.2).
  const usb = 'devices/pci0000:00/usb1/1-2';
  file(join(root, usb, 'idVendor'), '0955');
  file(join(root, usb, 'idProduct'), '7020');
  file(join(root, usb, 'manufacturer'), 'NVIDIA');
  file(join(root, usb, 'serial'), '1421921036245');
  tty('ttyACM0', `${usb}/1-2:1.2`);
  // A built-in UART: hardware, but no USB device above it.
  tty('ttyS0', 'devices/pnp0/00:00/00:00:0/00:00:0.0');
  // Virtual consoles and a tty without hardware are not serial ports.
  tty('tty1', 'devices/virtual/tty/tty1');
  tty('ttyS9', undefined);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('listing serial ports', () => {
  it('reads the ports and their USB ids from sysfs', async () => {
    expect(await listFromSysfs(ttyClass)).toEqual([
      {
        path: '/dev/ttyACM0',
        manufacturer: 'NVIDIA',
        serialNumber: '1421921036245',
        pnpId: undefined,
        locationId: undefined,
        vendorId: '0955',
        productId: '7020',
      },
      {
        path: '/dev/ttyS0',
        manufacturer: undefined,
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        vendorId: undefined,
        productId: undefined,
      },
    ]);
  });

  it('falls back to sysfs when serialport fails (udevadm missing) on Linux, and answers empty without sysfs', async () => {
    const listed = await listSerialPorts({ list: failingList, ttyClassFolder: ttyClass, platform: 'linux' });
    expect(listed.map((port) => port.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS0']);
    expect(await listSerialPorts({ list: failingList, ttyClassFolder: join(root, 'missing'), platform: 'linux' })).toEqual([]);
  });

  it('keeps serialport’s answer when it has one, and its failure elsewhere than Linux', async () => {
    const answer = [
      {
        path: 'COM3',
        manufacturer: 'FTDI',
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        vendorId: '0403',
        productId: '6001',
      },
    ];
    expect(await listSerialPorts({ list: async () => answer, ttyClassFolder: ttyClass, platform: 'linux' })).toBe(answer);
    await expect(listSerialPorts({ list: failingList, platform: 'win32' })).rejects.toThrow(/udevadm/);
  });
});
