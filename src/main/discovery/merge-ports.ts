import type { DiscoveredPort, PortProperties } from '../../shared/discovery.ts';
import type { DiscoveredBoard } from './aggregator.ts';

/**
 * Properties that name one physical board whichever way it is reached. An
 * mDNS host name is unique on its link (avahi renames a clash `name-2`), so
 * the addresses one board announces are one board.
 */
const identityProperties = ['hostKeyFingerprint', 'serialNumber', 'mac', 'mdnsName'] as const;

/**
 * Merges ports with the same key (several sources saw it), then groups the
 * ports that share an identity property into boards (union-find). The result
 * is sorted so that deep-equal lists serialize identically.
 */
export function mergePorts(ports: readonly DiscoveredPort[]): DiscoveredBoard[] {
  const byKey = new Map<string, DiscoveredPort>();
  for (const port of ports) {
    const known = byKey.get(port.key);
    byKey.set(port.key, known === undefined ? normalized(port) : mergeTwo(known, port));
  }
  const merged = [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  const parent = merged.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index] ?? index] ?? index;
    return index;
  };
  const owner = new Map<string, number>();
  merged.forEach((port, index) => {
    for (const name of identityProperties) {
      const value = port.properties[name];
      if (value === undefined || value === '') continue;
      const id = `${name}=${String(value)}`;
      const other = owner.get(id);
      if (other === undefined) owner.set(id, index);
      else parent[find(index)] = find(other);
    }
  });
  const groups = new Map<number, DiscoveredPort[]>();
  merged.forEach((port, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), port]);
  });
  return [...groups.values()].map(toBoard).sort((a, b) => a.id.localeCompare(b.id));
}

function toBoard(ports: DiscoveredPort[]): DiscoveredBoard {
  // A network port is what a person connects to; prefer its label, then a named module.
  const first = ports[0] as DiscoveredPort;
  const named = ports.find((port) => port.protocol === 'network') ?? first;
  const module = ports.find((port) => port.module !== undefined)?.module;
  return module === undefined ? { id: first.key, label: named.label, ports } : { id: first.key, label: named.label, module, ports };
}

function normalized(port: DiscoveredPort): DiscoveredPort {
  return { ...port, properties: sortedProperties(port.properties) };
}

function mergeTwo(known: DiscoveredPort, port: DiscoveredPort): DiscoveredPort {
  const sources = [...new Set([...known.source.split(','), port.source])].sort();
  const module = known.module ?? port.module;
  const merged: DiscoveredPort = {
    ...known,
    // A name someone gave (ssh config alias, mDNS name) says more than the bare address.
    label: known.label !== known.address ? known.label : port.label,
    properties: sortedProperties({ ...port.properties, ...known.properties }),
    source: sources.join(','),
  };
  if (module !== undefined) merged.module = module;
  return merged;
}

function sortedProperties(properties: PortProperties): PortProperties {
  const sorted: PortProperties = {};
  for (const name of Object.keys(properties).sort()) {
    const value = properties[name];
    if (value !== undefined) sorted[name] = value;
  }
  return sorted;
}
