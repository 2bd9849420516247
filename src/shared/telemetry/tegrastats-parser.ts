/**
 * A fast, total parser for `tegrastats` lines of every release we have real
 * lines of (test/fixtures/tegrastats-real.jsonl, sources in its `source`
 * field; formats summarised in
 * ../../../../shared/reference/jetson-facts.md):
 *
 * - L4T 28 (TX1): `cpu [0%,1%,…]@1734 EMC 0%@1600 APE 25 GR3D 0%@998`
 * - L4T 32: `CPU [5%@1224,off,…] EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 MTS fg 0% bg 0% VDD_IN 1750/1628`
 * - L4T 35/36: leading `MM-DD-YYYY HH:MM:SS`, `GR3D_FREQ 0%@[305,305]`, `VIC_FREQ 729`,
 *   `NVENC off`, `VDD_IN 4824mW/4824mW`, `NC 0mW/0mW`, `CV0@-256C`
 * - L4T 39: `cpu@52.968C/52.968C`, rails `…mW/…mW/…mW`.
 *
 * It walks the line by character codes (no split, no regular expression per
 * field) because the live view and recordings parse up to 100 lines a second
 * per board and the CLI parses whole logs. It never throws: a line that is
 * not tegrastats gives null, a field it does not know goes to `extra`, and a
 * power, load or temperature outside the plausibility rule
 * (src/shared/power/plausible.ts) is no reading.
 */
import { inputRailNames } from '../power/input-rails.ts';
import { isPlausibleMw, plausibleCelsius, plausibleMw, plausiblePercent } from '../power/plausible.ts';
import type { ClockForm, GpuReading, Sample } from './sample.ts';
import {
  learnSkeleton,
  maxClocks,
  maxGpus,
  maxIndex,
  readSkeleton,
  skeletonKey,
  toConstant,
  toCpuLoad,
  toCpuMhz,
  toCpuShared,
  toEmcLoad,
  toEmcMhz,
  toEngine,
  toGpuLoad,
  toGpuMhz,
  toIramLfb,
  toIramTotal,
  toIramUsed,
  toLfbBlockMb,
  toLfbBlocks,
  toMtsBg,
  toMtsFg,
  toRailAvg,
  toRailMax,
  toRailMw,
  toRamTotal,
  toRamUsed,
  toSwapCached,
  toSwapTotal,
  toSwapUsed,
  toTemp,
  toTempMax,
  type LineSkeleton,
} from './tegrastats-template.ts';

// Character codes used below.
const space = 32;
const slash = 47;
const percent = 37;
const at = 64;
const comma = 44;
const openBracket = 91;
const closeBracket = 93;
const minus = 45;
const dot = 46;
const zero = 48;
const nine = 57;
const upperC = 67;

/** The scanner's state: one line at a time (JavaScript is single-threaded, parsing is synchronous). */
let text = '';
let length = 0;
let position = 0;
let tokenStart = 0;
let tokenEnd = 0;
/** Index of the first `@` in the current token, or -1 (temperatures are `NAME@…C`). */
let tokenAt = -1;
/** Where the last number read ended. */
let numberEnd = 0;

/**
 * Scratch buffers for the line being parsed. Values are gathered here and
 * copied once into the sample (one `slice` per array); names are resolved to
 * arrays shared by every sample of the same shape (`sharedNames`).
 */
let railCount = 0;
const railNameBuffer: string[] = [];
const railMwBuffer: number[] = [];
const railAvgBuffer: number[] = [];
const railMaxBuffer: number[] = [];
let railHasMax = false;
let railUnit: Sample['railUnit'] = null;
let tempCount = 0;
const tempNameBuffer: string[] = [];
const tempBuffer: (number | null)[] = [];
const tempMaxBuffer: (number | null)[] = [];
let tempHasMax = false;
let engineCount = 0;
const engineNameBuffer: string[] = [];
const engineBuffer: (number | null)[] = [];
let extra: string[] | null = null;
let gpus: GpuReading[] | null = null;
let cpuLoad: (number | null)[] | null = null;
let cpuMhz: (number | null)[] | null = null;
let cpuSharedMhz: number | null = null;
let emcLoad: number | null = null;
let emcMhz: number | null = null;
let mtsFg: number | null = null;
let mtsBg: number | null = null;
let ramUsed = -1;
let ramTotal = 0;
let lfbBlocks: number | null = null;
let lfbBlockMb: number | null = null;
let swapUsed: number | null = null;
let swapTotal: number | null = null;
let swapCached: number | null = null;
let iramUsed: number | null = null;
let iramTotal: number | null = null;
let iramLfb: number | null = null;

function resetLine(): void {
  replayed = null;
  railCount = 0;
  railHasMax = false;
  railUnit = null;
  tempCount = 0;
  tempHasMax = false;
  engineCount = 0;
  extra = null;
  gpus = null;
  cpuLoad = null;
  cpuMhz = null;
  cpuSharedMhz = null;
  emcLoad = null;
  emcMhz = null;
  mtsFg = null;
  mtsBg = null;
  ramUsed = -1;
  ramTotal = 0;
  lfbBlocks = null;
  lfbBlockMb = null;
  swapUsed = null;
  swapTotal = null;
  swapCached = null;
  iramUsed = null;
  iramTotal = null;
  iramLfb = null;
}

