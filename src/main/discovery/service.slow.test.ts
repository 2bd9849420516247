/**
 * `discovery.scan` through the contract (in-memory bridge) against a small
 * simulated fleet on loopback: the boards stream in, progress ends, and a
 * found board is added to the inventory in one call.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { DiscoveryState } from '../../shared/discovery-contract.ts';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { openTestWorkbench, type TestWorkbench } from '../../../test/support/test-workbench.ts';

let fleet: Fleet;
let test: TestWorkbench;
let bridge: WorkbenchBridge;

/** A port free on the fleet's first address (the fleet uses one port on every address). */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, host, resolve).once('error', reject));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 3, host: '127.0.0.60', port: await freePort('127.0.0.60') });
  test = openTestWorkbench('jwb-discovery-scan-', {
    discovery: { sources: { usb: false, serial: false, sshConfig: false }, debounceMs: 20, scan: { timeoutMs: 500 } },
  });
  ({ bridge } = test);
});

afterAll(async () => {
  await test?.dispose();
  await fleet?.dispose();
});

describe('discovery.scan against simulated boards', () => {
  it('streams the boards of the range with their SSH banner and host key, then adds one to the inventory', async () => {
    const port = fleet.boards[0]!.port;
    const states: DiscoveryState[] = [];
    const finished = new Promise<DiscoveryState>((resolve) =>
      bridge.on('discovery.onDidChange', (state) => {
        states.push(state);
        if (state.scan !== null && !state.scan.running && state.boards.length === 3) resolve(state);
      }),
    );
    const started = await bridge.call['discovery.scan']({ range: '127.0.0.58-127.0.0.64', ports: [port] });
    expect(started).toEqual({ ok: true, value: { hosts: 7 } });
    const state = await finished;

    expect(state.scan).toEqual({ range: '127.0.0.58-127.0.0.64', ports: [port], total: 7, probed: 7, running: false });
    const found = state.boards.map((board) => board.ports[0]?.properties);
    expect(found.map((properties) => properties?.host)).toEqual(['127.0.0.60', '127.0.0.61', '127.0.0.62']);
    expect(found.map((properties) => properties?.hostKeyFingerprint)).toEqual(fleet.boards.map((board) => board.fingerprint));
    expect(String(found[0]?.banner)).toMatch(/^SSH-2\.0-/);
    // Every state published on the way lists boards of this range only.
    expect(states.every((candidate) => candidate.boards.every((board) => board.ports[0]?.properties.port === port))).toBe(true);

    const listed = await bridge.call['discovery.list']({});
    expect(listed.ok && listed.value.boards.length).toBe(3);

    const added = await bridge.call['boards.add']({ host: '127.0.0.61', port, user: 'jetson' });
    expect(added.ok && added.value).toMatchObject({ host: '127.0.0.61', port, user: 'jetson', state: 'offline' });
  });

  it('cancels a scan in flight and keeps what it found', async () => {
    const port = fleet.boards[0]!.port;
    await bridge.call['discovery.scan']({ range: '127.0.0.60-127.0.1.250', ports: [port] });
    const stopped = await bridge.call['discovery.stop']({});
    expect(stopped.ok).toBe(true);
    const listed = await bridge.call['discovery.list']({});
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.scan?.running).toBe(false);
    expect(listed.value.scan?.probed ?? 0).toBeLessThan(listed.value.scan?.total ?? 0);
  });
});
