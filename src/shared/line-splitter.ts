/**
 * Turns a stream of text chunks (an SSH channel, a serial port) into whole
 * lines. A chunk may end mid-line; the tail is kept until its newline comes.
 * `dropFirst` discards the first line, for a stream joined mid-flight whose
 * first line may be torn (e.g. attaching to a running `tegrastats`).
 *
 * Each chunk is scanned once, and a line is kept up to `maxLineChars`: the
 * rest of an overlong line is dropped and counted. A board that prints
 * megabytes without a newline once made every chunk re-split the whole
 * tail (3–10 s per request, hundreds of MB held).
 */
export const defaultMaxLineChars = 64 * 1024;

export class LineSplitter {
  readonly #maxLineChars: number;
  #pending = '';
  /** The current line was cut at `maxLineChars`. */
  #cut = false;
  #dropFirst: boolean;
  #overlongLines = 0;
  #droppedChars = 0;

  constructor(options: { dropFirst?: boolean; maxLineChars?: number } = {}) {
    this.#dropFirst = options.dropFirst ?? false;
    this.#maxLineChars = options.maxLineChars ?? defaultMaxLineChars;
  }

  /** Lines cut at `maxLineChars` so far (each is still returned, cut). */
  get overlongLines(): number {
    return this.#overlongLines;
  }

  /** Characters dropped from overlong lines so far. */
  get droppedChars(): number {
    return this.#droppedChars;
  }

  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      this.#keep(chunk, start, newline);
      lines.push(this.#takeLine());
      start = newline + 1;
    }
    this.#keep(chunk, start, chunk.length);
    return this.#emit(lines);
  }

  /** The unterminated tail, if any, as a last line (call when the stream ends). */
  flush(): string[] {
    if (this.#pending === '') return [];
    return this.#emit([this.#takeLine()]);
  }

  /** Adds `chunk[from, to)` to the current line, up to the cap. */
  #keep(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    const room = this.#maxLineChars - this.#pending.length;
    const end = Math.min(to, from + Math.max(room, 0));
    if (end > from) this.#pending += from === 0 && end === chunk.length ? chunk : chunk.slice(from, end);
    if (end < to) {
      this.#droppedChars += to - end;
      this.#cut = true;
    }
  }

  #takeLine(): string {
    const line = this.#pending;
    this.#pending = '';
    if (this.#cut) this.#overlongLines += 1;
    this.#cut = false;
    return line;
  }

  #emit(parts: string[]): string[] {
    const lines = parts.map((part) => (part.endsWith('\r') ? part.slice(0, -1) : part));
    if (this.#dropFirst && lines.length > 0) {
      this.#dropFirst = false;
      lines.shift();
    }
    return lines.filter((line) => line.trim() !== '');
  }
}
