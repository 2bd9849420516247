/**
 * A fast, total parser for `tegrastats` lines of every release we have real
 * lines of (test/fixtures/tegrastats-real.jsonl, sources in its `source`
 * field; formats summarised in ../tegrastats.ts and
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
 * not tegrastats gives null, a field it does not know goes to `extra`.
 */
import { inputRailNames, type ClockForm, type GpuReading, type Sample } from './sample.ts';

// Character codes used below.
const space = 32;
const tab = 9;
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
  while (nextToken()) scanField();
  if (ramUsed < 0 || (cpuLoad === null && gpus === null)) return null;
  return buildSample(t, boardTime);
}

function buildSample(t: number, boardTime: string | null): Sample {
  const railNames = sharedNames(railNameBuffer, railCount);
  const railMw = railMwBuffer.slice(0, railCount);
  let sum = 0;
  for (let index = 0; index < railCount; index += 1) sum += railMw[index] as number;
  let inputMw: number | null = null;
  let inputRail: string | null = null;
  for (const name of inputRailNames) {
    const index = railNames.indexOf(name);
    if (index >= 0) {
      inputMw = railMw[index] as number;
      inputRail = name;
      break;
    }
  }
  return {
    seq: 0,
    t,
    boardTime,
    railNames,
    railMw,
    railAvgMw: railAvgBuffer.slice(0, railCount),
    railMaxMw: railHasMax ? railMaxBuffer.slice(0, railCount) : null,
    railUnit,
    inputMw,
    inputRail,
    railSumMw: railCount === 0 ? null : sum,
    cpuLoad: cpuLoad ?? [],
    cpuMhz: cpuMhz ?? [],
    cpuSharedMhz,
    gpu: gpus ?? [],
    emcLoad,
    emcMhz,
    engineNames: sharedNames(engineNameBuffer, engineCount),
    engineMhz: engineBuffer.slice(0, engineCount),
    mtsFg,
    mtsBg,
    tempNames: sharedNames(tempNameBuffer, tempCount),
    tempC: tempBuffer.slice(0, tempCount),
    tempMaxC: tempHasMax ? tempMaxBuffer.slice(0, tempCount) : null,
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
  while (position < length) {
    const code = text.charCodeAt(position);
    if (code !== space && code !== tab) break;
    position += 1;
  }
}

/** Moves to the next whitespace-separated token; false at the end of the line. */
function nextToken(): boolean {
  // Locals, not the module's bindings, inside the per-character loop: it is the parser's hottest code.
  const line = text;
  const stop = length;
  let index = position;
  let code = 0;
  while (index < stop && ((code = line.charCodeAt(index)) === space || code === tab)) index += 1;
  if (index >= stop) {
    position = index;
    return false;
  }
  const start = index;
  let atIndex = -1;
  while (index < stop) {
    code = line.charCodeAt(index);
    if (code === space || code === tab) break;
    if (code === at && atIndex < 0) atIndex = index;
    index += 1;
  }
  tokenStart = start;
  tokenEnd = index;
  tokenAt = atIndex;
  position = index;
  return true;
}

/** Takes the token found by `peekToken` as the current one, without scanning it again. */
function takePeeked(): void {
  tokenStart = peekStart;
  tokenEnd = peekEnd;
  tokenAt = -1;
  position = peekEnd;
}

/**
 * Field names recur on every line: look them up by a hash of their characters
 * instead of slicing a new string (and having V8 intern it as a property key)
 * each time. Bounded: a stream of garbage cannot grow it without limit.
 */
const names = new Map<number, string>();
const maxNames = 4096;

function nameAt(start: number, end: number): string {
  let hash = end - start;
  for (let index = start; index < end; index += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
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

/** Bounds of the token after the current one (set by `peekToken`). */
let peekStart = 0;
let peekEnd = 0;

/** Finds the next token's bounds without moving past it (call `nextToken` to take it); false at the end. */
function peekToken(): boolean {
  const line = text;
  const stop = length;
  let index = position;
  let code = 0;
  while (index < stop && ((code = line.charCodeAt(index)) === space || code === tab)) index += 1;
  if (index >= stop) return false;
  const start = index;
  while (index < stop && (code = line.charCodeAt(index)) !== space && code !== tab) index += 1;
  peekStart = start;
  peekEnd = index;
  return true;
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

/** True when the text at `from` is `word` and it ends at `to`. */
function endsWithWord(from: number, to: number, word: string): boolean {
  return to - from === word.length && text.startsWith(word, from);
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
  const used = readUint(peekStart, peekEnd);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const total = readUint(numberEnd + 1, peekEnd);
  if (Number.isNaN(total) || !endsWithWord(numberEnd, peekEnd, 'MB')) return false;
  takePeeked();
  ramUsed = used;
  ramTotal = total;
  if (!peekToken() || !endsWithWord(peekStart, peekEnd, '(lfb')) return true;
  takePeeked();
  if (!peekToken()) return true;
  const count = readUint(peekStart, peekEnd);
  if (Number.isNaN(count) || text.charCodeAt(numberEnd) !== 120) return true;
  const size = readUint(numberEnd + 1, peekEnd);
  if (Number.isNaN(size) || !endsWithWord(numberEnd, peekEnd, 'MB)')) return true;
  takePeeked();
  lfbBlocks = count;
  lfbBlockMb = size;
  return true;
}

/** `SWAP 161/3426MB (cached 0MB)`; the cached part is optional. */
function scanSwap(): boolean {
  if (!peekToken()) return false;
  const used = readUint(peekStart, peekEnd);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const total = readUint(numberEnd + 1, peekEnd);
  if (Number.isNaN(total) || !endsWithWord(numberEnd, peekEnd, 'MB')) return false;
  takePeeked();
  swapUsed = used;
  swapTotal = total;
  swapCached = 0;
  if (!peekToken() || !endsWithWord(peekStart, peekEnd, '(cached')) return true;
  takePeeked();
  if (!peekToken()) return true;
  const value = readUint(peekStart, peekEnd);
  if (Number.isNaN(value) || !endsWithWord(numberEnd, peekEnd, 'MB)')) return true;
  takePeeked();
  swapCached = value;
  return true;
}

/** `IRAM 0/252kB(lfb 252kB)`: no space before the parenthesis. */
function scanIram(): boolean {
  if (!peekToken()) return false;
  const used = readUint(peekStart, peekEnd);
  if (Number.isNaN(used) || text.charCodeAt(numberEnd) !== slash) return false;
  const total = readUint(numberEnd + 1, peekEnd);
  if (Number.isNaN(total) || !endsWithWord(numberEnd, peekEnd, 'kB(lfb')) return false;
  takePeeked();
  iramUsed = used;
  iramTotal = total;
  iramLfb = 0;
  if (!peekToken()) return true;
  const value = readUint(peekStart, peekEnd);
  if (Number.isNaN(value) || !endsWithWord(numberEnd, peekEnd, 'kB)')) return true;
  takePeeked();
  iramLfb = value;
  return true;
}

/** `CPU [9%@345,off,…]` or L4T 28's `cpu [0%,1%]@1734`. AGX Xavier's rail `CPU 311/311` is not this. */
function scanCpus(): boolean {
  if (!peekToken() || text.charCodeAt(peekStart) !== openBracket) return false;
  const loads: (number | null)[] = [];
  const clocks: (number | null)[] = [];
  let index = peekStart + 1;
  for (;;) {
    if (text.charCodeAt(index) === 111 && text.startsWith('off', index)) {
      loads.push(null);
      clocks.push(null);
      index += 3;
    } else {
      const load = readUint(index, peekEnd);
      if (Number.isNaN(load) || text.charCodeAt(numberEnd) !== percent) return false;
      index = numberEnd + 1;
      let mhz: number | null = null;
      if (text.charCodeAt(index) === at) {
        mhz = readUint(index + 1, peekEnd);
        if (Number.isNaN(mhz)) return false;
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
    return false;
  }
  index += 1;
  let clock: number | null = null;
  if (text.charCodeAt(index) === at) {
    clock = readUint(index + 1, peekEnd);
    if (Number.isNaN(clock)) return false;
    index = numberEnd;
  }
  if (index !== peekEnd) return false;
  takePeeked();
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
  for (let label = 0; label < 2; label += 1) {
    if (!nextToken() || !tokenIs(label === 0 ? 'fg' : 'bg') || !nextToken()) break;
    const value = readUint(tokenStart, tokenEnd);
    if (Number.isNaN(value) || text.charCodeAt(numberEnd) !== percent || numberEnd + 1 !== tokenEnd) break;
    if (label === 0) fg = value;
    else bg = value;
  }
  if (Number.isNaN(fg) || Number.isNaN(bg)) {
    position = saved;
    tokenStart = savedStart;
    tokenEnd = saved;
    return false;
  }
  mtsFg = fg;
  mtsBg = bg;
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
  if (end < tokenEnd) {
    if (text.charCodeAt(end) !== slash) return false;
    max = readDecimal(end + 1, tokenEnd);
    if (Number.isNaN(max) || text.charCodeAt(numberEnd) !== upperC) return false;
    end = numberEnd + 1;
  }
  if (end !== tokenEnd) return false;
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
  if (endsWithWord(peekStart, peekEnd, 'off')) {
    addEngine(nameAt(tokenStart, tokenEnd), null);
    takePeeked();
    return true;
  }
  const number = readUint(peekStart, peekEnd);
  if (Number.isNaN(number)) return false;
  const after = text.charCodeAt(numberEnd);
  let placed = false;
  if (numberEnd === peekEnd) {
    addEngine(nameAt(tokenStart, tokenEnd), number);
    placed = true;
  } else if (after === percent) {
    placed = scanLoad(number, numberEnd + 1, peekEnd);
  } else if (after === slash || after === 109) {
    placed = scanRail(number, numberEnd, peekEnd);
  }
  if (!placed) return false;
  takePeeked();
  return true;
}

function addEngine(name: string, mhz: number | null): void {
  engineNameBuffer[engineCount] = name;
  engineBuffer[engineCount] = mhz;
  engineCount += 1;
}

/** `0%`, `0%@1600`, `0%@[305,305]` after the current token (the field's name). */
function scanLoad(load: number, from: number, to: number): boolean {
  let mhz: number[] | null = null;
  let single = Number.NaN;
  let form: ClockForm = 'percent';
  if (from < to) {
    if (text.charCodeAt(from) !== at) return false;
    if (text.charCodeAt(from + 1) === openBracket) {
      form = 'array';
      mhz = [];
      let index = from + 2;
      while (text.charCodeAt(index) !== closeBracket) {
        const clock = readUint(index, to);
        if (Number.isNaN(clock)) return false;
        mhz.push(clock);
        index = numberEnd;
        if (text.charCodeAt(index) === comma) index += 1;
        else if (text.charCodeAt(index) !== closeBracket) return false;
      }
      if (index + 1 !== to) return false;
    } else {
      form = 'scalar';
      single = readUint(from + 1, to);
      if (Number.isNaN(single) || numberEnd !== to) return false;
    }
  }
  const first = text.charCodeAt(tokenStart);
  if (first === 69 && (tokenIs('EMC_FREQ') || tokenIs('EMC'))) {
    emcLoad = load;
    emcMhz = form === 'scalar' ? single : (mhz?.[0] ?? null);
    return true;
  }
  if (first === 71 && text.startsWith('GR3D', tokenStart)) {
    const end = text.startsWith('_FREQ', tokenEnd - 5) ? tokenEnd - 5 : tokenEnd;
    const clocks = mhz ?? (form === 'scalar' ? [single] : []);
    (gpus ??= []).push({ name: nameAt(tokenStart, end), load, mhz: clocks, form });
    return true;
  }
  keep(`${text.slice(tokenStart, tokenEnd)} ${text.slice(peekStart, to)}`);
  return true;
}

/** `1750/1628`, `4824mW/4824mW`, `…mW/…mW/…mW` (JetPack 7 adds the peak). */
function scanRail(mw: number, from: number, to: number): boolean {
  const hasUnit = text.charCodeAt(from) === 109;
  let index = skipUnit(from);
  if (index >= to || text.charCodeAt(index) !== slash) return false;
  const average = readUint(index + 1, to);
  if (Number.isNaN(average)) return false;
  index = skipUnit(numberEnd);
  let max = Number.NaN;
  if (index < to) {
    if (text.charCodeAt(index) !== slash) return false;
    max = readUint(index + 1, to);
    if (Number.isNaN(max)) return false;
    index = skipUnit(numberEnd);
  }
  if (index !== to) return false;
  if (tokenEnd - tokenStart === 2 && text.startsWith('NC', tokenStart)) {
    // An unconnected INA3221 channel: always 0, never part of any total.
    keep(`NC ${text.slice(peekStart, to)}`);
    return true;
  }
  railUnit = hasUnit ? 'mW' : 'bare';
  railNameBuffer[railCount] = nameAt(tokenStart, tokenEnd);
  railMwBuffer[railCount] = mw;
  railAvgBuffer[railCount] = average;
  railMaxBuffer[railCount] = max;
  if (!Number.isNaN(max)) railHasMax = true;
  railCount += 1;
  return true;
}

function skipUnit(index: number): number {
  return text.charCodeAt(index) === 109 && text.charCodeAt(index + 1) === 87 ? index + 2 : index;
}
