/**
 * Running one command over a console that echoes everything typed: the line
 * sent is
 *
 *     ␠echo JWB0_''<nonce>; <command> </dev/null; echo JWB1_''<nonce>:$?
 *
 * The shell prints `JWB0_<nonce>` and `JWB1_<nonce>:<status>`, but the echo of
 * the typed line shows `JWB0_''<nonce>`: the empty quotes keep the markers out
 * of the echo, so the output is exactly what lies between the first marker's
 * line and the second marker, whatever the echo, line wrapping or prompt did.
 * The nonce is random per command, so a late answer from a cancelled command
 * can never be taken for the current one. The leading space keeps the line
 * out of bash history (Ubuntu's default `HISTCONTROL=ignoreboth`), and
 * `</dev/null` gives the command an empty stdin as SSH exec does, instead of
 * the console (where it would wait for typing forever).
 */
import { randomBytes } from 'node:crypto';
import { commandLine } from '../../shared/shell-quote.ts';

const startTag = 'JWB0_';
const endTag = 'JWB1_';

/** A canonical-mode tty takes at most 4095 bytes a line (N_TTY_BUF_SIZE); stay well below. */
export const maxLineBytes = 3_000;

export function newNonce(): string {
  return randomBytes(9).toString('hex');
}

/**
 * Control characters cannot be typed: the board's tty acts on them (Ctrl-C,
 * Ctrl-U, …) and readline too (Tab completes, a newline ends the line), even
 * inside quotes. Returns the first offending argument, or undefined.
 */
export function untypeableArgument(argv: readonly string[]): string | undefined {
  // eslint-disable-next-line no-control-regex
  return argv.find((arg) => /[\x00-\x1f\x7f]/.test(arg));
}

/** The line to type (without the Enter) for `argv`. */
export function framedLine(argv: readonly string[], nonce: string): string {
  return ` echo ${startTag}''${nonce}; ${commandLine(...argv)} </dev/null; echo ${endTag}''${nonce}:$?`;
}

export interface FrameResult {
  code: number;
  stdout: string;
}

/**
 * Reads one framed answer out of cleaned console text (`TerminalCleaner`
 * output), fed in chunks of any size.
 */
export class FrameReader {
  readonly #start: string;
  readonly #end: RegExp;
  #text = '';
  /** Where the output begins in `#text` (after the start marker's line), once seen. */
  #outputAt = -1;
  #streamed = 0;

  constructor(nonce: string) {
    this.#start = `${startTag}${nonce}`;
    this.#end = new RegExp(`${endTag}${nonce}:(\\d+)\\n`);
  }

  /** Feeds text; returns the result once the end marker and its newline have arrived. */
  push(text: string): FrameResult | null {
    this.#text += text;
    if (this.#outputAt < 0) {
      const start = this.#findStart();
      if (start < 0) {
        // Only the echo and the prompt so far: keep just enough to find a marker split across chunks.
        this.#text = this.#text.slice(-(this.#start.length + 2));
        return null;
      }
      this.#text = this.#text.slice(start);
      this.#outputAt = 0;
    }
    const end = this.#end.exec(this.#text);
    if (end === null) return null;
    return { code: Number(end[1]), stdout: this.#text.slice(this.#outputAt, end.index) };
  }

  /**
   * Output that can be shown already: everything before a possible (partial)
   * end marker. Each call returns only what is new.
   */
  takeStreamable(): string {
    if (this.#outputAt < 0) return '';
    const holdBack = this.#start.length + 12;
    const end = this.#text.search(this.#end);
    const limit = end >= 0 ? end : Math.max(this.#outputAt, this.#text.length - holdBack);
    const from = this.#outputAt + this.#streamed;
    if (limit <= from) return '';
    this.#streamed = limit - this.#outputAt;
    return this.#text.slice(from, limit);
  }

  /** Index just after the start marker's newline, or -1 while it has not fully arrived. */
  #findStart(): number {
    let at = this.#text.indexOf(this.#start);
    while (at >= 0) {
      const after = at + this.#start.length;
      // The marker stands alone on its line; the echo has `JWB0_''…` and cannot match.
      if (this.#text[after] === '\n') return after + 1;
      if (after >= this.#text.length) return -1;
      at = this.#text.indexOf(this.#start, after);
    }
    return -1;
  }
}
