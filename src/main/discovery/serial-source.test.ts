import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryEvent } from '../../shared/discovery.ts';
import { SerialSource } from './serial-source.ts';

// In ESM the mock binding is reached through the mock port class (STYLE.md G.3).
const binding = SerialPortMock.binding;

afterEach(() => binding.reset());

describe('SerialSource', () => {
  it('lists NVIDIA ports and known console bridges, not other serial devices', async () => {
    binding.createPort('/dev/ttyACM0', { vendorId: '0955', productId: '7020', manufacturer: 'NVIDIA' });
    binding.createPort('/dev/ttyUSB0', { vendorId: '0x0403', productId: '0x6011', manufacturer: 'FTDI' });
    binding.createPort('/dev/ttyUSB1', { vendorId: '2341', productId: '0043', manufacturer: 'Arduino' });
    const source = new SerialSource({ list: () => SerialPortMock.list(), intervalMs: 0 });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    const added = events.flatMap((event) => (event.type === 'add' ? [event.port] : []));
    expect(added.map((port) => port.key).sort()).toEqual(['serial:///dev/ttyACM0', 'serial:///dev/ttyUSB0']);
    expect(added.find((port) => port.address === '/dev/ttyACM0')).toMatchObject({
      label: 'Jetson console on the USB cable (/dev/ttyACM0)',
      properties: { vid: '0955', pid: '7020', manufacturer: 'NVIDIA' },
    });
    expect(added.find((port) => port.address === '/dev/ttyUSB0')?.properties).toMatchObject({
      vid: '0403',
      pid: '6011',
      hint: 'possibly a console',
    });
    await source.stop();
  });

  it('reports unplugging as remove, and keeps manual entries', async () => {
    binding.createPort('/dev/ttyACM0', { vendorId: '0955', productId: '7020' });
    const source = new SerialSource({ list: () => SerialPortMock.list(), intervalMs: 0, manualPaths: ['/dev/pts/7'] });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    expect(events.map((event) => (event.type === 'add' ? event.port.key : `-${event.key}`))).toEqual([
      'serial:///dev/ttyACM0',
      'serial:///dev/pts/7',
    ]);
    binding.reset();
    await source.refresh();
    expect(events.at(-1)).toEqual({ type: 'remove', key: 'serial:///dev/ttyACM0' });
    await source.addManualPort('/dev/ttyUSB3');
    expect(events.at(-1)).toMatchObject({ type: 'add', port: { address: '/dev/ttyUSB3', properties: { manual: true } } });
    await source.stop();
    expect(events.filter((event) => event.type === 'remove')).toHaveLength(3);
  });
});
