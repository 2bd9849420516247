/**
 * A serial console held while oem-config runs on it (reference §4.1). It
 * reads the screen as `SerialConsole` does (TerminalCleaner, `classifyScreen`
 * once output settles) but stops at each question instead of logging in.
 * A secret answer is typed and forgotten: it is scrubbed from the screen
 * that follows, in case a board echoes it.
 */
import { StringDecoder } from 'node:string_decoder';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { ConsoleQuestion } from '../../shared/flash/contract.ts';
import { redacted } from '../../shared/flash/first-boot.ts';
import { isSecretQuestion } from '../../shared/flash/oem-config-answers.ts';
import { closedFailure, unpluggedFailure } from '../link/serial-errors.ts';
import { closeSerialPort, openSerialPort, type SerialBinding, type SerialStream } from '../link/serial-port-open.ts';
import { classifyScreen, screenLimit } from '../link/serial-screen.ts';
import { TerminalCleaner } from '../link/serial-text.ts';

export interface FirstBootConsoleOptions {
  baudRate?: number;
  binding?: SerialBinding;
  /** How long output must stay quiet before the screen is judged. Default 300 ms (as `SerialConsole`). */
  settleMs?: number;
  /** How long the console may stay silent without showing a question. Default 60 s. */
  questionTimeoutMs?: number;
  /** Silence allowed while the wizard applies its answers ("Applying changes..."): it resizes, writes, may reboot. Default 5 min. */
  applyTimeoutMs?: number;
}

/** Where the wizard is: a question, or done (a login prompt or a shell). */
export type WizardScreen = Omit<ConsoleQuestion, 'sessionId'>;

/** A question is the last line of a screen that is at most 16 KiB; the UI shows one line, not a page. */
const questionLimit = 1_000;
/** Silence before each poke on open: a board already waiting at a prompt prints nothing until pressed. */
const pokeAfterMs = 1_500;
/** Ctrl-L redraws readline and dialog screens and answers nothing; Enter (SerialConsole's poke) is the last resort. */
const pokes = ['\x0c', '\r'];

export class FirstBootConsole {
  readonly path: string;
  readonly #port: SerialStream;
  readonly #limits: Required<Pick<FirstBootConsoleOptions, 'settleMs' | 'questionTimeoutMs' | 'applyTimeoutMs'>>;
  readonly #decoder = new StringDecoder('utf8');
  readonly #cleaner = new TerminalCleaner();
  readonly #closeListeners = new Set<() => void>();
  #screen = '';
  #inWizard = false;
  #working = false;
  #title: string | null = null;
  #secret: string | null = null;
  #current: WizardScreen = { done: false, title: null, question: null, secret: false };
  #waiter: ((event: 'data' | 'closed') => void) | null = null;
  #closing = false;
  #failure: WorkbenchFailure | null = null;

