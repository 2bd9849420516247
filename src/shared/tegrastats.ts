/**
 * Parser for one line of NVIDIA `tegrastats` output, every release we have
 * real lines of (test/fixtures/tegrastats-real.jsonl, from public sources):
 *
 * - L4T 28 (TX1): `RAM … cpu [0%,1%,…]@1734 EMC 0%@1600 APE 25 GR3D 0%@998`
 * - L4T 32 (JetPack 4): `RAM … SWAP … IRAM … CPU [5%@1224,off,…] EMC_FREQ 0%@1600
 *   GR3D_FREQ 0%@76 APE 25 MTS fg 0% bg 0% PLL@37C … VDD_IN 1750/1628` (bare mW)
 * - L4T 35/36 (JetPack 5/6): leading `MM-DD-YYYY HH:MM:SS`, `GR3D_FREQ 0%@[305,305]`
 *   or `GR3D_FREQ 0%@0 GR3D2_FREQ 0%@0`, engines `VIC_FREQ 729` / `NVENC off`,
 *   rails `VDD_IN 4824mW/4824mW`, `NC` (not connected) INA channels, `CV0@-256C` offline sensors
 * - L4T 39 (JetPack 7): temps `cpu@52.968C/52.968C`, rails `…mW/…mW/…mW`.
 *
 * Without sudo, tegrastats prints `EMC_FREQ 0%` / `GR3D_FREQ 0%` without clocks
 * and leaves out IRAM/APE; both forms parse.
 */

export interface CpuCore {
  loadPct: number;
  /** null when the line gives no clock for the core (L4T 28 gives one for all, see `cpuMhz`). */
  mhz: number | null;
}

export interface UtilizationField {
  loadPct: number;
  /** Empty when printed without a clock (non-sudo); one entry for `0%@76`; one per GPC for `0%@[305,305]`. */
  mhz: number[];
  /** How the clock was printed, for format comparisons. */
  form: 'percent' | 'scalar' | 'array';
}

export interface Temperature {
  name: string;
  celsius: number;
  /** JetPack 7 prints `cur/max`. */
  maxCelsius: number | null;
  /** `-256C` means the sensor is offline (e.g. `CV0@-256C` on AGX Orin). */
  offline: boolean;
}

export interface Rail {
  name: string;
  mw: number;
  avgMw: number;
  /** JetPack 7 prints a third value (peak). */
  maxMw: number | null;
  /** False for `NC` (not connected) INA3221 channels; they never count in the total. */
  connected: boolean;
}

export interface TegrastatsSample {
  /** `MM-DD-YYYY HH:MM:SS` as printed (JetPack 5+), board local time; null on older releases. */
  time: string | null;
  ram: { usedMb: number; totalMb: number; lfbBlocks: number; lfbBlockMb: number } | null;
  swap: { usedMb: number; totalMb: number; cachedMb: number } | null;
  iram: { usedKb: number; totalKb: number; lfbKb: number } | null;
  /** One entry per core in order; null when the core is `off`. */
  cpus: (CpuCore | null)[];
  /** L4T 28 prints one clock for all cores (`cpu [..]@1734`). */
  cpuMhz: number | null;
  emc: UtilizationField | null;
  /** `GR3D_FREQ` (and `GR3D2_FREQ` on JetPack 5 AGX Orin), in order. */
  gpus: (UtilizationField & { name: string })[];
  /** Fixed-clock engines: `APE 25`, `VIC_FREQ 729`, `NVENC off` (null = off). */
  engines: { name: string; mhz: number | null }[];
  /** Denver/MTS foreground and background load (TX2, AGX Xavier). */
  mts: { fgPct: number; bgPct: number } | null;
  temps: Temperature[];
  rails: Rail[];
  /** `mW` when rails print units (JetPack 5+), `bare` for plain numbers (JetPack 4 and older). */
  railUnit: 'mW' | 'bare' | null;
  /** Board input power: the input rail if present, else the sum of connected rails (jtop's rule). */
  totalMw: number | null;
  /** The rail `totalMw` came from, `sum` when summed, null without rails. */
  totalSource: string | null;
  /** Tokens the parser did not recognise (kept, not fatal: new releases add fields). */
  unknown: string[];
}

export class TegrastatsParseError extends Error {
  readonly line: string;

  constructor(message: string, line: string) {
    super(`${message}: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`);
    this.name = 'TegrastatsParseError';
    this.line = line;
  }
}

