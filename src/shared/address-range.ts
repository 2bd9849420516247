/**
 * The hosts a person asks discovery to scan: `127.0.0.2-127.0.0.33`,
 * `127.0.0.2-33`, `127.0.0.0/27`, or a list of those and host names separated
 * by commas or spaces. Big ranges are refused: a scan is for a lab bench, not
 * a campus network.
 */
export const maxScanHosts = 4096;

export class AddressRangeError extends Error {
  override name = 'AddressRangeError';
}

function toNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function expandOne(item: string, limit: number): string[] {
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(item);
  if (cidr?.[1] !== undefined) {
    const base = toNumber(cidr[1]);
    const bits = Number(cidr[2]);
    if (base === undefined || bits > 32) throw new AddressRangeError(`"${item}" is not an IPv4 network`);
    const size = 2 ** (32 - bits);
    if (size > limit) throw new AddressRangeError(`"${item}" has ${size} addresses; scan at most ${limit}`);
    const start = base - (base % size);
    // Leave out the network and broadcast addresses when there are hosts between them.
    const first = size > 2 ? start + 1 : start;
    const last = size > 2 ? start + size - 2 : start + size - 1;
    return range(first, last);
  }
  const dash = /^([\d.]+)-([\d.]+)$/.exec(item);
  if (dash?.[1] !== undefined && dash[2] !== undefined) {
    const from = toNumber(dash[1]);
    const to = /^\d{1,3}$/.test(dash[2]) && from !== undefined ? from - (from % 256) + Number(dash[2]) : toNumber(dash[2]);
    if (from === undefined || to === undefined || to < from) throw new AddressRangeError(`"${item}" is not an address range`);
    if (to - from + 1 > limit) throw new AddressRangeError(`"${item}" has ${to - from + 1} addresses; scan at most ${limit}`);
    return range(from, to);
  }
  if (toNumber(item) !== undefined) return [item];
  if (/^[\d.]+$/.test(item)) throw new AddressRangeError(`"${item}" is not an IPv4 address`);
  if (/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(item)) return [item];
  throw new AddressRangeError(`"${item}" is not an address, range or host name`);
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, index) => toAddress(from + index));
}

/** Every host of the spec, in order, without repeats; throws AddressRangeError. */
export function expandAddressRange(spec: string, limit = maxScanHosts): string[] {
  const hosts = new Set<string>();
  for (const item of spec.split(/[\s,]+/).filter(Boolean)) {
    for (const host of expandOne(item, limit)) {
      hosts.add(host);
      if (hosts.size > limit) throw new AddressRangeError(`The range has more than ${limit} addresses`);
    }
  }
  if (hosts.size === 0) throw new AddressRangeError('The range is empty');
  return [...hosts];
}
