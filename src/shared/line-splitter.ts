/**
 * Turns a stream of text chunks (an SSH channel, a serial port) into whole
 * lines. A chunk may end mid-line; the tail is kept until its newline comes.
 * `dropFirst` discards the first line, for a stream joined mid-flight whose
 * first line may be torn (e.g. attaching to a running `tegrastats`).
 */
export class LineSplitter {
  #pending = '';
  #dropFirst: boolean;

  constructor(options: { dropFirst?: boolean } = {}) {
    this.#dropFirst = options.dropFirst ?? false;
  }

  push(chunk: string): string[] {
    const parts = (this.#pending + chunk).split('\n');
    this.#pending = parts.pop() ?? '';
    return this.#emit(parts);
  }

  /** The unterminated tail, if any, as a last line (call when the stream ends). */
  flush(): string[] {
    const tail = this.#pending;
    this.#pending = '';
    return tail === '' ? [] : this.#emit([tail]);
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