/** Name lists seen recently, newest last: a board prints the same fields on every line. */
const shapes: (readonly string[])[] = [];
const maxShapes = 64;
const noNames: readonly string[] = Object.freeze([]);

function sharedNames(buffer: readonly string[], count: number): readonly string[] {
  if (count === 0) return noNames;
  for (let candidate = shapes.length - 1; candidate >= 0; candidate -= 1) {
    const names = shapes[candidate] as readonly string[];
    if (names.length !== count) continue;
    let index = 0;
    while (index < count && names[index] === buffer[index]) index += 1;
    if (index === count) return names;
  }
  const names = Object.freeze(buffer.slice(0, count));
  if (shapes.length >= maxShapes) shapes.shift();
  shapes.push(names);
  return names;
}

function keep(token: string): void {
  (extra ??= []).push(token);
}

/** Parses one line; null when it is not a tegrastats line (no RAM field, or neither CPU nor GPU). */
export function parseTegrastats(line: string, t = 0): Sample | null {
  try {
    return scanLine(line, t);
  } catch {
    // The scanner is written not to throw; this guards the streaming API against a bug.
    return null;
  }
}

/** Forgets the learnt line shapes (tests compare the fast path with the full parser through it). */
export function forgetTegrastatsShapes(): void {
  templates.clear();
}

function scanLine(line: string, t: number): Sample | null {
  text = line;
  length = line.length;
  position = 0;
  resetLine();
  skipSpaces();
  let boardTime: string | null = null;
  if (hasBoardTime(position)) {
    boardTime = line.slice(position, position + 19);
    position += 19;
  }
  const start = position;
  const key = skeletonKey(line, start);
  const timed = boardTime !== null;
  const bucket = templates.get(key);
  if (bucket !== undefined) {
    for (const known of bucket) if (known.timed === timed && replay(known, start)) return buildSample(t, boardTime);
  }
  resetLine();
  position = start;
  noteCount = 0;
  while (nextToken()) scanField();
  if (ramUsed < 0 || (cpuLoad === null && gpus === null)) return null;
  const template = learn(start, timed);
  if (template !== null) {
    if (templates.size >= maxTemplates) templates.clear();
    // Several shapes may share a key (boards whose lines end alike): keep a few, newest first.
    const shapes = templates.get(key) ?? [];
    shapes.unshift(template);
    if (shapes.length > maxPerKey) shapes.pop();
    templates.set(key, shapes);
  }
  return buildSample(t, boardTime);
}

/** Where the full parser placed numbers in the current line (see tegrastats-template.ts). */
let noteCount = 0;
const notePositions: number[] = [];
const noteDests: number[] = [];

function note(at: number, dest: number): void {
  notePositions[noteCount] = at;
  noteDests[noteCount] = dest;
  noteCount += 1;
}

/** A learnt line shape: its skeleton and everything about the line that is not a number. */
interface LineTemplate {
  skeleton: LineSkeleton;
  timed: boolean;
  railNames: readonly string[];
  /** Index in `railNames` of the board's input rail; -1 when it has none. */
  inputIndex: number;
  railHasMax: boolean;
  railUnit: Sample['railUnit'];
  tempNames: readonly string[];
  tempHasMax: boolean;
  engineNames: readonly string[];
  /** null for `off` engines, 0 where a number comes. */
  engines: (number | null)[];
  /** null when the line has no CPU field; null entries are `off` cores. */
  cpuLoad: (number | null)[] | null;
  cpuMhz: (number | null)[] | null;
  gpus: { name: string; form: ClockForm; clocks: number }[] | null;
  hasSwap: boolean;
  hasIram: boolean;
  extra: string[] | null;
  /** Per rail, sensor and core: the slot its number is in (-1: none, e.g. an `off` core); the rest go through `place`. */
  railMwSlots: Int32Array;
  railAvgSlots: Int32Array;
  railMaxSlots: Int32Array;
  tempSlots: Int32Array;
  tempMaxSlots: Int32Array;
  cpuLoadSlots: Int32Array;
  cpuMhzSlots: Int32Array;
  otherSlots: Int32Array;
}

/** Splits a skeleton's slots by destination: the frequent kinds get a slot per index. */
function slotMaps(
  dest: Int32Array,
  rails: number,
  temps: number,
  cores: number,
): Pick<
  LineTemplate,
  'railMwSlots' | 'railAvgSlots' | 'railMaxSlots' | 'tempSlots' | 'tempMaxSlots' | 'cpuLoadSlots' | 'cpuMhzSlots' | 'otherSlots'
