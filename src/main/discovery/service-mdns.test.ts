/**
 * `discovery.interfaces`, `discovery.browseMdns` and `discovery.stopMdns`
 * through the contract (in-memory bridge), with a fixed interface list and a
 * fake browser in place of multicast (the real one is tested inside network
 * namespaces: mdns-source.slow.test.ts, test/e2e/mdns.test.ts).
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { DiscoveryState } from '../../shared/discovery-contract.ts';
import { portKey, type DiscoverySource } from '../../shared/discovery.ts';
import { nextEvent } from '../../../test/support/next-event.ts';
import { openTestWorkbench, type TestWorkbench } from '../../../test/support/test-workbench.ts';
import { PortSet } from './port-set.ts';

const interfaces: Record<string, NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  'veth-lab': [
    { address: '169.254.9.1', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '169.254.9.1/24' },
    {
      address: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: 'fe80::1/64',
      scopeid: 2,
    },
  ],
};

/** Stands in for MdnsSource: on start, the board `host` answers, as avahi would. */
class FakeBrowser implements DiscoverySource {
  readonly name = 'mdns';
  readonly #set = new PortSet();
  readonly address: string;
  readonly host: string;
  readonly failure: Error | undefined;
  constructor(address: string, host: string, failure?: Error) {
    this.address = address;
    this.host = host;
    this.failure = failure;
  }
  onDidChange(listener: Parameters<PortSet['onDidChange']>[0]): () => void {
    return this.#set.onDidChange(listener);
  }
  async start(): Promise<void> {
    if (this.failure) throw this.failure;
    const address = `${this.host}:22`;
    const properties = { host: this.host, port: 22, mdnsName: 'orin-lab.local', services: '_ssh._tcp' };
    this.#set.add({ key: portKey('network', address), protocol: 'network', address, label: 'orin-lab', properties, source: 'mdns' });
  }
  async stop(): Promise<void> {
    this.#set.clear();
  }
}

let test: TestWorkbench;
let bridge: WorkbenchBridge;
const browsers: FakeBrowser[] = [];
let nextBrowser = (address: string): FakeBrowser => new FakeBrowser(address, '169.254.9.7');

function nextState(accept: (state: DiscoveryState) => boolean): Promise<DiscoveryState> {
  return nextEvent(bridge, 'discovery.onDidChange', accept);
}

beforeEach(() => {
  test = openTestWorkbench('jwb-discovery-mdns-', {
    discovery: {
      sources: { usb: false, serial: false },
      sshConfigLoad: async () => [{ alias: 'lab-orin', hostName: '169.254.9.7', port: 22, user: 'ada', identityFiles: [], warnings: [] }],
      networkInterfaces: () => interfaces,
      mdnsBrowser: (address) => {
        const browser = nextBrowser(address);
        browsers.push(browser);
        return browser;
      },
      debounceMs: 10,
    },
  });
  ({ bridge } = test);
});

afterEach(async () => {
  await test.dispose();
  browsers.length = 0;
  nextBrowser = (address) => new FakeBrowser(address, '169.254.9.7');
});

describe('mDNS browsing through the contract', () => {
  it('lists the IPv4 interfaces other than loopback', async () => {
    expect(await bridge.call['discovery.interfaces']({})).toEqual({
      ok: true,
      value: [{ name: 'veth-lab', address: '169.254.9.1', cidr: '169.254.9.1/24' }],
    });
  });

  it('browses only on an interface of this computer, and nothing starts for another address', async () => {
    const unknown = await bridge.call['discovery.browseMdns']({ interface: '169.254.9.200', seconds: 5 });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('not-found');
    for (const bad of ['0.0.0.0.0', 'eth0', '169.254.9.1; reboot']) {
      const refused = await bridge.call['discovery.browseMdns']({ interface: bad, seconds: 5 });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('invalid-request');
    }
    const tooLong = await bridge.call['discovery.browseMdns']({ interface: '169.254.9.1', seconds: 3600 });
    expect(tooLong.ok ? 'ok' : tooLong.error.code).toBe('invalid-request');
    expect(browsers).toEqual([]);
  });

  it('streams a board it finds, merged with the ssh config entry at the same address, and keeps it once stopped', async () => {
    const found = nextState((state) => state.boards.some((board) => board.ports.some((port) => port.source.includes('mdns'))));
    const started = await bridge.call['discovery.browseMdns']({ interface: '169.254.9.1', seconds: 60 });
    expect(started).toEqual({ ok: true, value: { interface: '169.254.9.1', name: 'veth-lab', running: true } });
    expect(browsers.map((browser) => browser.address)).toEqual(['169.254.9.1']);
    const state = await found;
    expect(state.boards).toHaveLength(1);
    expect(state.boards[0]).toMatchObject({ id: 'network://169.254.9.7:22', label: 'orin-lab' });
    expect(state.boards[0]?.ports[0]).toMatchObject({ source: 'mdns,ssh-config', properties: { user: 'ada', mdnsName: 'orin-lab.local' } });

    expect(await bridge.call['discovery.stopMdns']({})).toEqual({ ok: true, value: { stopped: true } });
    const listed = await bridge.call['discovery.list']({});
    expect(listed.ok && listed.value.mdns).toEqual({ interface: '169.254.9.1', name: 'veth-lab', running: false });
    expect(listed.ok && listed.value.boards[0]?.ports[0]?.source).toBe('mdns,ssh-config');
    expect(await bridge.call['discovery.stopMdns']({})).toEqual({ ok: true, value: { stopped: false } });
  });

  it('ends a browse by itself after its time, and a new browse replaces the boards of the last', async () => {
    const ended = nextState((state) => state.mdns?.running === false);
    await bridge.call['discovery.browseMdns']({ interface: '169.254.9.1', seconds: 1 });
    expect((await ended).boards.map((board) => board.id)).toEqual(['network://169.254.9.7:22']);

    nextBrowser = (address) => new FakeBrowser(address, '169.254.9.8');
    const replaced = nextState((state) => state.boards.some((board) => board.id === 'network://169.254.9.8:22'));
    await bridge.call['discovery.browseMdns']({ interface: '169.254.9.1', seconds: 60 });
    // The ssh config entry stays; the first browse's board is now only that entry.
    const ids = (await replaced).boards.map((board) => [board.id, board.ports[0]?.source]);
    expect(ids).toEqual([
      ['network://169.254.9.7:22', 'ssh-config'],
      ['network://169.254.9.8:22', 'mdns'],
    ]);
  });

  it('says so when mDNS cannot listen on the interface', async () => {
    nextBrowser = (address) => new FakeBrowser(address, '169.254.9.7', new Error('bind EADDRINUSE 0.0.0.0:5353'));
    const failed = await bridge.call['discovery.browseMdns']({ interface: '169.254.9.1', seconds: 60 });
    expect(failed.ok ? 'ok' : failed.error).toMatchObject({ code: 'unavailable', detail: 'bind EADDRINUSE 0.0.0.0:5353' });
    const listed = await bridge.call['discovery.list']({});
    expect(listed.ok && listed.value.mdns?.running).toBe(false);
  });
});
