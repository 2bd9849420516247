import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DiscoveredBoardView, DiscoveryState } from '../../shared/discovery-contract.ts';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore, sampleBoardSummary } from '../../../test/support/renderer/fake-core.ts';

function openBoards(core: FakeCore) {
  history.replaceState(null, '', '/#/boards');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

function sshBoard(host: string, port: number): DiscoveredBoardView {
  const address = `${host}:${port}`;
  return {
    id: `network://${address}`,
    label: address,
    ports: [
      {
        key: `network://${address}`,
        protocol: 'network',
        address,
        label: address,
        properties: { host, port, banner: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10' },
        source: 'ssh-scan',
      },
    ],
  };
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('the scan panel', () => {
  it('scans a range, streams the boards found with progress, adds one with its user, and cancels', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { host: '127.0.0.51', port: 2222 })];
    openBoards(core);
    const panel = await screen.findByRole('region', { name: 'Scan the network' });
    const range = within(panel).getByRole('textbox', { name: 'Range to scan' });
    expect((range as HTMLInputElement).value).toBe('');
    await fireEvent.input(range, { target: { value: '127.0.0.50-127.0.0.81' } });
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Ports' }), { target: { value: '2222, 22' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Scan' }));
    await waitFor(() => expect(requests(core, 'discovery.scan')).toEqual([{ range: '127.0.0.50-127.0.0.81', ports: [2222, 22] }]));
    expect(await within(panel).findByText('Scanning: 0 of 32 addresses tried…')).toBeTruthy();

    const found: DiscoveryState = {
      boards: [sshBoard('127.0.0.50', 2222), sshBoard('127.0.0.51', 2222)],
      scan: { range: '127.0.0.50-127.0.0.81', ports: [2222, 22], total: 64, probed: 20, running: true },
      mdns: null,
    };
    core.discovery.state = found;
    core.emit('discovery.onDidChange', found);
    const results = await within(panel).findByRole('list', { name: 'Boards found on the network' });
    expect(within(results).getAllByRole('listitem')).toHaveLength(2);
    expect(within(results).getByText('Already in your boards')).toBeTruthy();
    expect(within(panel).getByText('Scanning: 20 of 64 addresses tried…')).toBeTruthy();

    await fireEvent.input(within(results).getByRole('textbox', { name: 'User for 127.0.0.50:2222' }), { target: { value: 'student' } });
    await fireEvent.click(within(results).getByRole('button', { name: 'Add 127.0.0.50:2222 to the boards' }));
    await waitFor(() =>
      expect(requests(core, 'boards.add')).toEqual([{ host: '127.0.0.50', port: 2222, user: 'student', name: '127.0.0.50:2222' }]),
    );
    expect(await screen.findByRole('region', { name: '127.0.0.50:2222' })).toBeTruthy();
    await waitFor(() => expect(within(results).getAllByText('Already in your boards')).toHaveLength(2));

    await fireEvent.click(within(panel).getByRole('button', { name: 'Stop the scan' }));
    await waitFor(() => expect(requests(core, 'discovery.stop')).toHaveLength(1));
    expect(await within(panel).findByText('Scan stopped after 20 of 64 addresses: 2 found.')).toBeTruthy();
  });

  it('refuses ports that are not numbers without calling the core, and shows a refused range', async () => {
    const core = new FakeCore();
    core.failures.set('discovery.scan', {
      code: 'invalid-request',
      message: '"127.0.0.9-2" is not an address range',
      detail: '"127.0.0.9-2" is not an address range',
    });
    openBoards(core);
    const panel = await screen.findByRole('region', { name: 'Scan the network' });
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Range to scan' }), { target: { value: '127.0.0.9-2' } });
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Ports' }), { target: { value: 'ssh' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Scan' }));
    expect(await within(panel).findByRole('alert')).toBeTruthy();
    expect(requests(core, 'discovery.scan')).toEqual([]);
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Ports' }), { target: { value: '22' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Scan' }));
    expect(await within(panel).findByText('The scan could not start.')).toBeTruthy();
    expect(within(panel).getByText('"127.0.0.9-2" is not an address range')).toBeTruthy();
  });

  it('shows a board in recovery mode with its module and what that means, and a serial console, in French too', async () => {
    const core = new FakeCore();
    core.discovery.state = {
      boards: [
        {
          id: 'usb-recovery://1-2',
          label: 'Jetson Orin Nano 8GB in recovery mode',
          module: 'Jetson Orin Nano 8GB',
          ports: [
            {
              key: 'usb-recovery://1-2',
              protocol: 'usb-recovery',
              address: '1-2',
              label: 'Jetson Orin Nano 8GB in recovery mode',
              properties: { vid: '0955', pid: '7523' },
              module: 'Jetson Orin Nano 8GB',
              source: 'usb',
            },
          ],
        },
      ],
      scan: null,
      mdns: null,
    };
    openBoards(core);
    const recovery = await screen.findByRole('region', { name: 'Jetson Orin Nano 8GB' });
    expect(within(recovery).getByText('Recovery mode')).toBeTruthy();
    expect(within(recovery).getByText(/Force Recovery Mode: it is waiting to be flashed/)).toBeTruthy();

    await fireEvent.input(screen.getByRole('textbox', { name: 'Serial device' }), { target: { value: '/dev/ttyUSB3' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add the console' }));
    const serial = await screen.findByRole('region', { name: '/dev/ttyUSB3' });
    expect(within(serial).getByText('Serial console only')).toBeTruthy();
    expect(within(serial).getByRole('button', { name: 'Open the console' })).toBeTruthy();

    core.preferences = { ...core.preferences, language: 'fr' };
    core.emit('settings.onDidChange', core.preferences);
    expect(await within(recovery).findByText(/mode Force Recovery : elle attend d’être flashée/)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Scanner le réseau' })).toBeTruthy();
  });
});

describe('mDNS browsing', () => {
  const veth = { name: 'veth-lab', address: '169.254.9.1', cidr: '169.254.9.1/24' };

  it('browses only once an interface is picked, lists the boards announced, and stops', async () => {
    const core = new FakeCore();
    core.discovery.interfaces = [veth];
    openBoards(core);
    const browse = await screen.findByRole('region', { name: 'Browse the local network (mDNS)' });
    const button = within(browse).getByRole('button', { name: 'Browse' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(await within(browse).findByRole('combobox', { name: 'Network interface' }), { target: { value: veth.address } });
    await fireEvent.click(button);
    await waitFor(() => expect(requests(core, 'discovery.browseMdns')).toEqual([{ interface: veth.address, seconds: 60 }]));
    expect(await within(browse).findByText('Listening for boards on veth-lab (169.254.9.1)…')).toBeTruthy();

    const announced = sshBoard('169.254.9.7', 22);
    const port = { ...announced.ports[0]!, label: 'orin-lab', source: 'mdns', properties: { host: '169.254.9.7', port: 22 } };
    core.discovery.state = { ...core.discovery.state, boards: [{ ...announced, label: 'orin-lab', ports: [port] }] };
    core.emit('discovery.onDidChange', core.discovery.state);
    const results = await screen.findByRole('list', { name: 'Boards found on the network' });
    expect(within(results).getByText('orin-lab')).toBeTruthy();
    await fireEvent.click(within(results).getByRole('button', { name: 'Add 169.254.9.7:22 to the boards' }));
    await waitFor(() =>
      expect(requests(core, 'boards.add')).toEqual([{ host: '169.254.9.7', port: 22, user: 'jetson', name: 'orin-lab' }]),
    );

    await fireEvent.click(within(browse).getByRole('button', { name: 'Stop browsing' }));
    await waitFor(() => expect(requests(core, 'discovery.stopMdns')).toHaveLength(1));
    expect(await within(browse).findByText('Browsing on veth-lab finished: 1 found.')).toBeTruthy();
  });

  it('says when there is no interface to browse on, in French too', async () => {
    const core = new FakeCore();
    openBoards(core);
    const browse = await screen.findByRole('region', { name: 'Browse the local network (mDNS)' });
    expect(await within(browse).findByText(/no network interface besides loopback/)).toBeTruthy();
    expect(within(browse).queryByRole('button', { name: 'Browse' })).toBeNull();
    core.preferences = { ...core.preferences, language: 'fr' };
    core.emit('settings.onDidChange', core.preferences);
    expect(await screen.findByRole('region', { name: 'Parcourir le réseau local (mDNS)' })).toBeTruthy();
  });
});

describe('the first login on a serial console', () => {
  const path = '/dev/ttyACM0';
  const login = {
    path,
    user: 'ada',
    hostname: 'lab-07',
    module: 'NVIDIA Jetson Orin Nano Developer Kit',
    l4t: '36.4.3',
    jetpack: '6.2',
    addresses: ['127.0.0.5'],
  };

  async function consoleCard(core: FakeCore): Promise<HTMLElement> {
    openBoards(core);
    await fireEvent.input(await screen.findByRole('textbox', { name: 'Serial device' }), { target: { value: path } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add the console' }));
    return screen.findByRole('region', { name: path });
  }

  it('logs in, shows the address read, and adds and connects user@address in one click with the password typed', async () => {
    const core = new FakeCore();
    core.discovery.logins.set(path, { password: 's3cret', login });
    const card = await consoleCard(core);
    await fireEvent.input(within(card).getByRole('textbox', { name: 'User' }), { target: { value: 'ada' } });
    await fireEvent.input(within(card).getByLabelText('Password'), { target: { value: 's3cret' } });
    await fireEvent.click(within(card).getByRole('button', { name: 'Log in and read the address' }));
    expect(await within(card).findByText('Logged in as ada on lab-07.')).toBeTruthy();
    expect(requests(core, 'discovery.serialLogin')).toEqual([{ path, user: 'ada', password: 's3cret' }]);
    expect(within(card).getByText('NVIDIA Jetson Orin Nano Developer Kit · JetPack 6.2')).toBeTruthy();

    const addresses = within(card).getByRole('list', { name: 'Network addresses of lab-07' });
    await fireEvent.input(within(card).getByRole('spinbutton', { name: 'SSH port' }), { target: { value: '2222' } });
    await fireEvent.click(within(addresses).getByRole('button', { name: 'Connect to ada@127.0.0.5 over the network' }));
    await waitFor(() => expect(requests(core, 'boards.connect')).toHaveLength(1));
    expect(requests(core, 'boards.add')).toEqual([{ host: '127.0.0.5', port: 2222, user: 'ada', name: 'lab-07' }]);
    expect(requests(core, 'boards.connect')).toEqual([{ id: 'board-1', password: 's3cret' }]);
    expect(await screen.findByRole('region', { name: 'lab-07' })).toBeTruthy();
  });

  it('shows a refused login and a board without a network address yet', async () => {
    const core = new FakeCore();
    core.discovery.logins.set(path, { password: 's3cret', login: { ...login, addresses: [] } });
    const card = await consoleCard(core);
    await fireEvent.input(within(card).getByLabelText('Password'), { target: { value: 'wrong' } });
    await fireEvent.click(within(card).getByRole('button', { name: 'Log in and read the address' }));
    expect(await within(card).findByText('The login on the serial console failed.')).toBeTruthy();
    expect((within(card).getByLabelText('Password') as HTMLInputElement).value).toBe('');

    await fireEvent.input(within(card).getByLabelText('Password'), { target: { value: 's3cret' } });
    await fireEvent.click(within(card).getByRole('button', { name: 'Log in and read the address' }));
    expect(await within(card).findByText(/no network address yet/)).toBeTruthy();
    expect(within(card).queryByRole('alert')).toBeNull();
  });
});