  private constructor(path: string, port: SerialStream, options: FirstBootConsoleOptions) {
    this.path = path;
    this.#port = port;
    const { settleMs = 300, questionTimeoutMs = 60_000, applyTimeoutMs = 300_000 } = options;
    this.#limits = { settleMs, questionTimeoutMs, applyTimeoutMs };
    port.on('data', (data: Buffer) => this.#onData(data));
    port.on('error', (error: Error) => this.#onClosed(error));
    port.on('close', (error: Error | null) => this.#onClosed(error ?? undefined));
  }

  /** Opens `path` and waits for the first question (or a login prompt: no setup to do). */
  static async open(path: string, options: FirstBootConsoleOptions = {}): Promise<FirstBootConsole> {
    const port = await openSerialPort(path, options.baudRate ?? 115_200, options.binding);
    const console = new FirstBootConsole(path, port, options);
    // Listen first: Enter at a question would answer it with its default.
    await console.#next([...pokes]).catch(async (error: unknown) => {
      await console.close();
      throw error;
    });
    return console;
  }

  get current(): WizardScreen {
    return this.#current;
  }

  /** Types `answer` and Enter, then waits for the next question or the login prompt. */
  async answer(answer: string): Promise<WizardScreen> {
    if (this.#failure) throw this.#failure;
    const busy = this.#waiter ? 'is still waiting for the board: wait for its next question' : null;
    const refusal = busy ?? (this.#current.done ? 'has finished its setup: log in instead of answering' : null);
    if (refusal) throw new WorkbenchFailure('conflict', `The console ${this.path} ${refusal}.`, this.path);
    this.#secret = this.#current.secret && answer !== '' ? answer : null;
    this.#screen = '';
    this.#port.write(`${answer}\r`);
    return this.#next([]);
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    this.#closing = true;
    await closeSerialPort(this.#port);
    this.#onClosed(undefined);
  }

  onDidClose(listener: () => void): void {
    this.#closeListeners.add(listener);
  }

  /** Resolves with the next settled question or login; silence longer than the limit (after any `pokes`) is an error. */
  #next(pokesLeft: string[]): Promise<WizardScreen> {
    return new Promise((resolve, reject) => {
      let quietTimer: NodeJS.Timeout | undefined;
      let silenceTimer: NodeJS.Timeout | undefined;
      const end = (error: WorkbenchFailure | null): void => {
        clearTimeout(quietTimer);
        clearTimeout(silenceTimer);
        this.#waiter = null;
        if (error) reject(error);
        else resolve(this.#current);
      };
      const armSilence = (): void => {
        clearTimeout(silenceTimer);
        const limit = pokesLeft.length > 0 ? pokeAfterMs : this.#limits[this.#working ? 'applyTimeoutMs' : 'questionTimeoutMs'];
        silenceTimer = setTimeout(() => {
          const poke = pokesLeft.shift();
          if (poke === undefined) return end(silenceFailure(this.path, this.#working, limit));
          this.#port.write(poke);
          armSilence();
        }, limit);
      };
      const armQuiet = (): void => {
        clearTimeout(quietTimer);
        quietTimer = setTimeout(() => {
          const screen = this.#judge();
          if (screen) this.#current = screen;
          // Not yet: re-armed, as "Applying changes..." may have switched the limit.
          return screen ? end(null) : armSilence();
        }, this.#limits.settleMs);
      };
      this.#waiter = (event) => {
        if (event === 'closed') return end(this.#failure);
        // Pokes stay: a boot log that stops short of a prompt is poked like a silent console.
        armQuiet();
        armSilence();
      };
      armQuiet();
      armSilence();
    });
  }

  /** A question, done, or null while a boot log or the wizard's own work is still on screen. */
  #judge(): WizardScreen | null {
    const stage = classifyScreen(this.#screen, this.#inWizard);
    if (stage.kind === 'booting') return null;
    if (stage.kind === 'first-boot') {
      this.#inWizard = true;
      // A section's title is printed once for several questions ("Who are you?": name, user, password).
      this.#title = lastTitle(stage.screen) ?? this.#title;
      // "Applying changes..." is the wizard at work, not a question (SerialConsole.answerFirstBoot's test).
      this.#working = !/[:?\]]$/.test(stage.question);
      if (this.#working) return null;
      const question = this.#hide(stage.question).slice(-questionLimit);
      return { done: false, title: this.#title && this.#hide(this.#title), question, secret: isSecretQuestion(question) };
    }
    // A login or password prompt, or a shell: the setup is over, or there was none.
    this.#inWizard = false;
    this.#working = false;
    return { done: true, title: null, question: null, secret: false };
  }

  #hide(text: string): string {
    return this.#secret === null ? text : text.replaceAll(this.#secret, redacted);
  }

  #onData(data: Buffer): void {
    const text = this.#cleaner.push(this.#decoder.write(data));
    this.#screen = (this.#screen + text).slice(-screenLimit);
    this.#waiter?.('data');
  }

  #onClosed(error: Error | undefined): void {
    if (this.#failure) return;
    this.#failure = this.#closing ? closedFailure(this.path) : unpluggedFailure(this.path, error?.message);
    if (this.#port.isOpen) this.#port.close(() => undefined);
    this.#waiter?.('closed');
    for (const listener of this.#closeListeners) listener();
    this.#closeListeners.clear();
  }
}

/** The simulated wizard's `--- Title ---` lines; null where the screen has none. */
function lastTitle(screen: string): string | null {
  return [...screen.matchAll(/^---\s+(.+?)\s+---\s*$/gm)].at(-1)?.[1] ?? null;
}

/** The wizard at work too long, or a console that never showed a question (silent, or a boot log that stopped). */
function silenceFailure(path: string, working: boolean, ms: number): WorkbenchFailure {
  const seconds = Math.round(ms / 1000);
  const message = working
    ? `The board's setup has been applying its answers for ${seconds} s without a login prompt: wait for it (it may reboot), then open the console again.`
    : `No question came from the console in ${seconds} s: is the board powered and the cable in the debug USB port?`;
  return new WorkbenchFailure('timeout', message, path);
}
