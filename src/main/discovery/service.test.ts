/**
 * The discovery service through the contract (in-memory bridge): recovery
 * and serial cards from a fake sysfs tree and serialport's MockBinding,
 * streamed as `discovery.onDidChange`; the serial terminal over the raw port.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, WorkbenchBridge } from '../../shared/api.ts';
import { serialTerminalId, type DiscoveryState } from '../../shared/discovery-contract.ts';
import { nextEvent } from '../../../test/support/next-event.ts';
import { openTestWorkbench, type TestWorkbench } from '../../../test/support/test-workbench.ts';

const binding = SerialPortMock.binding;
type MockPort = Awaited<ReturnType<typeof binding.open>>;
/** The port the serial terminal opened: captured from the binding, as serial-console.test.ts does. */
let opened: MockPort | undefined;
const capturingBinding = {
  ...binding,
  open: async (options: Parameters<typeof binding.open>[0]) => {
    opened = await binding.open(options);
    return opened;
  },
};

/** The USB device disappears: the pending read fails as a real one does (EIO). */
function unplug(port: MockPort): void {
  const internals = port as unknown as { pendingRead: ((error?: Error) => void) | null; read: () => Promise<never> };
  internals.read = () => Promise.reject(new Error('EIO: i/o error'));
  internals.pendingRead?.(new Error('EIO: i/o error'));
}
let test: TestWorkbench;
let sysfs: string;
let bridge: WorkbenchBridge;

function plug(name: string, files: Record<string, string>): void {
  mkdirSync(join(sysfs, name), { recursive: true });
  for (const [file, value] of Object.entries(files)) writeFileSync(join(sysfs, name, file), `${value}\n`);
}

function nextState(accept: (state: DiscoveryState) => boolean): Promise<DiscoveryState> {
  return nextEvent(bridge, 'discovery.onDidChange', accept);
}

beforeEach(() => {
  test = openTestWorkbench('jwb-discovery-service-', (dataDir) => {
    sysfs = join(dataDir, 'sys-bus-usb-devices');
    mkdirSync(sysfs);
    return {
      discovery: {
        usbDevicesFolder: sysfs,
        usbNetworkAddress: '127.0.0.9',
        serialList: () => SerialPortMock.list(),
        sshConfigLoad: async () => [
          { alias: 'lab-orin', hostName: '127.0.0.7', port: 2222, user: 'jetson', identityFiles: [], warnings: [] },
        ],
        pollMs: 40,
        debounceMs: 10,
      },
      serialBinding: capturingBinding,
    };
  });
  ({ bridge } = test);
});

afterEach(async () => {
  await test.dispose();
  binding.reset();
  opened = undefined;
});

describe('discovery through the contract', () => {
  it('lists a board in recovery mode with its module, a serial console and the ssh config hosts', async () => {
    plug('1-2', { idVendor: '0955', idProduct: '7523', busnum: '1', devpath: '2' });
    binding.createPort('/dev/ttyACM0', { vendorId: '0955', productId: '7020', manufacturer: 'NVIDIA' });
    const listed = await bridge.call['discovery.list']({});
    expect(listed.ok).toBe(true);
    const state = listed.ok ? listed.value : undefined;
    const recovery = state?.boards.find((board) => board.ports.some((port) => port.protocol === 'usb-recovery'));
    expect(recovery).toMatchObject({ module: 'Jetson Orin Nano 8GB', label: 'Jetson Orin Nano 8GB in recovery mode' });
    const serial = state?.boards.find((board) => board.ports.some((port) => port.address === '/dev/ttyACM0'));
    expect(serial?.ports[0]).toMatchObject({ protocol: 'serial', properties: { vid: '0955', pid: '7020' } });
    const configured = state?.boards.find((board) => board.label === 'lab-orin');
    expect(configured?.ports[0]?.properties).toMatchObject({ host: '127.0.0.7', port: 2222, user: 'jetson' });
    expect(state?.scan).toBeNull();
  });

  it('streams a board plugged in later, and its leaving', async () => {
    await bridge.call['discovery.list']({});
    const arrived = nextState((state) => state.boards.some((board) => board.module === 'Jetson AGX Orin'));
    plug('3-1', { idVendor: '0955', idProduct: '7023' });
    const withBoard = await arrived;
    expect(withBoard.boards.find((board) => board.module === 'Jetson AGX Orin')?.label).toMatch(/recovery mode/);
    const left = nextState((state) => !state.boards.some((board) => board.module === 'Jetson AGX Orin'));
    rmSync(join(sysfs, '3-1'), { recursive: true });
    expect((await left).boards.some((board) => board.ports.some((port) => port.protocol === 'usb-recovery'))).toBe(false);
  });

  it('refuses a malformed range or serial path before anything is sent', async () => {
    for (const bad of ['127.0.0.9-127.0.0.2', '127.0.0.0/8', '127.0.0.1; rm -rf /']) {
      const range = await bridge.call['discovery.scan']({ range: bad, ports: [22] });
      expect(range.ok ? 'ok' : range.error.code).toBe('invalid-request');
    }
    const path = await bridge.call['discovery.addSerialPort']({ path: '/dev/../etc/passwd' });
    expect(path.ok ? 'ok' : path.error.code).toBe('invalid-request');
    const stopped = await bridge.call['discovery.stop']({});
    expect(stopped).toEqual({ ok: true, value: { stopped: false } });
  });

  it('opens a terminal on a manually added serial console: raw bytes both ways, and a clear line when unplugged', async () => {
    binding.createPort('/dev/ttyS7', { echo: false, record: true });
    const refused = await bridge.call['terminal.open']({ boardId: serialTerminalId('/dev/ttyS7'), cols: 80, rows: 24 });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('not-found');

    const added = await bridge.call['discovery.addSerialPort']({ path: '/dev/ttyS7' });
    expect(added.ok && added.value.boards.some((board) => board.ports.some((port) => port.address === '/dev/ttyS7'))).toBe(true);

    const output: string[] = [];
    const exits: Array<EventPayload<'terminal.onDidExit'>> = [];
    bridge.on('terminal.onDidOutput', ({ data }) => output.push(data));
    const exited = new Promise<void>((resolve) =>
      bridge.on('terminal.onDidExit', (exit) => {
        exits.push(exit);
        resolve();
      }),
    );
    const terminal = await bridge.call['terminal.open']({ boardId: serialTerminalId('/dev/ttyS7'), cols: 80, rows: 24 });
    if (!terminal.ok) throw new Error(terminal.error.message);
    const port = opened;
    if (port === undefined) throw new Error('the serial port was not opened');

    const login = new Promise<void>((resolve) => {
      const stop = bridge.on('terminal.onDidOutput', ({ data }) => {
        if (!data.includes('login:')) return;
        stop();
        resolve();
      });
    });
    port.emitData(Buffer.from('\r\nUbuntu 22.04.5 LTS jetson ttyTCU0\r\n\r\njetson login: '));
    await login;
    const written = new Promise<string>((resolve) => {
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        resolve(buffer.toString());
      };
    });
    await bridge.call['terminal.input']({ terminalId: terminal.value.terminalId, data: 'jetson\r' });
    expect(await written).toBe('jetson\r');

    unplug(port);
    await exited;
    expect(exits).toEqual([{ terminalId: terminal.value.terminalId, code: null }]);
    expect(output.join('')).toMatch(/jetson login: [\s\S]*The serial console was unplugged \(\/dev\/ttyS7\)/);
  });
});
