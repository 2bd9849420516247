import { describe, expect, it } from 'vitest';
import { normalizeUsbId, usbRole } from './usb-ids.ts';

describe('normalizeUsbId', () => {
  it('stores every spelling as lowercase 4-hex without 0x', () => {
    expect(normalizeUsbId('0955')).toBe('0955');
    expect(normalizeUsbId('0x0955')).toBe('0955');
    expect(normalizeUsbId('0X7E19')).toBe('7e19');
    expect(normalizeUsbId(' 7F21 ')).toBe('7f21');
    expect(normalizeUsbId('955')).toBe('0955');
    expect(normalizeUsbId(0x955)).toBe('0955');
  });

  it('rejects what is not a 16-bit hex id', () => {
    expect(normalizeUsbId('')).toBeUndefined();
    expect(normalizeUsbId('0x12345')).toBeUndefined();
    expect(normalizeUsbId('nvidia')).toBeUndefined();
    expect(normalizeUsbId(70000)).toBeUndefined();
    expect(normalizeUsbId(undefined)).toBeUndefined();
  });
});

describe('usbRole', () => {
  it('maps recovery ids to modules (jetson-facts.md 4.1)', () => {
    expect(usbRole('0x0955', '0x7523')).toEqual({ kind: 'recovery', module: 'Jetson Orin Nano 8GB', supervisor: false });
    expect(usbRole('0955', '7F21')).toMatchObject({ kind: 'recovery', module: 'Jetson Nano' });
    expect(usbRole('0955', '7045')).toMatchObject({ kind: 'recovery', supervisor: true });
  });

  it('tells the booted gadget, initrd flashing and console bridges apart', () => {
    expect(usbRole('0955', '7020')).toEqual({ kind: 'l4t-gadget' });
    expect(usbRole('0955', '7035')).toEqual({ kind: 'initrd-flash' });
    expect(usbRole('0955', '7100')).toEqual({ kind: 'nvidia-other' });
    expect(usbRole('0403', '6011')).toEqual({ kind: 'console-bridge', chip: 'FTDI FT4232H' });
    expect(usbRole('046d', 'c52b')).toEqual({ kind: 'unknown' });
  });
});
