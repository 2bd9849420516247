/**
 * Speed and time left for a long byte count (a download, a write, a
 * read-back), emitted at most four times a second. etcher-sdk's constants
 * (reference §3.1): PROGRESS_EMISSION_INTERVAL = 1000 / 4 and a 2 s speed
 * window, so one slow chunk does not make the estimate jump. Pure: the caller
 * gives the clock.
 */
export const progressIntervalMs = 1000 / 4;
export const speedWindowMs = 2000;
const sampleSpacingMs = 100;

export interface ProgressReading {
  bytes: number;
  /** Null when the source cannot say how much is coming (an xz file without an index, a download without a length). */
  totalBytes: number | null;
  /** Bytes per second over the last two seconds (0 until there are two samples). */
  speed: number;
  /** Seconds left; null when the total or the speed is not known. */
  eta: number | null;
}

interface Sample {
  at: number;
  bytes: number;
}

export class ProgressMeter {
  readonly #now: () => number;
  readonly #samples: Sample[] = [];
  #lastEmitAt = Number.NEGATIVE_INFINITY;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A reading when one is due (the first call, then at most every 250 ms), else null. */
  update(bytes: number, totalBytes: number | null): ProgressReading | null {
    const at = this.#now();
    this.#record(at, bytes);
    if (at - this.#lastEmitAt < progressIntervalMs) return null;
    this.#lastEmitAt = at;
    return this.#reading(at, bytes, totalBytes);
  }

  /** A reading now, due or not (the last one of a phase). */
  read(bytes: number, totalBytes: number | null): ProgressReading {
    const at = this.#now();
    this.#record(at, bytes);
    this.#lastEmitAt = at;
    return this.#reading(at, bytes, totalBytes);
  }

  /** Samples 100 ms apart at most: a stream of 64 KiB pipe reads must not grow the window to thousands. */
  #record(at: number, bytes: number): void {
    const newest = this.#samples.at(-1);
    if (newest === undefined || at - newest.at >= sampleSpacingMs) this.#samples.push({ at, bytes });
    // Keep one sample older than the window, so the window is always spanned once it can be.
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= speedWindowMs) this.#samples.shift();
  }

  #reading(at: number, bytes: number, totalBytes: number | null): ProgressReading {
    const oldest = this.#samples[0]!;
    const seconds = (at - oldest.at) / 1000;
    const speed = seconds > 0 ? Math.max(0, (bytes - oldest.bytes) / seconds) : 0;
    const eta = totalBytes !== null && speed > 0 ? Math.max(0, (totalBytes - bytes) / speed) : null;
    return { bytes, totalBytes, speed, eta };
  }
}
