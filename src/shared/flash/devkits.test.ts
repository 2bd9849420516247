import { describe, expect, it } from 'vitest';
import { Devkit } from './contract.ts';
import { devkitForProductId, devkits, findDevkit, flashArgv, targetFor } from './devkits.ts';
import { recoveryProducts } from '../usb-ids.ts';

function devkit(id: string): Devkit {
  const found = findDevkit(id);
  if (found === undefined) throw new Error(`no devkit ${id}`);
  return found;
}

describe('devkits', () => {
  it('are valid contract records with unique ids, recovery steps and known APX ids', () => {
    expect(new Set(devkits.map((entry) => entry.id)).size).toBe(devkits.length);
    for (const entry of devkits) {
      expect(Devkit.parse(entry)).toEqual(entry);
      expect(entry.recoverySteps.length).toBeGreaterThan(2);
      expect(entry.targets.length).toBeGreaterThan(0);
      for (const id of entry.recoveryProductIds) expect(recoveryProducts[id]).toBeDefined();
    }
  });

  it('covers the devkits of the reference, with the storage each can be flashed to', () => {
    const storages = (id: string): string[] => devkit(id).targets.map((target) => target.storage);
    expect(storages('jetson-tx1-devkit')).toEqual(['emmc']);
    expect(storages('jetson-tx2-devkit')).toEqual(['emmc']);
    expect(storages('jetson-nano-devkit-b01')).toEqual(['sd']);
    expect(storages('jetson-nano-devkit-a02')).toEqual(['sd']);
    expect(storages('jetson-nano-emmc')).toEqual(['emmc']);
    expect(storages('jetson-xavier-nx-devkit')).toEqual(['sd']);
    expect(storages('jetson-xavier-nx-devkit-emmc')).toEqual(['emmc']);
    expect(storages('jetson-agx-xavier-devkit')).toEqual(['emmc']);
    expect(storages('jetson-agx-orin-devkit')).toEqual(['emmc']);
    expect(storages('jetson-orin-nano-devkit')).toEqual(['sd', 'qspi', 'nvme']);
    expect(storages('jetson-orin-nx-devkit')).toEqual(['sd', 'qspi', 'nvme']);
  });

  it('says which buttons or pins, in order, and offers reboot forced-recovery for a running board', () => {
    const texts = (id: string): string =>
      devkit(id)
        .recoverySteps.map((entry) => `${entry.text} ${entry.detail ?? ''}`)
        .join('\n');
    expect(texts('jetson-nano-devkit-a02')).toMatch(/3 \(FC REC\) and 4 \(GND\) of J40/);
    expect(texts('jetson-nano-devkit-b01')).toMatch(/9 \(GND\) and 10 \(FC REC\) of J12/);
    expect(texts('jetson-orin-nano-devkit')).toMatch(/of J14/);
    const tx2 = texts('jetson-tx2-devkit');
    expect(tx2.indexOf('REC, S3')).toBeLessThan(tx2.indexOf('RST, S1'));
    expect(texts('jetson-agx-orin-devkit')).toMatch(/next to the 40-pin header/);
    for (const entry of devkits) expect(entry.recoverySteps.at(-1)?.text).toContain('sudo reboot forced-recovery');
  });
});

describe('devkitForProductId', () => {
  it('maps the board seen in recovery to its candidate devkits', () => {
    expect(devkitForProductId('7023').map((entry) => entry.id)).toEqual(['jetson-agx-orin-devkit']);
    expect(devkitForProductId('0x7E19').map((entry) => entry.id)).toEqual(['jetson-xavier-nx-devkit', 'jetson-xavier-nx-devkit-emmc']);
    expect(devkitForProductId('7f21').map((entry) => entry.id)).toContain('jetson-nano-emmc');
    expect(devkitForProductId('7523').map((entry) => entry.id)).toEqual(['jetson-orin-nano-devkit', 'jetson-orin-nano-devkit-super']);
    expect(devkitForProductId('7020')).toEqual([]);
    expect(devkitForProductId('not an id')).toEqual([]);
  });
});

describe('flashArgv', () => {
  it('builds flash.sh <board> <rootdev> for eMMC, SD and QSPI', () => {
    expect(flashArgv(devkit('jetson-agx-orin-devkit'), 'emmc')).toEqual(['./flash.sh', 'jetson-agx-orin-devkit', 'internal']);
    expect(flashArgv(devkit('jetson-nano-devkit-b01'), 'sd')).toEqual(['./flash.sh', 'jetson-nano-devkit', 'mmcblk0p1']);
    expect(flashArgv(devkit('jetson-orin-nano-devkit'), 'qspi', { usbInstance: '1-3.2' })).toEqual([
      './flash.sh',
      '--usb-instance',
      '1-3.2',
      'jetson-orin-nano-devkit',
      'internal',
    ]);
  });

  it('builds the reference NVMe command for R35 and its R36 layout names', () => {
    expect(flashArgv(devkit('jetson-orin-nano-devkit'), 'nvme')).toEqual([
      './tools/kernel_flash/l4t_initrd_flash.sh',
      '--external-device',
      'nvme0n1p1',
      '-c',
      'tools/kernel_flash/flash_l4t_external.xml',
      '-p',
      '-c bootloader/t186ref/cfg/flash_t234_qspi.xml',
      '--showlogs',
      '--network',
      'usb0',
      'jetson-orin-nano-devkit',
      'internal',
    ]);
    const r36 = flashArgv(devkit('jetson-orin-nano-devkit-super'), 'nvme', { l4tMajor: 36, usbInstance: '2-1' });
    expect(r36.slice(1, 3)).toEqual(['--usb-instance', '2-1']);
    expect(r36).toContain('tools/kernel_flash/flash_l4t_t234_nvme.xml');
    expect(r36).toContain('-c bootloader/generic/cfg/flash_t234_qspi.xml');
    expect(r36.at(-2)).toBe('jetson-orin-nano-devkit-super');
  });

  it('refuses a storage the devkit lacks and a USB port that is not one', () => {
    expect(targetFor(devkit('jetson-tx1-devkit'), 'nvme')).toBeUndefined();
    expect(() => flashArgv(devkit('jetson-tx1-devkit'), 'nvme')).toThrow(/cannot be flashed to nvme/);
    expect(() => flashArgv(devkit('jetson-tx1-devkit'), 'emmc', { usbInstance: '--no-flash' })).toThrow(/Not a USB port/);
  });
});
