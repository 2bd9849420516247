/**
 * The one plausibility rule for numbers that come from a board: every reader
 * (the tegrastats parser, nvidia-smi, the agent's lines) and every integrator
 * checks through these, so a broken sensor or a hostile stream gives "no
 * reading", never a figure that sums to infinite joules (a few `1e308` mW
 * readings did, and the stored `null` then broke every recording list).
 */

/** Readings above this (a 10 kW board) or below zero are not power. */
export const maxPlausibleMw = 10_000_000;
/**
 * Rails, or temperature sensors, one board may name: the most a Jetson has is 8 rails and ~12
 * thermal zones. Names beyond it are invented; they are counted, never stored (each new one cost
 * a column of every buffer, 24 KB in the live ring alone).
 */
export const maxNamedSeries = 32;
/** Longest rail or sensor name kept: real ones are under 20 characters. */
const maxNameChars = 64;
/** Times (a board's monotonic clock, epoch seconds, seconds into a run) beyond ±this are not times: 3000 years. */
const maxPlausibleSeconds = 1e11;

/** The reading in mW, or NaN when it is not a finite power from 0 to 10 kW. */
export function plausibleMw(value: unknown): number {
  return typeof value === 'number' && value >= 0 && value <= maxPlausibleMw ? value : Number.NaN;
}

export function isPlausibleMw(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= maxPlausibleMw;
}

/** °C, or null outside −100 … 250 (tegrastats' offline −256 included). */
export function plausibleCelsius(value: unknown): number | null {
  return typeof value === 'number' && value > -100 && value < 250 ? value : null;
}

/** A load, %, or null outside 0 … 100. */
export function plausiblePercent(value: unknown): number | null {
  return typeof value === 'number' && value >= 0 && value <= 100 ? value : null;
}

export function isPlausibleSeconds(value: unknown): value is number {
  return typeof value === 'number' && value >= -maxPlausibleSeconds && value <= maxPlausibleSeconds;
}

/**
 * A rail or sensor name that can key columns: not empty, not overlong, and not a name every object
 * already has (`constructor`, `__proto__`, `toString`): a rail called `constructor` made every
 * columns record throw.
 */
export function isPlausibleSeriesName(name: string): boolean {
  return name.length > 0 && name.length <= maxNameChars && !(name in Object.prototype);
}
