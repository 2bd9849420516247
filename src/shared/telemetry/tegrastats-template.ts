/**
 * The tegrastats parser's fast path. A board prints the same line shape every
 * interval: only the numbers change. After the full parser has read a line,
 * `learnTemplate` keeps its skeleton (the text between the numbers, and where
 * each number goes); the next line of that shape is read by comparing the
 * skeleton's characters and reading the numbers in between, with no
 * tokenising, no name lookups and no field dispatch (issue 5's budget of
 * 500,000 lines/s on one core; the full parser alone does about 300,000).
 *
 * A line that differs anywhere outside the numbers (a core going `off`, a new
 * field, a number inside a name such as `GR3D2` or `CV0` changing) does not
 * match, and the full parser reads it and learns its shape instead.
 */

/** Where a number goes: a kind (high bits) and an index (rail, sensor, core…: low 8 bits). */
export const maxIndex = 255;
export const toConstant = 0;
export const toRailMw = 1 << 8;
export const toRailAvg = 2 << 8;
export const toRailMax = 3 << 8;
export const toTemp = 4 << 8;
export const toTempMax = 5 << 8;
export const toCpuLoad = 6 << 8;
export const toCpuMhz = 7 << 8;
export const toCpuShared = 8 << 8;
export const toGpuLoad = 9 << 8;
/** Index: gpu × maxClocks + clock. */
export const toGpuMhz = 10 << 8;
export const toEmcLoad = 11 << 8;
export const toEmcMhz = 12 << 8;
export const toEngine = 13 << 8;
export const toMtsFg = 14 << 8;
export const toMtsBg = 15 << 8;
export const toRamUsed = 16 << 8;
export const toRamTotal = 17 << 8;
export const toLfbBlocks = 18 << 8;
export const toLfbBlockMb = 19 << 8;
export const toSwapUsed = 20 << 8;
export const toSwapTotal = 21 << 8;
export const toSwapCached = 22 << 8;
export const toIramUsed = 23 << 8;
export const toIramTotal = 24 << 8;
export const toIramLfb = 25 << 8;
export const maxGpus = 8;
export const maxClocks = 32;

export interface LineSkeleton {
  /** The characters between numbers, all literals one after another. */
  codes: Uint16Array;
  /** End (in `codes`) of the literal before number k; the last entry ends the tail after the last number. */
  literalEnds: Int32Array;
  /** Destination of each number (`to…`). */
  dest: Int32Array;
  /** Numbers that are part of the text (in names, in kept fields): the value and digit count they must have. */
  expected: Float64Array;
  expectedLength: Int32Array;
}

const zero = 48;
const nine = 57;
const minus = 45;
const dot = 46;
const at = 64;

/** Where the number (`-?digits(.digits)?`, the minus only right after `@`) starting at `index` ends; `index` when none. */
function numberEndAt(text: string, index: number, length: number): number {
  let cursor = index;
  if (text.charCodeAt(cursor) === minus && cursor > 0 && text.charCodeAt(cursor - 1) === at) cursor += 1;
  const digits = cursor;
  while (cursor < length && isDigit(text.charCodeAt(cursor))) cursor += 1;
  if (cursor === digits) return index;
  if (text.charCodeAt(cursor) === dot && isDigit(text.charCodeAt(cursor + 1))) {
    cursor += 1;
    while (cursor < length && isDigit(text.charCodeAt(cursor))) cursor += 1;
  }
  return cursor;
}

function isDigit(code: number): boolean {
  return code >= zero && code <= nine;
}

/**
 * The skeleton of `text` from `start`, given where the full parser placed
 * numbers (`positions[k]` → `dests[k]`); null when a placed number is not one
 * of the skeleton's numbers (then the line is not learnt).
 */
