import type { Client, ClientChannel } from 'ssh2';
import { WorkbenchFailure } from '../../shared/errors.ts';

/**
 * An interactive login shell on a pseudo-terminal (`ssh -t`): what the
 * embedded terminal of the Boards view talks to. Text both ways is UTF-8;
 * the decoder keeps a character split across two packets whole.
 */
export interface ShellOptions {
  cols: number;
  rows: number;
  /** Default `xterm-256color`, what xterm.js understands. */
  term?: string;
}

export interface ShellSession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ends the shell (the channel closes; `onExit` fires). */
  close(): void;
  onData(listener: (text: string) => void): () => void;
  /** Once, when the shell ends: its exit status, or null when it was cut off. */
  onExit(listener: (code: number | null) => void): () => void;
}

export function openShell(client: Client, options: ShellOptions): Promise<ShellSession> {
  return new Promise((resolve, reject) => {
    const window = { term: options.term ?? 'xterm-256color', cols: options.cols, rows: options.rows, height: 0, width: 0 };
    client.shell(window, (error, channel) => {
      if (error) reject(new WorkbenchFailure('unavailable', 'The board refused to open a terminal.', error.message));
      else resolve(wrapChannel(channel));
    });
  });
}

function wrapChannel(channel: ClientChannel): ShellSession {
  const dataListeners = new Set<(text: string) => void>();
  const exitListeners = new Set<(code: number | null) => void>();
  let exitCode: number | null = null;
  let exited = false;
  channel.setEncoding('utf8');
  channel.stderr.setEncoding('utf8');
  const forward = (text: string): void => {
    for (const listener of [...dataListeners]) listener(text);
  };
  channel.on('data', forward);
  channel.stderr.on('data', forward);
  channel.on('exit', (code: number | null) => {
    exitCode = typeof code === 'number' ? code : null;
  });
  channel.on('close', () => {
    if (exited) return;
    exited = true;
    for (const listener of [...exitListeners]) listener(exitCode);
    exitListeners.clear();
    dataListeners.clear();
  });
  return {
    write: (data) => {
      if (!exited) channel.write(data);
    },
    resize: (cols, rows) => {
      if (!exited) channel.setWindow(rows, cols, 0, 0);
    },
    close: () => {
      if (!exited) channel.close();
    },
    onData: (listener) => {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onExit: (listener) => {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
  };
}
