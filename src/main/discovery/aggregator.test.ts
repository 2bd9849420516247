import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { portKey, type DiscoveredPort, type DiscoveryEvent, type DiscoverySource } from '../../shared/discovery.ts';
import { DiscoveryAggregator } from './aggregator.ts';
import { PortSet } from './port-set.ts';

class FakeSource implements DiscoverySource {
  readonly name: string;
  readonly set = new PortSet();
  readonly initial: DiscoveredPort[];
  started = 0;
  stopped = 0;
  constructor(name: string, initial: DiscoveredPort[] = []) {
    this.name = name;
    this.initial = initial;
  }
  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.set.onDidChange(listener);
  }
  async start(): Promise<void> {
    this.started += 1;
    this.set.replaceAll(this.initial);
  }
  async stop(): Promise<void> {
    this.stopped += 1;
    this.set.clear();
  }
}

function networkPort(address: string, source: string, properties: DiscoveredPort['properties'] = {}): DiscoveredPort {
  return { key: portKey('network', address), protocol: 'network', address, label: address, properties, source };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('DiscoveryAggregator', () => {
  it('debounces the initial burst into one notification', async () => {
    const ports = Array.from({ length: 20 }, (_, index) => networkPort(`127.0.0.${index + 2}:22`, 'scan'));
    const aggregator = new DiscoveryAggregator([new FakeSource('scan', ports)]);
    const listener = vi.fn();
    aggregator.onDidChange(listener);
    await aggregator.start();
    expect(listener).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(99);
    expect(listener).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]?.[0]).toHaveLength(20);
    await aggregator.stop();
  });

  it('merges one key seen by two sources, and notifies only on a real change', async () => {
    const scan = new FakeSource('ssh-scan', [networkPort('127.0.0.2:22', 'ssh-scan', { banner: 'SSH-2.0-OpenSSH_8.9p1' })]);
    const config = new FakeSource('ssh-config', [{ ...networkPort('127.0.0.2:22', 'ssh-config', { user: 'jetson' }), label: 'lab-orin' }]);
    const aggregator = new DiscoveryAggregator([scan, config]);
    const listener = vi.fn();
    aggregator.onDidChange(listener);
    await aggregator.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(aggregator.boards).toHaveLength(1);
    expect(aggregator.boards[0]?.ports[0]).toMatchObject({
      label: 'lab-orin',
      source: 'ssh-config,ssh-scan',
      properties: { banner: 'SSH-2.0-OpenSSH_8.9p1', user: 'jetson' },
    });
    // Remove and re-add the same port within one window: no change to report.
    scan.set.remove(portKey('network', '127.0.0.2:22'));
    scan.set.add(networkPort('127.0.0.2:22', 'ssh-scan', { banner: 'SSH-2.0-OpenSSH_8.9p1' }));
    await vi.advanceTimersByTimeAsync(200);
    expect(listener).toHaveBeenCalledTimes(1);
    scan.set.remove(portKey('network', '127.0.0.2:22'));
    await vi.advanceTimersByTimeAsync(100);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(aggregator.boards[0]?.ports[0]?.source).toBe('ssh-config');
    await aggregator.stop();
  });

  it('groups ports of one board by host key, serial number, MAC and mDNS name', async () => {
    const source = new FakeSource('mixed', [
      networkPort('127.0.0.2:22', 'mixed', { hostKeyFingerprint: 'SHA256:aaa', serialNumber: '1421' }),
      networkPort('127.0.0.9:22', 'mixed', { hostKeyFingerprint: 'SHA256:aaa' }),
      {
        key: 'serial:///dev/ttyACM0',
        protocol: 'serial',
        address: '/dev/ttyACM0',
        label: 'console',
        properties: { serialNumber: '1421' },
        source: 'mixed',
      },
      networkPort('127.0.0.3:22', 'mixed', { mac: '02:00:00:00:00:01' }),
      networkPort('127.0.0.4:22', 'mixed', { mac: '02:00:00:00:00:01' }),
      networkPort('127.0.0.5:22', 'mixed', {}),
      networkPort('127.0.0.6:22', 'mixed', { mdnsName: 'orin-lab.local' }),
      networkPort('127.0.0.7:22', 'mixed', { mdnsName: 'orin-lab.local' }),
    ]);
    const aggregator = new DiscoveryAggregator([source]);
    await aggregator.start();
    const boards = aggregator.flush();
    expect(boards.map((board) => board.ports.map((port) => port.address))).toEqual([
      ['127.0.0.2:22', '127.0.0.9:22', '/dev/ttyACM0'],
      ['127.0.0.3:22', '127.0.0.4:22'],
      ['127.0.0.5:22'],
      ['127.0.0.6:22', '127.0.0.7:22'],
    ]);
    await aggregator.stop();
  });

  it('stops every source and leaves no timer behind', async () => {
    const source = new FakeSource('scan', [networkPort('127.0.0.2:22', 'scan')]);
    const aggregator = new DiscoveryAggregator([source]);
    const listener = vi.fn();
    aggregator.onDidChange(listener);
    await aggregator.start();
    expect(vi.getTimerCount()).toBe(1);
    await aggregator.stop();
    expect(source.stopped).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    source.set.add(networkPort('127.0.0.3:22', 'scan'));
    await vi.advanceTimersByTimeAsync(500);
    expect(listener).not.toHaveBeenCalled();
  });
});
