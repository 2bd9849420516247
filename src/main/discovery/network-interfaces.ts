import { networkInterfaces } from 'node:os';
import type { NetworkInterface } from '../../shared/discovery-contract.ts';

export type InterfaceReader = typeof networkInterfaces;

/**
 * The IPv4 interfaces an mDNS browse may listen on: `os.networkInterfaces()`
 * without the internal ones (loopback). Reading them sends nothing.
 */
export function browsableInterfaces(read: InterfaceReader = networkInterfaces): NetworkInterface[] {
  return Object.entries(read()).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter((info) => info.family === 'IPv4' && !info.internal)
      .map((info) => ({ name, address: info.address, cidr: info.cidr ?? null })),
  );
}