> {
  const maps = {
    railMwSlots: new Int32Array(rails).fill(-1),
    railAvgSlots: new Int32Array(rails).fill(-1),
    railMaxSlots: new Int32Array(rails).fill(-1),
    tempSlots: new Int32Array(temps).fill(-1),
    tempMaxSlots: new Int32Array(temps).fill(-1),
    cpuLoadSlots: new Int32Array(cores).fill(-1),
    cpuMhzSlots: new Int32Array(cores).fill(-1),
    otherSlots: new Int32Array(0),
  };
  const others: number[] = [];
  const byKind = new Map<number, Int32Array>([
    [toRailMw, maps.railMwSlots],
    [toRailAvg, maps.railAvgSlots],
    [toRailMax, maps.railMaxSlots],
    [toTemp, maps.tempSlots],
    [toTempMax, maps.tempMaxSlots],
    [toCpuLoad, maps.cpuLoadSlots],
    [toCpuMhz, maps.cpuMhzSlots],
  ]);
  for (let slot = 0; slot < dest.length; slot += 1) {
    const target = dest[slot] as number;
    if (target === toConstant) continue;
    const index = target & maxIndex;
    const map = byKind.get(target - index);
    if (map !== undefined) map[index] = slot;
    else others.push(slot);
  }
  maps.otherSlots = Int32Array.from(others);
  return maps;
}

const templates = new Map<number, LineTemplate[]>();
const maxTemplates = 256;
const maxPerKey = 8;
let replayed: LineTemplate | null = null;
const slotValues = new Float64Array(1024);

function learn(start: number, timed: boolean): LineTemplate | null {
  const skeleton = learnSkeleton(text, start, notePositions, noteDests, noteCount);
  if (skeleton === null || skeleton.dest.length > slotValues.length) return null;
  const railNames = sharedNames(railNameBuffer, railCount);
  return {
    skeleton,
    timed,
    railNames,
    inputIndex: inputRailIndex(railNames),
    railHasMax,
    railUnit,
    tempNames: sharedNames(tempNameBuffer, tempCount),
    tempHasMax,
    engineNames: sharedNames(engineNameBuffer, engineCount),
    engines: engineBuffer.slice(0, engineCount).map((mhz) => (mhz === null ? null : 0)),
    cpuLoad: cpuLoad === null ? null : cpuLoad.map((load) => (load === null ? null : 0)),
    cpuMhz: cpuMhz === null ? null : cpuMhz.map(() => null),
    gpus: gpus === null ? null : gpus.map((gpu) => ({ name: gpu.name, form: gpu.form, clocks: gpu.mhz.length })),
    hasSwap: swapUsed !== null,
    hasIram: iramUsed !== null,
    extra: extra === null ? null : [...extra],
    ...slotMaps(skeleton.dest, railCount, tempCount, cpuLoad?.length ?? 0),
  };
}

/** Reads the current line as `template` from `start`: false when its shape differs. */
function replay(template: LineTemplate, start: number): boolean {
  const skeleton = template.skeleton;
  if (!readSkeleton(skeleton, text, start, slotValues)) return false;
  replayed = template;
  railCount = template.railNames.length;
  railHasMax = template.railHasMax;
  railUnit = template.railUnit;
  tempCount = template.tempNames.length;
  tempHasMax = template.tempHasMax;
  engineCount = template.engines.length;
  for (let index = 0; index < engineCount; index += 1) engineBuffer[index] = template.engines[index] as number | null;
  const values = slotValues;
  const { railMwSlots, railAvgSlots, railMaxSlots, tempSlots, tempMaxSlots } = template;
  for (let index = 0; index < railCount; index += 1) {
    railMwBuffer[index] = values[railMwSlots[index] as number] as number;
    railAvgBuffer[index] = values[railAvgSlots[index] as number] as number;
    const maxSlot = railMaxSlots[index] as number;
    railMaxBuffer[index] = maxSlot < 0 ? Number.NaN : (values[maxSlot] as number);
  }
  for (let index = 0; index < tempCount; index += 1) {
    const celsius = values[tempSlots[index] as number] as number;
    tempBuffer[index] = celsius === -256 ? null : celsius;
    const maxSlot = tempMaxSlots[index] as number;
    const max = maxSlot < 0 ? -256 : (values[maxSlot] as number);
    tempMaxBuffer[index] = max === -256 ? null : max;
  }
  if (template.cpuLoad !== null) {
    const cores = template.cpuLoad.length;
    const loadSlots = template.cpuLoadSlots;
    const mhzSlots = template.cpuMhzSlots;
    // Pushed, not `new Array(cores)`: packed arrays, cheaper to build and to read later.
    const loads: (number | null)[] = [];
    const clocks: (number | null)[] = [];
    for (let index = 0; index < cores; index += 1) {
      const loadSlot = loadSlots[index] as number;
      const mhzSlot = mhzSlots[index] as number;
      loads.push(loadSlot < 0 ? null : (values[loadSlot] as number));
      clocks.push(mhzSlot < 0 ? null : (values[mhzSlot] as number));
    }
    cpuLoad = loads;
    cpuMhz = clocks;
  }
  if (template.gpus !== null) {
    const readings: GpuReading[] = [];
    for (const gpu of template.gpus) {
      const mhz: number[] = [];
      for (let clock = 0; clock < gpu.clocks; clock += 1) mhz.push(0);
      readings.push({ name: gpu.name, load: 0, mhz, form: gpu.form });
    }
    gpus = readings;
  }
  if (template.hasSwap) swapCached = 0;
  if (template.hasIram) iramLfb = 0;
  if (template.extra !== null) extra = template.extra.slice();
  const dests = skeleton.dest;
  const others = template.otherSlots;
  for (let index = 0; index < others.length; index += 1) {
    const slot = others[index] as number;
    place(dests[slot] as number, values[slot] as number);
  }
  return true;
}