export function learnSkeleton(
  text: string,
  start: number,
  positions: readonly number[],
  dests: readonly number[],
  count: number,
): LineSkeleton | null {
  const placed = new Map<number, number>();
  for (let index = 0; index < count; index += 1) placed.set(positions[index] as number, dests[index] as number);
  const codes: number[] = [];
  const literalEnds: number[] = [];
  const dest: number[] = [];
  const expected: number[] = [];
  const expectedLength: number[] = [];
  const length = text.length;
  let index = start;
  let used = 0;
  while (index < length) {
    const end = numberEndAt(text, index, length);
    if (end === index) {
      codes.push(text.charCodeAt(index));
      index += 1;
      continue;
    }
    literalEnds.push(codes.length);
    const target = placed.get(index);
    if (target !== undefined) used += 1;
    dest.push(target ?? toConstant);
    expected.push(Number(text.slice(index, end)));
    expectedLength.push(end - index);
    index = end;
  }
  literalEnds.push(codes.length);
  if (used !== placed.size) return null;
  return {
    codes: Uint16Array.from(codes),
    literalEnds: Int32Array.from(literalEnds),
    dest: Int32Array.from(dest),
    expected: Float64Array.from(expected),
    expectedLength: Int32Array.from(expectedLength),
  };
}

/**
 * A cheap key for a line's shape: the last dozen characters that are not
 * digits, and the line's length in steps of 16 (boards whose lines end alike
 * mostly differ in length; a shape whose numbers straddle a step is simply
 * learnt under both keys).
 */
export function skeletonKey(text: string, start: number): number {
  let hash = (text.length - start) >> 4;
  let taken = 0;
  for (let index = text.length - 1; index >= start && taken < 12; index -= 1) {
    const code = text.charCodeAt(index);
    if (code >= zero && code <= nine) continue;
    hash = (Math.imul(hash, 31) + code) | 0;
    taken += 1;
  }
  return hash;
}

/**
 * Reads `text` from `start` against the skeleton: true when every literal
 * matches and the line ends with the tail; the numbers land in `values`.
 *
 * It never reads past the end of the line: an out-of-range `charCodeAt` gives
 * NaN, and once V8 has seen one it makes every character a float here (about
 * a fifth of the fast path's time).
 */
export function readSkeleton(skeleton: LineSkeleton, text: string, start: number, values: Float64Array): boolean {
  const { codes, literalEnds, dest, expected, expectedLength } = skeleton;
  const length = text.length;
  const slots = dest.length;
  let position = start;
  let code = 0;
  for (let slot = 0; ; slot += 1) {
    const end = literalEnds[slot] as number;
    if (position + (end - code) > length) return false;
    // Two characters a round: half the loop's own work.
    for (; code + 1 < end; code += 2, position += 2) {
      if (text.charCodeAt(position) !== codes[code] || text.charCodeAt(position + 1) !== codes[code + 1]) return false;
    }
    if (code < end && text.charCodeAt(position++) !== codes[code++]) return false;
    if (slot === slots) return position === length;
    if (position === length) return false;
    const numberStart = position;
    let character = text.charCodeAt(position);
    let negative = false;
    if (character === minus && position > 0 && text.charCodeAt(position - 1) === at) {
      negative = true;
      position += 1;
      character = position < length ? text.charCodeAt(position) : 0;
    }
    let value = 0;
    const digits = position;
    while (character >= zero && character <= nine) {
      value = value * 10 + (character - zero);
      position += 1;
      character = position < length ? text.charCodeAt(position) : 0;
    }
    if (position === digits) return false;
    const target = dest[slot] as number;
    if (character === dot && position + 1 < length) {
      const next = text.charCodeAt(position + 1);
      if (next >= zero && next <= nine) {
        // Only temperatures carry decimals; elsewhere the full parser would not have read this as a value.
        if (target !== toConstant && (target & ~maxIndex) !== toTemp && (target & ~maxIndex) !== toTempMax) return false;
        let scale = 1;
        position += 1;
        character = next;
        while (character >= zero && character <= nine) {
          value = value * 10 + (character - zero);
          scale *= 10;
          position += 1;
          character = position < length ? text.charCodeAt(position) : 0;
        }
        value /= scale;
      }
    }
    if (negative) {
      if (target !== toConstant && (target & ~maxIndex) !== toTemp && (target & ~maxIndex) !== toTempMax) return false;
      value = -value;
    }
    if (target === toConstant && (value !== expected[slot] || position - numberStart !== expectedLength[slot])) return false;
    values[slot] = value;
  }
}
