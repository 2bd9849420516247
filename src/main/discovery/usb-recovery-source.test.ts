import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscoveryEvent } from '../../shared/discovery.ts';
import { UsbRecoverySource } from './usb-recovery-source.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jwb-sysfs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A device folder as Linux shows it under /sys/bus/usb/devices (values end with a newline). */
function plug(name: string, files: Record<string, string>): void {
  mkdirSync(join(root, name), { recursive: true });
  for (const [file, value] of Object.entries(files)) writeFileSync(join(root, name, file), `${value}\n`);
}

describe('UsbRecoverySource', () => {
  it('maps recovery product ids to modules and ignores other devices', async () => {
    plug('1-2', { idVendor: '0955', idProduct: '7523', busnum: '1', devpath: '2' });
    plug('1-3.1', { idVendor: '0955', idProduct: '7e19', serial: '1420321000123', busnum: '1', devpath: '3.1' });
    plug('1-3.1:1.0', { bInterfaceClass: 'ff' });
    plug('1-4', { idVendor: '046d', idProduct: 'c52b' });
    plug('2-1', { idVendor: '0955', idProduct: '7045' });
    plug('usb1', { idVendor: '1d6b', idProduct: '0002' });
    const source = new UsbRecoverySource({ devicesFolder: root, intervalMs: 0 });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    const ports = events.flatMap((event) => (event.type === 'add' ? [event.port] : []));
    expect(ports.map((port) => [port.key, port.module])).toEqual([
      ['usb-recovery://1-2', 'Jetson Orin Nano 8GB'],
      ['usb-recovery://1-3.1', 'Jetson Xavier NX'],
    ]);
    expect(ports[1]?.properties).toEqual({ vid: '0955', pid: '7e19', serialNumber: '1420321000123', busnum: '1', devpath: '3.1' });
    await source.stop();
  });

  it('offers the USB-network address of a booted devkit (0955:7020) and notices unplugging', async () => {
    plug('3-1', { idVendor: '0x0955', idProduct: '0x7020', serial: '1421623000456' });
    plug('3-2', { idVendor: '0955', idProduct: '7035' });
    // Tests never use the real gadget address: the option points at loopback.
    const source = new UsbRecoverySource({ devicesFolder: root, intervalMs: 0, usbNetworkAddress: '127.0.0.55', usbNetworkPort: 2222 });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    expect(events).toEqual([
      {
        type: 'add',
        port: expect.objectContaining({
          key: 'network://127.0.0.55:2222',
          properties: { host: '127.0.0.55', port: 2222, vid: '0955', pid: '7020', serialNumber: '1421623000456' },
        }),
      },
      { type: 'add', port: expect.objectContaining({ key: 'usb-recovery://3-2', label: 'Jetson in initrd flashing mode' }) },
    ]);
    rmSync(join(root, '3-1'), { recursive: true });
    await source.refresh();
    expect(events.at(-1)).toEqual({ type: 'remove', key: 'network://127.0.0.55:2222' });
    await source.stop();
  });

  it('lists nothing when the folder does not exist', async () => {
    const source = new UsbRecoverySource({ devicesFolder: join(root, 'missing'), intervalMs: 0 });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    await source.stop();
    expect(events).toEqual([]);
  });
});