function place(dest: number, value: number): void {
  const index = dest & maxIndex;
  switch (dest - index) {
    case toRailMw:
      railMwBuffer[index] = value;
      return;
    case toRailAvg:
      railAvgBuffer[index] = value;
      return;
    case toRailMax:
      railMaxBuffer[index] = value;
      return;
    case toTemp:
      tempBuffer[index] = value === -256 ? null : value;
      return;
    case toTempMax:
      tempMaxBuffer[index] = value === -256 ? null : value;
      return;
    case toCpuLoad:
      (cpuLoad as (number | null)[])[index] = value;
      return;
    case toCpuMhz:
      (cpuMhz as (number | null)[])[index] = value;
      return;
    case toCpuShared:
      cpuSharedMhz = value;
      return;
    case toGpuLoad:
      (gpus as GpuReading[])[index]!.load = value;
      return;
    case toGpuMhz:
      (gpus as GpuReading[])[Math.floor(index / maxClocks)]!.mhz[index % maxClocks] = value;
      return;
    case toEmcLoad:
      emcLoad = value;
      return;
    case toEmcMhz:
      emcMhz = value;
      return;
    case toEngine:
      engineBuffer[index] = value;
      return;
    case toMtsFg:
      mtsFg = value;
      return;
    case toMtsBg:
      mtsBg = value;
      return;
    default:
      placeMemory(dest, value);
  }
}

function placeMemory(dest: number, value: number): void {
  switch (dest) {
    case toRamUsed:
      ramUsed = value;
      return;
    case toRamTotal:
      ramTotal = value;
      return;
    case toLfbBlocks:
      lfbBlocks = value;
      return;
    case toLfbBlockMb:
      lfbBlockMb = value;
      return;
    case toSwapUsed:
      swapUsed = value;
      return;
    case toSwapTotal:
      swapTotal = value;
      return;
    case toSwapCached:
      swapCached = value;
      return;
    case toIramUsed:
      iramUsed = value;
      return;
    case toIramTotal:
      iramTotal = value;
      return;
    case toIramLfb:
      iramLfb = value;
      return;
  }
}

function buildSample(t: number, boardTime: string | null): Sample {
  const template = replayed;
  replayed = null;
  const railNames = template === null ? sharedNames(railNameBuffer, railCount) : template.railNames;
  const railMw = railMwBuffer.slice(0, railCount);
  const railAvgMw = railAvgBuffer.slice(0, railCount);
  let sum = 0;
  for (let index = 0; index < railCount; index += 1) {
    const mw = railMw[index] as number;
    // An absurd reading (a 309-digit number) is no reading, and then the sum is none either.
    if (isPlausibleMw(mw)) sum += mw;
    else railMw[index] = sum = Number.NaN;
    railAvgMw[index] = plausibleMw(railAvgMw[index]);
  }
  checkLoads();
  const inputIndex = template === null ? inputRailIndex(railNames) : template.inputIndex;
  const inputMw = inputIndex < 0 ? null : (railMw[inputIndex] as number);
  const inputRail = inputIndex < 0 ? null : (railNames[inputIndex] as string);
  return {
    seq: 0,
    t,
    boardTime,
    railNames,
    railMw,
    railAvgMw,
    railMaxMw: railHasMax ? railMaxBuffer.slice(0, railCount).map(plausibleMw) : null,
    railUnit,
    inputMw: inputMw !== null && Number.isNaN(inputMw) ? null : inputMw,
    inputRail,
    railSumMw: railCount === 0 || Number.isNaN(sum) ? null : sum,
    cpuLoad: cpuLoad ?? [],
    cpuMhz: cpuMhz ?? [],
    cpuSharedMhz,
    gpu: gpus ?? [],
    emcLoad,
    emcMhz,
    engineNames: template === null ? sharedNames(engineNameBuffer, engineCount) : template.engineNames,
    engineMhz: engineBuffer.slice(0, engineCount),
    mtsFg,
    mtsBg,
    tempNames: template === null ? sharedNames(tempNameBuffer, tempCount) : template.tempNames,
    tempC: celsiusOf(tempBuffer),
    tempMaxC: tempHasMax ? celsiusOf(tempMaxBuffer) : null,
    ramUsedMb: ramUsed,
    ramTotalMb: ramTotal,
    lfbBlocks,
    lfbBlockMb,
    swapUsedMb: swapUsed,
    swapTotalMb: swapTotal,
    swapCachedMb: swapCached,
    iramUsedKb: iramUsed,
    iramTotalKb: iramTotal,
    iramLfbKb: iramLfb,
    gpuMemoryMb: null,
    extra: extra ?? [],
  };
}

