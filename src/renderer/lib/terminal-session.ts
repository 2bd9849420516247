/**
 * One embedded terminal: xterm.js on screen, a shell on the board behind
 * `terminal.*`. Keys and pastes go out as `terminal.input` through
 * `TerminalInput` (in order, a big paste in pieces); output comes back
 * batched in `terminal.onDidOutput`; the fit add-on sizes the terminal to
 * its box and every size change is sent as `terminal.resize`.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import { useConstructedStyles } from './constructed-styles.ts';
import { TerminalInput, type InputProblem } from './terminal-input.ts';

export interface TerminalSessionEvents {
  onExit(): void;
  /** A paste too large to send, or input the board did not take: the student must hear of it. */
  onInputProblem(problem: InputProblem): void;
}

export class TerminalSession {
  readonly #bridge: WorkbenchBridge;
  readonly #terminal: Terminal;
  readonly #fit = new FitAddon();
  readonly #disposers: Array<() => void> = [];
  #terminalId: string | undefined;

  private constructor(bridge: WorkbenchBridge, terminal: Terminal) {
    this.#bridge = bridge;
    this.#terminal = terminal;
  }

  /** Opens the shell on the board and shows it in `host`; resolves to the session or the error. */
  static async open(
    bridge: WorkbenchBridge,
    boardId: string,
    host: HTMLElement,
    events: TerminalSessionEvents,
  ): Promise<TerminalSession | WorkbenchError> {
    const releaseStyles = useConstructedStyles(host.ownerDocument);
    const terminal = new Terminal({
      cursorBlink: true,
      fontSize: 14,
      scrollback: 5000,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace',
    });
    const session = new TerminalSession(bridge, terminal);
    session.#disposers.push(releaseStyles);
    terminal.loadAddon(session.#fit);
    terminal.open(host);
    session.#fitNow();
    // Output that arrives before `terminal.open` answers (the login banner, the first prompt) must
    // not be lost, nor the end of a shell that ended at once: we subscribe first, and hold them.
    const early: Array<{ terminalId: string; data: string }> = [];
    const earlyExits = new Set<string>();
    let opening = true;
    const ended = (): void => {
      session.#terminalId = undefined;
      events.onExit();
    };
    session.#disposers.push(
      bridge.on('terminal.onDidOutput', (output) => {
        if (opening) early.push(output);
        else if (output.terminalId === session.#terminalId) terminal.write(output.data);
      }),
      bridge.on('terminal.onDidExit', ({ terminalId }) => {
        if (opening) earlyExits.add(terminalId);
        else if (terminalId === session.#terminalId) ended();
      }),
    );
    const opened = await bridge.call['terminal.open']({ boardId, cols: terminal.cols, rows: terminal.rows });
    if (!opened.ok) {
      session.dispose();
      return opened.error;
    }
    const terminalId = opened.value.terminalId;
    session.#terminalId = terminalId;
    opening = false;
    for (const output of early) if (output.terminalId === terminalId) terminal.write(output.data);
    const toBoard = new TerminalInput((data) => bridge.call['terminal.input']({ terminalId, data }), events.onInputProblem);
    const input = terminal.onData((data) => toBoard.write(data));
    const resize = terminal.onResize(({ cols, rows }) => void bridge.call['terminal.resize']({ terminalId, cols, rows }));
    const observer = new ResizeObserver(() => session.#fitNow());
    observer.observe(host);
    session.#disposers.push(
      () => input.dispose(),
      () => resize.dispose(),
      () => observer.disconnect(),
    );
    terminal.focus();
    // A shell that ended before `terminal.open` answered: its owner hears of it once it holds the session.
    if (earlyExits.has(terminalId)) {
      setTimeout(() => {
        if (session.#terminalId === terminalId) ended();
      }, 0);
    }
    return session;
  }

  focus(): void {
    this.#terminal.focus();
  }

  dispose(): void {
    const terminalId = this.#terminalId;
    this.#terminalId = undefined;
    if (terminalId !== undefined) void this.#bridge.call['terminal.close']({ terminalId });
    for (const dispose of this.#disposers.splice(0).reverse()) dispose();
    this.#terminal.dispose();
  }

  #fitNow(): void {
    try {
      this.#fit.fit();
    } catch {
      // A box with no size yet (hidden, being laid out): the next resize fits it.
    }
  }
}
