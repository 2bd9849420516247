/**
 * The embedded terminal: an interactive shell on a pty over the board's
 * link (SSH today; the serial console plugs in through `TerminalSource`).
 * Output is batched: one event per terminal every `flushMs` (≤ 30 ms) at
 * most, never one message per packet, as the serial plotter of Arduino IDE
 * batches its lines (STYLE.md C, "Streams").
 */
import { randomUUID } from 'node:crypto';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { ShellOptions, ShellSession } from '../link/ssh-shell.ts';

/** Whatever can open a shell for a board: the SSH link of a connected board, or a serial console. */
export interface TerminalSource {
  openShell(options: ShellOptions): Promise<ShellSession>;
}

export interface TerminalEvents {
  output(terminalId: string, data: string): void;
  exit(terminalId: string, code: number | null): void;
}

interface OpenTerminal {
  boardId: string;
  session: ShellSession;
  pending: string;
  timer: NodeJS.Timeout | undefined;
}

/** Bounds what one terminal may hold between flushes (a runaway `cat /dev/urandom`). */
const maxPendingChars = 1024 * 1024;

export class Terminals {
  readonly #terminals = new Map<string, OpenTerminal>();
  readonly #sourceOf: (boardId: string) => TerminalSource;
  readonly #events: TerminalEvents;
  readonly #flushMs: number;

  constructor(sourceOf: (boardId: string) => TerminalSource, events: TerminalEvents, flushMs = 16) {
    this.#sourceOf = sourceOf;
    this.#events = events;
    this.#flushMs = Math.min(flushMs, 30);
  }

  async open(boardId: string, cols: number, rows: number): Promise<string> {
    const session = await this.#sourceOf(boardId).openShell({ cols, rows });
    const terminalId = `terminal-${randomUUID()}`;
    const terminal: OpenTerminal = { boardId, session, pending: '', timer: undefined };
    this.#terminals.set(terminalId, terminal);
    session.onData((text) => this.#buffer(terminalId, terminal, text));
    session.onExit((code) => {
      this.#flush(terminalId, terminal);
      this.#terminals.delete(terminalId);
      this.#events.exit(terminalId, code);
    });
    return terminalId;
  }

  input(terminalId: string, data: string): void {
    this.#require(terminalId).session.write(data);
  }

  resize(terminalId: string, cols: number, rows: number): void {
    this.#require(terminalId).session.resize(cols, rows);
  }

  close(terminalId: string): boolean {
    const terminal = this.#terminals.get(terminalId);
    if (terminal === undefined) return false;
    terminal.session.close();
    return true;
  }

  /** Closes every terminal of a board (it was disconnected or removed). */
  closeBoard(boardId: string): void {
    for (const [terminalId, terminal] of this.#terminals) if (terminal.boardId === boardId) this.close(terminalId);
  }

  dispose(): void {
    for (const [terminalId, terminal] of this.#terminals) {
      clearTimeout(terminal.timer);
      terminal.session.close();
      this.#terminals.delete(terminalId);
    }
  }

  #require(terminalId: string): OpenTerminal {
    const terminal = this.#terminals.get(terminalId);
    if (terminal === undefined) throw new WorkbenchFailure('not-found', 'This terminal is closed.', terminalId);
    return terminal;
  }

  #buffer(terminalId: string, terminal: OpenTerminal, text: string): void {
    terminal.pending += text;
    if (terminal.pending.length > maxPendingChars) terminal.pending = terminal.pending.slice(-maxPendingChars);
    terminal.timer ??= setTimeout(() => this.#flush(terminalId, terminal), this.#flushMs);
  }

  #flush(terminalId: string, terminal: OpenTerminal): void {
    clearTimeout(terminal.timer);
    terminal.timer = undefined;
    if (terminal.pending === '') return;
    const data = terminal.pending;
    terminal.pending = '';
    this.#events.output(terminalId, data);
  }
}