/** The line's loads by the plausibility rule: a load over 100 % is no reading. */
function checkLoads(): void {
  if (cpuLoad !== null) for (let index = 0; index < cpuLoad.length; index += 1) cpuLoad[index] = plausiblePercent(cpuLoad[index]);
  if (gpus !== null) for (const gpu of gpus) gpu.load = plausiblePercent(gpu.load) ?? Number.NaN;
  emcLoad = plausiblePercent(emcLoad);
}

/** The line's temperatures by the plausibility rule (tegrastats' offline `-256C` is none either). */
function celsiusOf(buffer: readonly (number | null)[]): (number | null)[] {
  const values = buffer.slice(0, tempCount);
  for (let index = 0; index < tempCount; index += 1) values[index] = plausibleCelsius(values[index]);
  return values;
}

/** Index of the first of `inputRailNames` (in their order of preference) among `names`; -1 when none. */
function inputRailIndex(names: readonly string[]): number {
  for (const name of inputRailNames) {
    const index = names.indexOf(name);
    if (index >= 0) return index;
  }
  return -1;
}

/** `MM-DD-YYYY HH:MM:SS ` */
function hasBoardTime(at: number): boolean {
  return (
    length >= at + 20 &&
    text.charCodeAt(at + 2) === minus &&
    text.charCodeAt(at + 5) === minus &&
    text.charCodeAt(at + 10) === space &&
    text.charCodeAt(at + 13) === 58 &&
    text.charCodeAt(at + 16) === 58 &&
    isDigit(text.charCodeAt(at)) &&
    isDigit(text.charCodeAt(at + 18))
  );
}

function isDigit(code: number): boolean {
  return code >= zero && code <= nine;
}

function skipSpaces(): void {
  while (position < length && text.charCodeAt(position) <= space) position += 1;
}

/**
 * Moves to the next whitespace-separated token; false at the end of the line.
 * Any control character counts as whitespace (one comparison a character: this
 * is the parser's hottest loop); `@` is looked for only in tokens ending in `C`,
 * the temperatures.
 */
function nextToken(): boolean {
  // Locals, not the module's bindings, inside the per-character loop.
  const line = text;
  const stop = length;
  let index = position;
  while (index < stop && line.charCodeAt(index) <= space) index += 1;
  if (index >= stop) {
    position = index;
    return false;
  }
  const start = index;
  while (index < stop && line.charCodeAt(index) > space) index += 1;
  tokenStart = start;
  tokenEnd = index;
  position = index;
  if (line.charCodeAt(index - 1) === upperC) {
    const atIndex = line.indexOf('@', start);
    tokenAt = atIndex < index ? atIndex : -1;
  } else {
    tokenAt = -1;
  }
  return true;
}

/** Takes the peeked token, read up to `end`, as the current one. */
function takePeeked(end: number): void {
  tokenStart = peekStart;
  tokenEnd = end;
  tokenAt = -1;
  position = end;
}

/**
 * Field names recur on every line: look them up by a hash of their characters
 * instead of slicing a new string (and having V8 intern it as a property key)
 * each time. Bounded: a stream of garbage cannot grow it without limit.
 */
const names = new Map<number, string>();
const maxNames = 4096;

function nameAt(start: number, end: number): string {
  // Length and four characters tell the known names apart (VDD_SYS_GPU / VDD_SYS_CPU differ in the middle,
  // soc0 / soc1 at the end); `startsWith` below confirms, so a collision only costs a slice.
  const size = end - start;
  const hash =
    (size << 24) ^
    (text.charCodeAt(start) << 16) ^
    (text.charCodeAt(end - 1) << 8) ^
    text.charCodeAt(start + (size >> 1)) ^
    (text.charCodeAt(end - 2) << 4);
  const known = names.get(hash);
  if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
  const name = text.slice(start, end);
  if (names.size >= maxNames) names.clear();
  names.set(hash, name);
  return name;
}

function tokenIs(word: string): boolean {
  return tokenEnd - tokenStart === word.length && text.startsWith(word, tokenStart);
}

/**
 * Start of the token after the current one (set by `peekToken`). Its end is not
 * looked for: the value readers parse from its start and check that what they
 * read ends at whitespace (`atBoundary`), so each character is read once.
 */
let peekStart = 0;

/** Finds where the next token starts without moving past it; false at the end. */
function peekToken(): boolean {
  const line = text;
  const stop = length;
  let index = position;
  while (index < stop && line.charCodeAt(index) <= space) index += 1;
  if (index >= stop) return false;
  peekStart = index;
  return true;
}

/** True at the end of the line or at whitespace: where a token ends. */
function atBoundary(index: number): boolean {
  return index >= length || text.charCodeAt(index) <= space;
}

/** True when `word` is at `from` and a token ends right after it. */
function wordEnds(from: number, word: string): boolean {
  return text.startsWith(word, from) && atBoundary(from + word.length);
}

