import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryEvent } from '../../shared/discovery.ts';
import { DiscoveryAggregator } from './aggregator.ts';
import { ManualSource } from './manual-source.ts';
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

  it('reports unplugging as remove', async () => {
    binding.createPort('/dev/ttyACM0', { vendorId: '0955', productId: '7020' });
    const source = new SerialSource({ list: () => SerialPortMock.list(), intervalMs: 0 });
    const events: DiscoveryEvent[] = [];
    source.onDidChange((event) => events.push(event));
    await source.start();
    expect(events).toEqual([{ type: 'add', port: expect.objectContaining({ key: 'serial:///dev/ttyACM0' }) }]);
    binding.reset();
    await source.refresh();
    expect(events.at(-1)).toEqual({ type: 'remove', key: 'serial:///dev/ttyACM0' });
    await source.stop();
    expect(events).toHaveLength(2);
  });

  it('lists a path typed in through the ManualSource, merged with the listing of the same path', async () => {
    binding.createPort('/dev/ttyUSB0', { vendorId: '10c4', productId: 'ea60', manufacturer: 'Silicon Labs' });
    const manual = new ManualSource();
    manual.addSerialPort('/dev/ttyUSB0');
    manual.addSerialPort('/dev/pts/7');
    const aggregator = new DiscoveryAggregator([new SerialSource({ list: () => SerialPortMock.list(), intervalMs: 0 }), manual]);
    await aggregator.start();
    const ports = aggregator.flush().flatMap((board) => board.ports);
    expect(ports.map((port) => [port.address, port.source, port.label])).toEqual([
      ['/dev/pts/7', 'manual', '/dev/pts/7'],
      ['/dev/ttyUSB0', 'manual,serial', 'Silicon Labs CP210x serial port (/dev/ttyUSB0)'],
    ]);
    expect(ports[1]?.properties).toMatchObject({ manual: true, vid: '10c4', hint: 'possibly a console' });
    await aggregator.stop();
  });
});
