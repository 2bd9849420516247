/**
 * The embedded terminal over a raw serial console: the xterm IS the console
 * (no framing, no login automation), so the first login and the first-boot
 * setup (oem-config on the console) happen there, typed by the student.
 * Unplugging the cable ends the session with a clear line in the terminal.
 */
import { StringDecoder } from 'node:string_decoder';
import type { SerialBinding } from '../link/serial-port-open.ts';
import { closeSerialPort, openSerialPort } from '../link/serial-port-open.ts';
import { unlistedFailure, unpluggedFailure } from '../link/serial-errors.ts';
import { ShellListeners, type ShellSession } from '../link/ssh-shell.ts';
import type { TerminalSource } from './terminal.ts';

/** Every Jetson console runs at 115200 8N1 (jetson-facts.md §4.3). */
const consoleBaudRate = 115200;

export interface SerialTerminalOptions {
  /** serialport's MockBinding in unit tests; the real binding otherwise. */
  binding?: SerialBinding;
}

export function serialTerminalSource(path: string, options: SerialTerminalOptions = {}): TerminalSource {
  return {
    async openShell() {
      const port = await openSerialPort(path, consoleBaudRate, options.binding);
      return wrapSerialPort(path, port);
    },
  };
}

function wrapSerialPort(path: string, port: Awaited<ReturnType<typeof openSerialPort>>): ShellSession {
  // What the board prints before the terminal subscribes (a login prompt, boot messages) is kept for it.
  const listeners = new ShellListeners();
  const decoder = new StringDecoder('utf8');
  // Write errors after an unplug are reported by 'close' below; without a listener they would crash main.
  port.on('error', () => undefined);
  port.on('data', (chunk: Buffer) => listeners.data(decoder.write(chunk)));
  port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
    if (listeners.exited) return;
    listeners.data(decoder.end());
    // Closed by us: nothing to say. Closed under us (the cable): say so in the terminal itself.
    if (error) listeners.data(`\r\n\x1b[1;31m${unpluggedFailure(path).message}\x1b[0m\r\n`);
    listeners.exit(null);
  });
  return {
    write: (data) => {
      if (!listeners.exited) port.write(data);
    },
    // A serial line has no window size; `stty rows/cols` on the board is the student's to run.
    resize: () => undefined,
    close: () => void closeSerialPort(port),
    onData: (listener) => listeners.onData(listener),
    onExit: (listener) => listeners.onExit(listener),
  };
}

/** The board id `terminal.open` gets for a serial console (see `serialTerminalId` in the contract). */
const serialPrefix = 'serial:';

/**
 * Routes `terminal.open`: `serial:<path>` opens that console, when discovery
 * lists it (the renderer is untrusted: it cannot open just any device file);
 * any other id is a board of the inventory.
 */
export function routeTerminalSource(
  boardSource: (boardId: string) => TerminalSource,
  isSerialPortListed: (path: string) => boolean,
  options: SerialTerminalOptions = {},
): (boardId: string) => TerminalSource {
  return (boardId) => {
    if (!boardId.startsWith(serialPrefix)) return boardSource(boardId);
    const path = boardId.slice(serialPrefix.length);
    if (!isSerialPortListed(path)) throw unlistedFailure(path);
    return serialTerminalSource(path, options);
  };
}