/** Reads a non-negative integer at `from`; NaN when there is no digit. Sets `numberEnd`. */
function readUint(from: number, to: number): number {
  let value = 0;
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code < zero || code > nine) break;
    value = value * 10 + (code - zero);
    index += 1;
  }
  numberEnd = index;
  return index === from ? Number.NaN : value;
}

/** Reads `-?digits(.digits)?` at `from`; NaN when there is no digit. Sets `numberEnd`. */
function readDecimal(from: number, to: number): number {
  const negative = text.charCodeAt(from) === minus;
  const whole = readUint(negative ? from + 1 : from, to);
  if (Number.isNaN(whole)) return Number.NaN;
  let value = whole;
  if (text.charCodeAt(numberEnd) === dot && numberEnd + 1 < to) {
    // Digits as one integer over a power of ten: one correctly rounded division (44.562, not 44.562000000000005).
    let digits = whole;
    let scale = 1;
    let index = numberEnd + 1;
    while (index < to) {
      const code = text.charCodeAt(index);
      if (code < zero || code > nine) break;
      digits = digits * 10 + (code - zero);
      scale *= 10;
      index += 1;
    }
    numberEnd = index;
    value = digits / scale;
  }
  return negative ? -value : value;
}

function scanField(): void {
  const first = text.charCodeAt(tokenStart);
  if (first === 82 && tokenIs('RAM') && scanRam()) return;
  if (first === 83 && tokenIs('SWAP') && scanSwap()) return;
  if (first === 73 && tokenIs('IRAM') && scanIram()) return;
  if ((first === upperC || first === 99) && (tokenIs('CPU') || tokenIs('cpu')) && scanCpus()) return;
  if (first === 77 && tokenIs('MTS') && scanMts()) return;
  if (scanTemperature()) return;
  if (scanNamedValue()) return;
  keep(text.slice(tokenStart, tokenEnd));
}

/** `RAM 2020/7852MB (lfb 1164x4MB)`; the lfb part is optional. */
function scanRam(): boolean {
  if (!peekToken()) return false;
  const usedAt = peekStart;
  const used = readUint(usedAt, length);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const totalAt = numberEnd + 1;
  const total = readUint(totalAt, length);
  if (Number.isNaN(total) || !wordEnds(numberEnd, 'MB')) return false;
  takePeeked(numberEnd + 2);
  ramUsed = used;
  ramTotal = total;
  note(usedAt, toRamUsed);
  note(totalAt, toRamTotal);
  if (!peekToken() || !wordEnds(peekStart, '(lfb')) return true;
  takePeeked(peekStart + 4);
  if (!peekToken()) return true;
  const countAt = peekStart;
  const count = readUint(countAt, length);
  if (Number.isNaN(count) || text.charCodeAt(numberEnd) !== 120) return true;
  const sizeAt = numberEnd + 1;
  const size = readUint(sizeAt, length);
  if (Number.isNaN(size) || !wordEnds(numberEnd, 'MB)')) return true;
  takePeeked(numberEnd + 3);
  note(countAt, toLfbBlocks);
  note(sizeAt, toLfbBlockMb);
  lfbBlocks = count;
  lfbBlockMb = size;
  return true;
}

/** `SWAP 161/3426MB (cached 0MB)`; the cached part is optional. */
function scanSwap(): boolean {
  if (!peekToken()) return false;
  const usedAt = peekStart;
  const used = readUint(usedAt, length);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const totalAt = numberEnd + 1;
  const total = readUint(totalAt, length);
  if (Number.isNaN(total) || !wordEnds(numberEnd, 'MB')) return false;
  takePeeked(numberEnd + 2);
  swapUsed = used;
  swapTotal = total;
  swapCached = 0;
  note(usedAt, toSwapUsed);
  note(totalAt, toSwapTotal);
  if (!peekToken() || !wordEnds(peekStart, '(cached')) return true;
  takePeeked(peekStart + 7);
  if (!peekToken()) return true;
  const valueAt = peekStart;
  const value = readUint(valueAt, length);
  if (Number.isNaN(value) || !wordEnds(numberEnd, 'MB)')) return true;
  takePeeked(numberEnd + 3);
  note(valueAt, toSwapCached);
  swapCached = value;
  return true;
}

/** `IRAM 0/252kB(lfb 252kB)`: no space before the parenthesis. */
function scanIram(): boolean {
  if (!peekToken()) return false;
  const usedAt = peekStart;
  const used = readUint(usedAt, length);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const totalAt = numberEnd + 1;
  const total = readUint(totalAt, length);
  if (Number.isNaN(total) || !wordEnds(numberEnd, 'kB(lfb')) return false;
  takePeeked(numberEnd + 6);
  iramUsed = used;
  iramTotal = total;
  iramLfb = 0;
  note(usedAt, toIramUsed);
  note(totalAt, toIramTotal);
  if (!peekToken()) return true;
  const valueAt = peekStart;
  const value = readUint(valueAt, length);
  if (Number.isNaN(value) || !wordEnds(numberEnd, 'kB)')) return true;
  takePeeked(numberEnd + 3);
  note(valueAt, toIramLfb);
  iramLfb = value;
  return true;
}

