import type { Readable } from 'node:stream';

/**
 * A command's stdin. Buffered so one command can read a line (`sudo -S` reads
 * the password) and hand the rest of the same stream to another.
 */
export class Input {
  #chunks: Buffer[] = [];
  #ended = false;
  #waiters: (() => void)[] = [];
  #source: Readable | null;
  #onData = (chunk: Buffer | string): void => {
    this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.#wake();
  };
  #onEnd = (): void => {
    this.#ended = true;
    this.#wake();
  };

  /** `source` null: already at end of file, unless `open` (then fed with `push`/`end`). */
  constructor(source: Readable | null, open = false) {
    this.#source = source;
    if (!source) {
      this.#ended = !open;
      return;
    }
    source.on('data', this.#onData);
    source.on('end', this.#onEnd);
    source.on('close', this.#onEnd);
    source.on('error', this.#onEnd);
  }

  /** An input that is already at end of file (like `< /dev/null`). */
  static empty(): Input {
    return new Input(null);
  }

  /** An input fed only by `push` and `end` (a terminal's typed lines). */
  static open(): Input {
    return new Input(null, true);
  }

  /** Feeds data directly (the interactive terminal and tests use it). */
  push(data: Buffer | string): void {
    this.#onData(data);
  }

  end(): void {
    this.#onEnd();
  }

  get ended(): boolean {
    return this.#ended && this.#chunks.length === 0;
  }

  /** Next chunk, or null at end of file or on abort. */
  async read(signal?: AbortSignal): Promise<Buffer | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended || signal?.aborted) return null;
      await this.#wait(signal);
    }
    return this.#chunks.shift() ?? null;
  }

  /** One line without its newline; null at end of file with nothing read. */
  async readLine(signal?: AbortSignal): Promise<string | null> {
    let line = Buffer.alloc(0);
    for (;;) {
      const chunk = await this.read(signal);
      if (chunk === null) return line.length > 0 ? line.toString('utf8') : null;
      const newline = chunk.indexOf(0x0a);
      if (newline < 0) {
        line = Buffer.concat([line, chunk]);
        continue;
      }
      line = Buffer.concat([line, chunk.subarray(0, newline)]);
      const rest = chunk.subarray(newline + 1);
      if (rest.length > 0) this.#chunks.unshift(rest);
      return line.toString('utf8').replace(/\r$/, '');
    }
  }

  async readAll(signal?: AbortSignal): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let chunk = await this.read(signal); chunk !== null; chunk = await this.read(signal)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** Stops listening to the source and drains it, so a writer upstream never blocks. */
  close(): void {
    const source = this.#source;
    if (source) {
      source.off('data', this.#onData);
      source.off('end', this.#onEnd);
      source.off('close', this.#onEnd);
      source.off('error', this.#onEnd);
      source.resume();
    }
    this.#source = null;
    this.#ended = true;
    this.#chunks = [];
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  #wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
