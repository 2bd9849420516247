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
  /** What the shell said before the first listener came is handed to it at once: nothing is lost. */
  onData(listener: (text: string) => void): () => void;
  /** Once, when the shell ends: its exit status, or null when it was cut off (at once if it already ended). */
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

/** Bounds what a shell may say before anyone listens (the tail is kept, as a terminal's scrollback would). */
const maxHeldChars = 1024 * 1024;

/**
 * The listeners of one shell. What the shell says while nobody listens is
 * held and handed to the next data listener: a board's sshd writes the
 * prompt as soon as the shell starts, and it can arrive in the same TCP
 * segment as the channel's opening, so ssh2 emits it before `openShell`'s
 * caller can subscribe (its `await` resumes a microtask later). Dropping it
 * left the terminal blank until the first keystroke.
 */
export class ShellListeners {
  readonly #data = new Set<(text: string) => void>();
  readonly #exit = new Set<(code: number | null) => void>();
  #held = '';
  #exited: { code: number | null } | undefined;

  get exited(): boolean {
    return this.#exited !== undefined;
  }

  data(text: string): void {
    if (text === '') return;
    if (this.#data.size === 0) {
      this.#held += text;
      if (this.#held.length > maxHeldChars) this.#held = this.#held.slice(-maxHeldChars);
      return;
    }
    for (const listener of [...this.#data]) listener(text);
  }

  /** Once: the shell ended. Listeners that subscribe later still hear of it. */
  exit(code: number | null): void {
    if (this.#exited !== undefined) return;
    this.#exited = { code };
    for (const listener of [...this.#exit]) listener(code);
    this.#exit.clear();
    this.#data.clear();
  }

  onData(listener: (text: string) => void): () => void {
    if (this.#held !== '') {
      const held = this.#held;
      this.#held = '';
      listener(held);
    }
    if (this.#exited === undefined) this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onExit(listener: (code: number | null) => void): () => void {
    if (this.#exited !== undefined) {
      listener(this.#exited.code);
      return () => undefined;
    }
    this.#exit.add(listener);
    return () => this.#exit.delete(listener);
  }
}

function wrapChannel(channel: ClientChannel): ShellSession {
  const listeners = new ShellListeners();
  let exitCode: number | null = null;
  channel.setEncoding('utf8');
  channel.stderr.setEncoding('utf8');
  const forward = (text: string): void => listeners.data(text);
  channel.on('data', forward);
  channel.stderr.on('data', forward);
  channel.on('exit', (code: number | null) => {
    exitCode = typeof code === 'number' ? code : null;
  });
  channel.on('close', () => listeners.exit(exitCode));
  return {
    write: (data) => {
      if (!listeners.exited) channel.write(data);
    },
    resize: (cols, rows) => {
      if (!listeners.exited) channel.setWindow(rows, cols, 0, 0);
    },
    close: () => {
      if (!listeners.exited) channel.close();
    },
    onData: (listener) => listeners.onData(listener),
    onExit: (listener) => listeners.onExit(listener),
  };
}
