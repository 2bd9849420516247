/**
 * The streaming side of the tegrastats parser: text chunks in (an SSH channel),
 * samples out. Never throws on content: a torn or foreign line is counted as
 * `unparsed` and the last few are kept so the UI can show what came instead.
 */
import { LineSplitter } from '../line-splitter.ts';
import type { Sample } from './sample.ts';
import { parseTegrastats } from './tegrastats-parser.ts';

const keptUnparsed = 20;

export class TegrastatsStream {
  readonly #splitter: LineSplitter;
  readonly #clock: () => number;
  #parsed = 0;
  #unparsed = 0;
  readonly #recentUnparsed: string[] = [];

  /** `clock`: seconds to stamp each line with on arrival (tegrastats' own time has 1 s resolution). */
  constructor(clock: () => number, options: { dropFirst?: boolean } = {}) {
    this.#clock = clock;
    this.#splitter = new LineSplitter(options);
  }

  push(chunk: string): Sample[] {
    return this.#parse(this.#splitter.push(chunk));
  }

  flush(): Sample[] {
    return this.#parse(this.#splitter.flush());
  }

  get parsed(): number {
    return this.#parsed;
  }

  get unparsed(): number {
    return this.#unparsed;
  }

  /** The last unparsed lines (at most 20), oldest first, each cut to 300 characters. */
  get recentUnparsed(): readonly string[] {
    return this.#recentUnparsed;
  }

  #parse(lines: string[]): Sample[] {
    const samples: Sample[] = [];
    const now = this.#clock();
    for (const line of lines) {
      const sample = parseTegrastats(line, now);
      if (sample === null) {
        this.#unparsed += 1;
        this.#recentUnparsed.push(line.length > 300 ? line.slice(0, 300) : line);
        if (this.#recentUnparsed.length > keptUnparsed) this.#recentUnparsed.shift();
        continue;
      }
      this.#parsed += 1;
      samples.push(sample);
    }
    return samples;
  }
}