/**
 * Input rails, in the order jtop prefers them (`jtop/core/power.py`: `POM_5V_IN`
 * or `VDD_IN`; Thor's INA238 `VIN`, rbonghi/jetson_stats PR #900). Boards without
 * one (AGX Xavier: `SYS5V`…, AGX Orin: `VIN_SYS_5V0`…) total as the sum of their
 * rails, as jtop does: `VIN_SYS_5V0` is the carrier's 5 V rail, not the input.
 */
export const inputRailNames: readonly string[] = ['VDD_IN', 'POM_5V_IN', 'VIN'];

const timePattern = /^(\d\d-\d\d-\d{4}) (\d\d:\d\d:\d\d) /;
const percentPattern = /^(\d+)%(?:@(\d+|\[[\d,]*\]))?$/;
const tempPattern = /^([A-Za-z][\w-]*)@(-?\d+(?:\.\d+)?)C(?:\/(-?\d+(?:\.\d+)?)C)?$/;
const railValuePattern = /^(\d+)(mW)?\/(\d+)(mW)?(?:\/(\d+)(mW)?)?$/;
const namePattern = /^[A-Za-z][\w]*$/;

/** Parses one tegrastats line; throws TegrastatsParseError when it is not one. */
export function parseTegrastatsLine(line: string): TegrastatsSample {
  let rest = line.trim();
  const sample = emptySample();
  const time = timePattern.exec(rest);
  if (time) {
    sample.time = `${time[1]} ${time[2]}`;
    rest = rest.slice(time[0].length);
  }
  const tokens = rest.split(/\s+/).filter((token) => token !== '');
  let index = 0;
  while (index < tokens.length) {
    index = parseToken(tokens, index, sample, line);
  }
  if (sample.ram === null || (sample.cpus.length === 0 && sample.gpus.length === 0)) {
    throw new TegrastatsParseError('not a tegrastats line (no RAM and CPU/GR3D fields)', line);
  }
  setTotal(sample);
  return sample;
}

function emptySample(): TegrastatsSample {
  return {
    time: null,
    ram: null,
    swap: null,
    iram: null,
    cpus: [],
    cpuMhz: null,
    emc: null,
    gpus: [],
    engines: [],
    mts: null,
    temps: [],
    rails: [],
    railUnit: null,
    totalMw: null,
    totalSource: null,
    unknown: [],
  };
}

/** Consumes the field starting at `index`; returns the index after it. */
function parseToken(tokens: string[], index: number, sample: TegrastatsSample, line: string): number {
  const token = tokens[index] ?? '';
  const next = tokens[index + 1] ?? '';
  switch (token) {
    case 'RAM':
      return parseRam(tokens, index, sample, line);
    case 'SWAP':
      return parseSwap(tokens, index, sample, line);
    case 'IRAM':
      return parseIram(tokens, index, sample, line);
    case 'CPU':
    case 'cpu':
      // AGX Xavier also has a rail named `CPU` (`CPU 311/311`); the field is the bracketed one.
      if (next.startsWith('[')) return parseCpus(next, index, sample, line);
      break;
    case 'MTS':
      return parseMts(tokens, index, sample, line);
  }
  const temp = tempPattern.exec(token);
  if (temp) {
    const celsius = Number(temp[2]);
    sample.temps.push({
      name: temp[1] ?? '',
      celsius,
      maxCelsius: temp[3] === undefined ? null : Number(temp[3]),
      offline: celsius === -256,
    });
    return index + 1;
  }
  if (namePattern.test(token)) {
    const utilization = percentPattern.exec(next);
    if (utilization) {
      addUtilization(token, utilization, sample);
      return index + 2;
    }
    const rail = railValuePattern.exec(next);
    if (rail) {
      addRail(token, rail, sample);
      return index + 2;
    }
    if (next === 'off' || /^\d+$/.test(next)) {
      sample.engines.push({ name: token, mhz: next === 'off' ? null : Number(next) });
      return index + 2;
    }
  }
  sample.unknown.push(token);
  return index + 1;
}

function parseRam(tokens: string[], index: number, sample: TegrastatsSample, line: string): number {
  const usage = /^(\d+)\/(\d+)MB$/.exec(tokens[index + 1] ?? '');
  if (!usage) throw new TegrastatsParseError('malformed RAM field', line);
  const lfb = /^(\d+)x(\d+)MB\)$/.exec(tokens[index + 3] ?? '');
  const hasLfb = tokens[index + 2] === '(lfb' && lfb !== null;
  sample.ram = {
    usedMb: Number(usage[1]),
    totalMb: Number(usage[2]),
    lfbBlocks: hasLfb ? Number(lfb[1]) : 0,
    lfbBlockMb: hasLfb ? Number(lfb[2]) : 0,
  };
  return index + (hasLfb ? 4 : 2);
}

