import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import type { DiscoveryEvent } from '../../shared/discovery.ts';
import { DiscoveryAggregator } from './aggregator.ts';
import { SshConfigSource } from './ssh-config-source.ts';
import { SshScanSource } from './ssh-scan-source.ts';

/** A port free on every 127.0.0.x address the fleet uses (the sim listens on one port per address). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function openHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'Timeout').length;
}

let fleet: Fleet;
let port: number;
const folder = mkdtempSync(join(tmpdir(), 'jwb-discovery-'));

beforeAll(async () => {
  port = await freePort();
  // Four boards on 127.0.0.42-45; the scan also covers .40-.41 and .46-.47, where nothing listens.
  fleet = await startFleet({ profile: 'orin-nano', count: 4, host: '127.0.0.42', port });
});
afterAll(async () => {
  await fleet.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('discovery against a simulated fleet', () => {
  it('finds every board with its banner and host key, merged with the ssh config entries', async () => {
    const before = openHandles();
    const configPath = join(folder, 'ssh_config');
    writeFileSync(configPath, `Host lab-orin\n  HostName 127.0.0.43\n  Port ${port}\n  User jetson\n`);
    const scan = new SshScanSource({ range: '127.0.0.40-127.0.0.47', ports: [port], timeoutMs: 500 });
    const config = new SshConfigSource({ path: configPath, home: folder });
    const aggregator = new DiscoveryAggregator([scan, config], { debounceMs: 20 });
    await aggregator.start();
    const boards = aggregator.flush();
    expect(boards.map((board) => board.ports.map((item) => item.address))).toEqual(
      ['127.0.0.42', '127.0.0.43', '127.0.0.44', '127.0.0.45'].map((host) => [`${host}:${port}`]),
    );
    for (const descriptor of fleet.boards) {
      const board = boards.find((candidate) => candidate.id === `network://${descriptor.host}:${port}`);
      expect(board?.ports[0]?.properties).toMatchObject({
        banner: expect.stringMatching(/^SSH-2\.0-/),
        hostKeyFingerprint: descriptor.fingerprint,
        hostKeyType: 'ssh-ed25519',
      });
    }
    expect(boards[1]?.label).toBe('lab-orin');
    expect(boards[1]?.ports[0]?.source).toBe('ssh-config,ssh-scan');
    await aggregator.stop();
    expect(aggregator.boards).toHaveLength(4);
    // The simulated servers (in this process) close their side a moment later.
    await vi.waitFor(() => expect(openHandles()).toBeLessThanOrEqual(before), { timeout: 2000, interval: 20 });
  });

  it('groups one board reached at two addresses by its host key', async () => {
    // A TCP relay on 127.0.0.60 stands in for a second path to board 1 (as the USB network gives).
    const sockets = new Set<Socket>();
    const relay = createServer((incoming) => {
      const outgoing = connect({ host: '127.0.0.42', port });
      sockets.add(incoming).add(outgoing);
      incoming.pipe(outgoing).pipe(incoming);
      incoming.on('error', () => outgoing.destroy());
      outgoing.on('error', () => incoming.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.60', resolve));
    try {
      const scan = new SshScanSource({ range: '127.0.0.42,127.0.0.43,127.0.0.60', ports: [port] });
      const aggregator = new DiscoveryAggregator([scan], { debounceMs: 10 });
      await aggregator.start();
      const boards = aggregator.flush();
      expect(boards.map((board) => board.ports.map((item) => item.address))).toEqual([
        [`127.0.0.42:${port}`, `127.0.0.60:${port}`],
        [`127.0.0.43:${port}`],
      ]);
      await aggregator.stop();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  it('removes a board that stopped answering on rescan, and cancels promptly', async () => {
    const solo = await startFleet({ profile: 'nano', count: 1, host: '127.0.0.50', port });
    const scan = new SshScanSource({ range: '127.0.0.50-127.0.0.51', ports: [port], hostKeys: false });
    const events: DiscoveryEvent[] = [];
    scan.onDidChange((event) => events.push(event));
    await scan.start();
    expect(events).toEqual([{ type: 'add', port: expect.objectContaining({ key: `network://127.0.0.50:${port}` }) }]);
    await solo.dispose();
    await scan.rescan();
    expect(events.at(-1)).toEqual({ type: 'remove', key: `network://127.0.0.50:${port}` });

    const big = new SshScanSource({ range: '127.0.1.0/22', ports: [port], concurrency: 4, timeoutMs: 300 });
    const started = Date.now();
    const pass = big.start();
    await big.stop();
    await pass;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a range over 4096 hosts before sending anything', () => {
    expect(() => new SshScanSource({ range: '127.0.0.0/16' })).toThrow(/at most 4096/);
  });
});
