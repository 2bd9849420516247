/**
 * `flash.console.*`: oem-config over a serial console, one question at a
 * time (/work/shared/reference/flashing-and-installing.md §4.1), for a board
 * whose image could not be pre-configured. A session holds its port between
 * calls, because the wizard's screen is printed once: a port closed and
 * reopened mid-wizard shows nothing until poked. Answers are typed, never
 * stored or logged, and nothing returned carries them.
 */
import { randomUUID } from 'node:crypto';
import type { SerialLogin } from '../../shared/discovery-contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { ConsoleQuestion } from '../../shared/flash/contract.ts';
import type { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { oemConfigAnswer } from '../../shared/flash/oem-config-answers.ts';
import { loginOverSerial, type SerialLoginOptions } from '../discovery/serial-login.ts';
import { FirstBootConsole, type FirstBootConsoleOptions, type WizardScreen } from './first-boot-console.ts';

export interface ConsoleSessionsOptions extends FirstBootConsoleOptions {
  /** For `finish`'s login (timeouts, a mock binding in tests). */
  login?: SerialLoginOptions;
}

interface Session {
  id: string;
  path: string;
  console: FirstBootConsole;
}

/** oem-config asks about fifteen questions (§4.1); a wizard still asking after this many is looping. */
const maxAutoSteps = 60;

export class ConsoleSessions {
  readonly #options: ConsoleSessionsOptions;
  readonly #sessions = new Map<string, Session>();
  /** Paths being opened: the second of two quick opens must not race the first for the port. */
  readonly #opening = new Set<string>();

  constructor(options: ConsoleSessionsOptions = {}) {
    this.#options = options;
  }

  async open(path: string): Promise<ConsoleQuestion> {
    if (this.#opening.has(path) || [...this.#sessions.values()].some((session) => session.path === path)) {
      throw new WorkbenchFailure(
        'conflict',
        `The console ${path} is already open in the workbench: go on with that setup, or close it first.`,
        path,
      );
    }
    this.#opening.add(path);
    try {
      const console = await FirstBootConsole.open(path, this.#options);
      const session = { id: randomUUID(), path, console };
      this.#sessions.set(session.id, session);
      // Unplugged: the session is gone; the next call says so (not-found) and the student opens it again.
      console.onDidClose(() => this.#sessions.delete(session.id));
      return view(session.id, console.current);
    } finally {
      this.#opening.delete(path);
    }
  }

  async answer(sessionId: string, answer: string): Promise<ConsoleQuestion> {
    const session = this.#get(sessionId);
    // Enter or Ctrl-C inside an answer would answer (or abort) more than one question.
    if ([...answer].some((char) => char < ' ' || char === '\x7f')) {
      throw new WorkbenchFailure('invalid-request', 'Type the answer on one line, without tabs or other control characters.');
    }
    return view(sessionId, await session.console.answer(answer));
  }

  /** Answers what `firstBoot` knows; stops at a question it does not, at a refused answer, or at done. */
  async auto(sessionId: string, firstBoot: FirstBootConfig): Promise<ConsoleQuestion> {
    const session = this.#get(sessionId);
    let screen = session.console.current;
    for (let step = 0; !screen.done && step < maxAutoSteps; step += 1) {
      const answer = oemConfigAnswer(screen.question ?? '', firstBoot);
      if (answer === undefined) break;
      const next = await session.console.answer(answer);
      const refused = !next.done && next.question === screen.question;
      screen = next;
      // The same question again ("Invalid hostname.", "Passwords do not match."): the student sees it and decides.
      if (refused) break;
    }
    return view(sessionId, screen);
  }

  /** Closes the session's port (one opener at a time), then logs in and reads the board's name and addresses. */
  async finish(sessionId: string, user: string, password: string): Promise<SerialLogin> {
    const session = this.#get(sessionId);
    if (!session.console.current.done) {
      throw new WorkbenchFailure(
        'conflict',
        `The setup on ${session.path} is not finished: answer its questions (or let the workbench answer them) first.`,
        session.path,
      );
    }
    this.#sessions.delete(sessionId);
    await session.console.close();
    return loginOverSerial(session.path, user, password, this.#options.login);
  }

  /** `closed: false` for a session already gone (closed, finished or unplugged): closing is idempotent. */
  async close(sessionId: string): Promise<{ closed: boolean }> {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return { closed: false };
    this.#sessions.delete(sessionId);
    await session.console.close();
    return { closed: true };
  }

  async dispose(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session.console.close()));
  }

  #get(sessionId: string): Session {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) {
      throw new WorkbenchFailure(
        'not-found',
        'This console session is over (closed, finished or unplugged): open the serial console again.',
        sessionId,
      );
    }
    return session;
  }
}

function view(sessionId: string, screen: WizardScreen): ConsoleQuestion {
  return { sessionId, ...screen };
}
