import { SerialPort, type SerialPortMock, type SerialPortOpenOptions } from 'serialport';
import { openFailure } from './serial-errors.ts';

/**
 * The serialport binding: the real one (bindings-cpp, picked for this OS) or
 * serialport's `MockBinding` in unit tests. Named by the `serialport` package's
 * own static members, so no transitive package is imported directly.
 */
export type SerialBinding = typeof SerialPort.binding | typeof SerialPortMock.binding;

/** The stream both `SerialPort` and `SerialPortMock` are. */
export type SerialStream = SerialPort;

/**
 * Opens `path` 8N1 (every Jetson console: jetson-facts.md §4.3). `SerialPort`
 * spreads its options over its default binding, so `binding` replaces it;
 * the options type leaves `binding` out, hence the widening.
 */
export async function openSerialPort(path: string, baudRate: number, binding?: SerialBinding): Promise<SerialStream> {
  const options = { path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false, ...(binding ? { binding } : {}) };
  const port = new SerialPort(options as SerialPortOpenOptions<typeof SerialPort.binding>);
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    throw openFailure(path, error);
  }
  return port;
}

export async function closeSerialPort(port: SerialStream): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}
