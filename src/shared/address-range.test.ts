import { describe, expect, it } from 'vitest';
import { AddressRangeError, expandAddressRange } from './address-range.ts';

describe('expandAddressRange', () => {
  it('expands full and short dash ranges', () => {
    const full = expandAddressRange('127.0.0.2-127.0.0.33');
    expect(full).toHaveLength(32);
    expect(full[0]).toBe('127.0.0.2');
    expect(full.at(-1)).toBe('127.0.0.33');
    expect(expandAddressRange('127.0.0.254-127.0.1.1')).toEqual(['127.0.0.254', '127.0.0.255', '127.0.1.0', '127.0.1.1']);
    expect(expandAddressRange('127.0.0.5-7')).toEqual(['127.0.0.5', '127.0.0.6', '127.0.0.7']);
  });

  it('expands CIDR without network and broadcast addresses', () => {
    expect(expandAddressRange('127.0.0.0/30')).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(expandAddressRange('127.0.0.9/32')).toEqual(['127.0.0.9']);
    expect(expandAddressRange('127.0.0.0/24')).toHaveLength(254);
  });

  it('accepts lists and host names, without repeats', () => {
    expect(expandAddressRange('127.0.0.2, 127.0.0.3 127.0.0.2-3 jetson.local')).toEqual(['127.0.0.2', '127.0.0.3', 'jetson.local']);
  });

  it('refuses big or malformed ranges', () => {
    expect(() => expandAddressRange('127.0.0.0/8')).toThrow(AddressRangeError);
    expect(() => expandAddressRange('127.0.0.0-127.0.32.0')).toThrow(/at most 4096/);
    expect(() => expandAddressRange('127.0.0.9-127.0.0.2')).toThrow(AddressRangeError);
    expect(() => expandAddressRange('300.1.1.1')).toThrow(AddressRangeError);
    expect(() => expandAddressRange('a b;rm')).toThrow(AddressRangeError);
    expect(() => expandAddressRange('  ')).toThrow(/empty/);
  });
});
