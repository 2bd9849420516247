import { findCommand } from '../commands/index.ts';
import type { SimBoard } from '../board.ts';
import { createSession, type Output, type ShellSession } from './context.ts';
import { Input } from './input.ts';
import { runCommandLine } from './interpreter.ts';

/**
 * An interactive bash-like shell on a terminal (an ssh pty or the serial
 * console): prompt `user@host:~$ `, echo, backspace, Ctrl-C (abort the
 * running command or drop the line), Ctrl-D (exit on an empty line). Typed
 * lines go to the running command's stdin, like a tty in cooked mode.
 */
export class TerminalShell {
  readonly session: ShellSession;
  #write: (text: string) => void;
  #onExit: (status: number) => void;
  #line = '';
  #echo = true;
  #running: { controller: AbortController; stdin: Input } | null = null;
  #closed = false;

  constructor(board: SimBoard, user: string, write: (text: string) => void, onExit: (status: number) => void) {
    this.#write = write;
    this.#onExit = onExit;
    this.session = createSession(board, user, { setEcho: (on) => (this.#echo = on) });
  }

  start(): void {
    this.#prompt();
  }

  /** Bytes typed at the terminal. */
  input(data: Buffer | string): void {
    for (const char of data.toString('utf8')) {
      if (this.#closed) return;
      this.#key(char);
    }
  }

  /** The terminal went away: stop whatever runs. */
  close(): void {
    this.#closed = true;
    this.#running?.controller.abort();
    this.#running?.stdin.end();
  }

  #key(char: string): void {
    if (char === '\x03') {
      this.#write('^C\n');
      this.#line = '';
      if (this.#running) this.#running.controller.abort();
      else this.#prompt();
      return;
    }
    if (char === '\x04') {
      if (this.#running) this.#running.stdin.end();
      else if (this.#line === '') this.#finish(this.session.lastStatus, 'logout\n');
      return;
    }
    if (char === '\x7f' || char === '\b') {
      if (this.#line.length > 0) {
        this.#line = this.#line.slice(0, -1);
        if (this.#echo) this.#write('\b \b');
      }
      return;
    }
    if (char === '\r' || char === '\n') {
      const line = this.#line;
      this.#line = '';
      this.#write('\n');
      if (this.#running) this.#running.stdin.push(`${line}\n`);
      else void this.#run(line);
      return;
    }
    if (char === '\x1b' || char < ' ') return;
    this.#line += char;
    if (this.#echo) this.#write(char);
  }

  async #run(line: string): Promise<void> {
    if (line.trim() === '') {
      this.#prompt();
      return;
    }
    const controller = new AbortController();
    const stdin = Input.open();
    this.#running = { controller, stdin };
    const output: Output = { write: (data) => this.#write(data.toString()) };
    try {
      await runCommandLine(line, this.session, { stdin, stdout: output, stderr: output, signal: controller.signal }, findCommand);
    } finally {
      this.#running = null;
      this.#echo = true;
    }
    if (this.session.exitStatus !== null) this.#finish(this.session.exitStatus, 'logout\n');
    else if (!this.#closed) this.#prompt();
  }

  #prompt(): void {
    if (this.#closed) return;
    const home = this.session.env.HOME ?? '/';
    const cwd =
      this.session.cwd === home
        ? '~'
        : this.session.cwd.startsWith(`${home}/`)
          ? `~${this.session.cwd.slice(home.length)}`
          : this.session.cwd;
    const user = this.session.root ? 'root' : this.session.user;
    this.#write(`${user}@${this.session.board.hostname}:${cwd}${user === 'root' ? '#' : '$'} `);
  }

  #finish(status: number, message: string): void {
    if (this.#closed) return;
    this.#write(message);
    this.#closed = true;
    this.#onExit(status);
  }
}
