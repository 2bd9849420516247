/**
 * The points of a live chart, outside Svelte's reactivity: one plain array
 * of `{ x, y }` per series, in the form Chart.js reads with `parsing: false`
 * (x in seconds since the chart's origin, sorted). Chart.js's decimation
 * keeps a reference to these very arrays, so they are only ever mutated in
 * place (push, splice), never replaced.
 *
 * A time step longer than `maxGapS` is a gap: a `{ y: null }` point goes in
 * between, and with `spanGaps: false` the line breaks there instead of
 * bridging readings the board never sent.
 */
export interface ChartPoint {
  x: number;
  y: number | null;
}

export class SeriesStore {
  readonly series = new Map<string, ChartPoint[]>();
  /** Epoch seconds of x = 0 (the first sample), so x stays small and precise. */
  origin: number | undefined;
  /** x of the newest sample, or undefined before the first. */
  lastX: number | undefined;
  gaps = 0;
  readonly #maxGapS: number;
  readonly #capacity: number;

  /** `capacity`: most points kept per series (the longest window at the fastest rate). */
  constructor(maxGapS: number, capacity: number) {
    this.#maxGapS = maxGapS;
    this.#capacity = capacity;
  }

  /** The array for `key`, created empty (and padded to nothing) when new. */
  points(key: string): ChartPoint[] {
    let points = this.series.get(key);
    if (points === undefined) {
      points = [];
      this.series.set(key, points);
    }
    return points;
  }

  /**
   * Appends samples at epoch times `t` with one column per series (a missing
   * column or a null is "no reading"). Returns the number of gaps found.
   */
  append(t: readonly number[], columns: Readonly<Record<string, readonly (number | null)[] | undefined>>, scale = 1): number {
    if (t.length === 0) return 0;
    this.origin ??= t[0] as number;
    const keys = Object.keys(columns);
    for (const key of keys) this.points(key);
    let found = 0;
    for (let index = 0; index < t.length; index += 1) {
      const x = (t[index] as number) - this.origin;
      if (this.lastX !== undefined && x <= this.lastX) continue; // a repeat: x must stay sorted
      const gap = this.lastX !== undefined && x - this.lastX > this.#maxGapS;
      if (gap) found += 1;
      for (const [key, points] of this.series) {
        if (gap) points.push({ x: ((this.lastX as number) + x) / 2, y: null });
        const value = columns[key]?.[index];
        points.push({ x, y: value === null || value === undefined ? null : value * scale });
      }
      this.lastX = x;
    }
    this.gaps += found;
    this.#limit();
    return found;
  }

  /** Drops points older than `minX`, keeping one before it so the line enters the window from its edge. */
  trim(minX: number): void {
    for (const points of this.series.values()) {
      let drop = 0;
      while (drop + 1 < points.length && (points[drop + 1] as ChartPoint).x < minX) drop += 1;
      if (drop > 0) points.splice(0, drop);
    }
  }

  /** The newest value of `key` that is a reading, or null. */
  latest(key: string): number | null {
    const points = this.series.get(key);
    const last = points?.[points.length - 1];
    return last?.y ?? null;
  }

  #limit(): void {
    for (const points of this.series.values()) {
      if (points.length > this.#capacity) points.splice(0, points.length - this.#capacity);
    }
  }
}