function parseSwap(tokens: string[], index: number, sample: TegrastatsSample, line: string): number {
  const usage = /^(\d+)\/(\d+)MB$/.exec(tokens[index + 1] ?? '');
  if (!usage) throw new TegrastatsParseError('malformed SWAP field', line);
  const cached = /^(\d+)MB\)$/.exec(tokens[index + 3] ?? '');
  const hasCached = tokens[index + 2] === '(cached' && cached !== null;
  sample.swap = { usedMb: Number(usage[1]), totalMb: Number(usage[2]), cachedMb: hasCached ? Number(cached[1]) : 0 };
  return index + (hasCached ? 4 : 2);
}

function parseIram(tokens: string[], index: number, sample: TegrastatsSample, line: string): number {
  // `IRAM 0/252kB(lfb 252kB)`: no space before the parenthesis.
  const usage = /^(\d+)\/(\d+)kB\(lfb$/.exec(tokens[index + 1] ?? '');
  const lfb = /^(\d+)kB\)$/.exec(tokens[index + 2] ?? '');
  if (!usage || !lfb) throw new TegrastatsParseError('malformed IRAM field', line);
  sample.iram = { usedKb: Number(usage[1]), totalKb: Number(usage[2]), lfbKb: Number(lfb[1]) };
  return index + 3;
}

function parseCpus(value: string, index: number, sample: TegrastatsSample, line: string): number {
  const match = /^\[([^\]]*)\](?:@(\d+))?$/.exec(value);
  if (!match) throw new TegrastatsParseError('malformed CPU field', line);
  sample.cpuMhz = match[2] === undefined ? null : Number(match[2]);
  for (const entry of (match[1] ?? '').split(',')) {
    if (entry === 'off') {
      sample.cpus.push(null);
      continue;
    }
    const core = /^(\d+)%(?:@(\d+))?$/.exec(entry);
    if (!core) throw new TegrastatsParseError(`malformed CPU entry "${entry}"`, line);
    sample.cpus.push({ loadPct: Number(core[1]), mhz: core[2] === undefined ? null : Number(core[2]) });
  }
  return index + 2;
}

function parseMts(tokens: string[], index: number, sample: TegrastatsSample, line: string): number {
  const fg = /^(\d+)%$/.exec(tokens[index + 2] ?? '');
  const bg = /^(\d+)%$/.exec(tokens[index + 4] ?? '');
  if (tokens[index + 1] !== 'fg' || tokens[index + 3] !== 'bg' || !fg || !bg) {
    throw new TegrastatsParseError('malformed MTS field', line);
  }
  sample.mts = { fgPct: Number(fg[1]), bgPct: Number(bg[1]) };
  return index + 5;
}

function addUtilization(name: string, match: RegExpExecArray, sample: TegrastatsSample): void {
  const clock = match[2];
  const field: UtilizationField = {
    loadPct: Number(match[1]),
    mhz: clock === undefined ? [] : clock.startsWith('[') ? parseList(clock) : [Number(clock)],
    form: clock === undefined ? 'percent' : clock.startsWith('[') ? 'array' : 'scalar',
  };
  if (name === 'EMC_FREQ' || name === 'EMC') {
    sample.emc = field;
  } else if (/^GR3D\d*(_FREQ)?$/.test(name)) {
    sample.gpus.push({ name: name.replace(/_FREQ$/, ''), ...field });
  } else {
    sample.unknown.push(name);
  }
}

function parseList(text: string): number[] {
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map(Number);
}

function addRail(name: string, match: RegExpExecArray, sample: TegrastatsSample): void {
  sample.railUnit = match[2] === 'mW' ? 'mW' : 'bare';
  sample.rails.push({
    name,
    mw: Number(match[1]),
    avgMw: Number(match[3]),
    maxMw: match[5] === undefined ? null : Number(match[5]),
    connected: name !== 'NC',
  });
}

function setTotal(sample: TegrastatsSample): void {
  if (sample.rails.length === 0) return;
  for (const name of inputRailNames) {
    const rail = sample.rails.find((candidate) => candidate.name === name);
    if (rail) {
      sample.totalMw = rail.mw;
      sample.totalSource = name;
      return;
    }
  }
  sample.totalMw = sample.rails.filter((rail) => rail.connected).reduce((sum, rail) => sum + rail.mw, 0);
  sample.totalSource = 'sum';
}

export { LineSplitter } from './line-splitter.ts';
