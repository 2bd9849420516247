/**
 * Runs `work` now and then every `intervalMs`, never two at once; `stop()`
 * clears the timer and waits for a run in flight. Timers are unref'd so a
 * forgotten poller never keeps the process alive.
 */
export class Poller {
  readonly #work: () => Promise<void>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(work: () => Promise<void>, intervalMs: number) {
    this.#work = work;
    this.#intervalMs = intervalMs;
  }

  /** Resolves after the first run. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #run(): Promise<void> {
    this.#running = this.#work().catch(() => undefined);
    await this.#running;
    this.#running = undefined;
    if (this.#stopped || this.#intervalMs <= 0) return;
    this.#timer = setTimeout(() => void this.#run(), this.#intervalMs);
    this.#timer.unref();
  }
}