/** `CPU [9%@345,off,…]` or L4T 28's `cpu [0%,1%]@1734`. AGX Xavier's rail `CPU 311/311` is not this. */
function scanCpus(): boolean {
  if (!peekToken() || text.charCodeAt(peekStart) !== openBracket) return false;
  const loads: (number | null)[] = [];
  const clocks: (number | null)[] = [];
  const noted = noteCount;
  let index = peekStart + 1;
  for (;;) {
    if (text.charCodeAt(index) === 111 && text.startsWith('off', index)) {
      loads.push(null);
      clocks.push(null);
      index += 3;
    } else {
      const load = readUint(index, length);
      if (Number.isNaN(load) || text.charCodeAt(numberEnd) !== percent) return ((noteCount = noted), false);
      note(index, toCpuLoad + loads.length);
      index = numberEnd + 1;
      let mhz: number | null = null;
      if (text.charCodeAt(index) === at) {
        mhz = readUint(index + 1, length);
        if (Number.isNaN(mhz)) return ((noteCount = noted), false);
        note(index + 1, toCpuMhz + loads.length);
        index = numberEnd;
      }
      loads.push(load);
      clocks.push(mhz);
    }
    const separator = text.charCodeAt(index);
    if (separator === comma) {
      index += 1;
      continue;
    }
    if (separator === closeBracket) break;
    noteCount = noted;
    return false;
  }
  index += 1;
  let clock: number | null = null;
  if (text.charCodeAt(index) === at) {
    clock = readUint(index + 1, length);
    if (Number.isNaN(clock)) return ((noteCount = noted), false);
    note(index + 1, toCpuShared);
    index = numberEnd;
  }
  if (!atBoundary(index) || loads.length > maxIndex) return ((noteCount = noted), false);
  takePeeked(index);
  cpuLoad = loads;
  cpuMhz = clocks;
  cpuSharedMhz = clock;
  return true;
}

/** `MTS fg 1% bg 8%` (Denver cores). */
function scanMts(): boolean {
  const saved = position;
  const savedStart = tokenStart;
  let fg = Number.NaN;
  let bg = Number.NaN;
  let fgAt = 0;
  let bgAt = 0;
  for (let label = 0; label < 2; label += 1) {
    if (!nextToken() || !tokenIs(label === 0 ? 'fg' : 'bg') || !nextToken()) break;
    const value = readUint(tokenStart, tokenEnd);
    if (Number.isNaN(value) || text.charCodeAt(numberEnd) !== percent || numberEnd + 1 !== tokenEnd) break;
    if (label === 0) {
      fg = value;
      fgAt = tokenStart;
    } else {
      bg = value;
      bgAt = tokenStart;
    }
  }
  if (Number.isNaN(fg) || Number.isNaN(bg)) {
    position = saved;
    tokenStart = savedStart;
    tokenEnd = saved;
    return false;
  }
  mtsFg = fg;
  mtsBg = bg;
  note(fgAt, toMtsFg);
  note(bgAt, toMtsBg);
  return true;
}

/** `GPU@41C`, `CV0@-256C` (offline), `cpu@52.968C/52.968C` (JetPack 7: current/max). */
function scanTemperature(): boolean {
  const atIndex = tokenAt;
  if (atIndex <= tokenStart) return false;
  const celsius = readDecimal(atIndex + 1, tokenEnd);
  if (Number.isNaN(celsius) || text.charCodeAt(numberEnd) !== upperC) return false;
  let end = numberEnd + 1;
  let max: number | null = null;
  const maxAt = end + 1;
  if (end < tokenEnd) {
    if (text.charCodeAt(end) !== slash) return false;
    max = readDecimal(maxAt, tokenEnd);
    if (Number.isNaN(max) || text.charCodeAt(numberEnd) !== upperC) return false;
    end = numberEnd + 1;
  }
  if (end !== tokenEnd || tempCount > maxIndex) return false;
  note(atIndex + 1, toTemp + tempCount);
  if (max !== null) note(maxAt, toTempMax + tempCount);
  tempNameBuffer[tempCount] = nameAt(tokenStart, atIndex);
  tempBuffer[tempCount] = celsius === -256 ? null : celsius;
  tempMaxBuffer[tempCount] = max === -256 ? null : max;
  if (max !== null) tempHasMax = true;
  tempCount += 1;
  return true;
}

/** `NAME value`: a load (`EMC_FREQ 0%@1600`), a rail (`VDD_IN 1750/1628`), or an engine (`APE 25`, `NVENC off`). */
function scanNamedValue(): boolean {
  const first = text.charCodeAt(tokenStart);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return false;
  if (!peekToken()) return false;
  if (wordEnds(peekStart, 'off') && engineCount <= maxIndex) {
    addEngine(nameAt(tokenStart, tokenEnd), null);
    takePeeked(peekStart + 3);
    return true;
  }
  const number = readUint(peekStart, length);
  if (Number.isNaN(number)) return false;
  const after = numberEnd >= length ? space : text.charCodeAt(numberEnd);
  let end = -1;
  if (after <= space) {
    if (engineCount > maxIndex) return false;
    note(peekStart, toEngine + engineCount);
    addEngine(nameAt(tokenStart, tokenEnd), number);
    end = numberEnd;
  } else if (after === percent) {
    end = scanLoad(number, numberEnd + 1);
  } else if (after === slash || after === 109) {
    end = scanRail(number, numberEnd);
  }
  if (end < 0) return false;
  takePeeked(end);
  return true;
}

