/**
 * What a serial console sends is terminal output, not program output: the
 * board's tty turns every `\n` into `\r\n` (onlcr), bash/readline and getty
 * add colour, bracketed-paste and cursor escapes, and a chunk can end in the
 * middle of any of them. `TerminalCleaner` turns that stream into plain text,
 * chunk by chunk, holding back an unfinished escape or a lone trailing `\r`
 * until the next chunk says what it was.
 */
/* eslint-disable no-control-regex -- terminal escapes are control characters: matching them is this file's job. */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`), charset
// selection (`ESC ( B`) and the remaining two-byte escapes (`ESC =`, `ESC >`, `ESC 7`).
const escapePattern = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+][0-9A-Za-z]|\x1b[0-9=>@-Z\\^_`a-z{|}~]/g;

/** The longest escape worth waiting for; anything longer is noise and is dropped. */
const maxEscapeLength = 256;

export function stripAnsi(text: string): string {
  return text.replace(escapePattern, '');
}

/** `\r\n` (and the `\r\r\n` some consoles send) → `\n`; NULs and bells dropped. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r+\n/g, '\n').replace(/[\0\x07]/g, '');
}

export class TerminalCleaner {
  #held = '';

  /** Plain text for this chunk; an unfinished escape or trailing `\r` waits for the next one. */
  push(chunk: string): string {
    let text = this.#held + chunk;
    this.#held = '';
    const escape = text.lastIndexOf('\x1b');
    if (escape >= 0 && text.length - escape < maxEscapeLength && stripAnsi(text.slice(escape)) === text.slice(escape)) {
      // The last escape has not finished yet (stripping left it as is): keep it for the next chunk.
      this.#held = text.slice(escape);
      text = text.slice(0, escape);
    }
    if (text.endsWith('\r')) {
      const crs = /\r+$/.exec(text)?.[0] ?? '';
      this.#held = crs + this.#held;
      text = text.slice(0, text.length - crs.length);
    }
    // A bare ESC that never completed (line noise) would otherwise stay forever.
    return normalizeNewlines(stripAnsi(text)).replace(/\x1b/g, '');
  }

  /** Whatever was held back, cleaned as it is (the stream is over or went quiet). */
  flush(): string {
    const text = this.#held;
    this.#held = '';
    return normalizeNewlines(stripAnsi(text)).replaceAll('\x1b', '').replace(/\r+$/, '');
  }
}

/** Applies backspace erasures (`a\b \bb` → `b`) the way a screen shows them; used for the screen, never for command output. */
export function applyBackspaces(text: string): string {
  let result = '';
  for (const char of text) {
    if (char === '\b') result = result.endsWith('\n') ? result : result.slice(0, -1);
    else result += char;
  }
  return result;
}
