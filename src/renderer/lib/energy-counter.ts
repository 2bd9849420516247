/**
 * The running energy counter of the live view: joules integrated from the
 * sample batches as they arrive (trapezoid rule over the samples' own
 * timestamps), the same rule as the core's recorder
 * (src/shared/telemetry/energy.ts): a step longer than `maxGapS`, or a
 * missing reading, is a gap whose energy is not guessed. The recording's
 * own summary, computed by the core from the stored samples, replaces this
 * figure when the recording stops.
 */
export class EnergyCounter {
  joules = 0;
  /** Seconds actually integrated (gaps excluded): the denominator of the average. */
  coveredS = 0;
  gaps = 0;
  peakW: number | null = null;
  readonly #maxGapS: number;
  #lastT: number | undefined;
  #lastW: number | null = null;

  constructor(maxGapS: number) {
    this.#maxGapS = maxGapS;
  }

  /** Adds samples: times in epoch seconds, power in milliwatts (null = no reading). */
  add(t: readonly number[], mw: readonly (number | null)[]): void {
    for (let index = 0; index < t.length; index += 1) {
      const time = t[index] as number;
      const reading = mw[index];
      const watts = reading === null || reading === undefined || !Number.isFinite(reading) ? null : reading / 1000;
      if (this.#lastT !== undefined && time <= this.#lastT) continue;
      if (this.#lastT !== undefined) this.#integrate(time - this.#lastT, watts);
      if (watts !== null && (this.peakW === null || watts > this.peakW)) this.peakW = watts;
      this.#lastT = time;
      this.#lastW = watts;
    }
  }

  /** Watts over the covered time, or null before any. */
  get averageW(): number | null {
    return this.coveredS > 0 ? this.joules / this.coveredS : null;
  }

  #integrate(step: number, watts: number | null): void {
    if (step > this.#maxGapS || watts === null || this.#lastW === null) {
      this.gaps += 1;
      return;
    }
    this.joules += ((watts + this.#lastW) / 2) * step;
    this.coveredS += step;
  }
}

/** The recorder's gap rule (src/main/telemetry/recorder.ts `maxGapFor`): three missed samples and a margin. */
export function maxGapFor(intervalMs: number): number {
  return (3 * intervalMs) / 1000 + 0.25;
}