function addEngine(name: string, mhz: number | null): void {
  engineNameBuffer[engineCount] = name;
  engineBuffer[engineCount] = mhz;
  engineCount += 1;
}

/** `0%`, `0%@1600`, `0%@[305,305]` after the current token (the field's name); returns where it ends, or -1. */
function scanLoad(load: number, from: number): number {
  const loadAt = peekStart;
  const noted = noteCount;
  let mhz: number[] | null = null;
  let single = Number.NaN;
  let form: ClockForm = 'percent';
  let end = from;
  if (!atBoundary(from)) {
    if (text.charCodeAt(from) !== at) return -1;
    if (text.charCodeAt(from + 1) === openBracket) {
      form = 'array';
      mhz = [];
      let index = from + 2;
      while (text.charCodeAt(index) !== closeBracket) {
        const clock = readUint(index, length);
        if (Number.isNaN(clock) || mhz.length >= maxClocks) return ((noteCount = noted), -1);
        note(index, toGpuMhz + (gpus?.length ?? 0) * maxClocks + mhz.length);
        mhz.push(clock);
        index = numberEnd;
        if (text.charCodeAt(index) === comma) index += 1;
        else if (text.charCodeAt(index) !== closeBracket) return ((noteCount = noted), -1);
      }
      end = index + 1;
    } else {
      form = 'scalar';
      single = readUint(from + 1, length);
      if (Number.isNaN(single)) return -1;
      end = numberEnd;
    }
    if (!atBoundary(end)) return ((noteCount = noted), -1);
  }
  const first = text.charCodeAt(tokenStart);
  if (first === 69 && (tokenIs('EMC_FREQ') || tokenIs('EMC')) && form !== 'array') {
    note(loadAt, toEmcLoad);
    if (form === 'scalar') note(from + 1, toEmcMhz);
    emcLoad = load;
    emcMhz = form === 'scalar' ? single : (mhz?.[0] ?? null);
    return end;
  }
  if (first === 71 && text.startsWith('GR3D', tokenStart)) {
    const nameEnd = text.startsWith('_FREQ', tokenEnd - 5) ? tokenEnd - 5 : tokenEnd;
    const index = gpus?.length ?? 0;
    if (index >= maxGpus) return ((noteCount = noted), -1);
    note(loadAt, toGpuLoad + index);
    if (form === 'scalar') note(from + 1, toGpuMhz + index * maxClocks);
    const clocks = mhz ?? (form === 'scalar' ? [single] : []);
    (gpus ??= []).push({ name: nameAt(tokenStart, nameEnd), load, mhz: clocks, form });
    return end;
  }
  noteCount = noted;
  keep(`${text.slice(tokenStart, tokenEnd)} ${text.slice(peekStart, end)}`);
  return end;
}

/** `1750/1628`, `4824mW/4824mW`, `…mW/…mW/…mW` (JetPack 7 adds the peak); returns where it ends, or -1. */
function scanRail(mw: number, from: number): number {
  const hasUnit = text.charCodeAt(from) === 109;
  let index = skipUnit(from);
  if (text.charCodeAt(index) !== slash) return -1;
  const averageAt = index + 1;
  const average = readUint(averageAt, length);
  if (Number.isNaN(average)) return -1;
  index = skipUnit(numberEnd);
  let max = Number.NaN;
  const maxAt = index + 1;
  if (!atBoundary(index)) {
    if (text.charCodeAt(index) !== slash) return -1;
    max = readUint(maxAt, length);
    if (Number.isNaN(max)) return -1;
    index = skipUnit(numberEnd);
    if (!atBoundary(index)) return -1;
  }
  if (tokenEnd - tokenStart === 2 && text.startsWith('NC', tokenStart)) {
    // An unconnected INA3221 channel: always 0, never part of any total.
    keep(`NC ${text.slice(peekStart, index)}`);
    return index;
  }
  if (railCount > maxIndex) return -1;
  note(peekStart, toRailMw + railCount);
  note(averageAt, toRailAvg + railCount);
  if (!Number.isNaN(max)) note(maxAt, toRailMax + railCount);
  railUnit = hasUnit ? 'mW' : 'bare';
  railNameBuffer[railCount] = nameAt(tokenStart, tokenEnd);
  railMwBuffer[railCount] = mw;
  railAvgBuffer[railCount] = average;
  railMaxBuffer[railCount] = max;
  if (!Number.isNaN(max)) railHasMax = true;
  railCount += 1;
  return index;
}

function skipUnit(index: number): number {
  return text.charCodeAt(index) === 109 && text.charCodeAt(index + 1) === 87 ? index + 2 : index;
}
