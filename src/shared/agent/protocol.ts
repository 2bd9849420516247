/**
 * The one reader of the agent's JSON lines (resources/agent/README.md,
 * "Protocol"): each line becomes one typed record, with every number checked
 * where it enters by the one plausibility rule (src/shared/power/plausible.ts).
 * A reading that is not a finite number in range is no reading (NaN), never
 * a figure an integrator would turn into infinite joules. Benchmarks
 * (src/shared/bench/agent-output.ts) and live power
 * (src/shared/telemetry/agent-power.ts) both read through it. Pure.
 */
import {
  isPlausibleSeconds,
  isPlausibleSeriesName,
  maxNamedSeries,
  plausibleCelsius,
  plausibleMw,
  plausiblePercent,
} from '../power/plausible.ts';

export interface AgentMarker {
  /** `time.monotonic()` on the board, seconds. */
  t: number;
  /** `time.time()` on the board, seconds. */
  wall: number;
}

export interface AgentProgress {
  stage: string;
  epoch?: number;
  epochs?: number;
  loss?: number;
  seconds?: number;
}

/** One `sample` line: readings on the board's monotonic clock; loads and temperatures once per line, when the agent read them. */
export interface AgentSamples {
  seq: number;
  t: number[];
  totalMw: number[];
  /** mW per rail name, aligned with `t`; null when the source has a single rail (then `totalMw` is it). */
  rails: Record<string, number[]> | null;
  cpuLoad: number | null;
  gpuLoad: number | null;
  temps: Record<string, number>;
}

export type AgentLine =
  | { type: 'begin' | 'end'; marker: AgentMarker | null }
  | { type: 'power-start'; source: string | null; rails: string[]; hz: number | null; anchor: { monotonic: number; wall: number } | null }
  | { type: 'power-stop'; samples: number | null; errors: number | null }
  | { type: 'sample'; samples: AgentSamples }
  | { type: 'progress'; progress: AgentProgress }
  | { type: 'result'; fields: Record<string, unknown> }
  | { type: 'probe'; fields: Record<string, unknown> }
  | { type: 'error'; code: string; reason: string }
  | { type: 'stray'; text: string };

/** Longest line kept whole in a stray record (the rest is cut). */
const strayChars = 200;

type Json = Record<string, unknown>;

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function seconds(value: unknown): number | null {
  return isPlausibleSeconds(value) ? value : null;
}

function marker(line: Json): AgentMarker | null {
  const t = seconds(line.t);
  const wall = seconds(line.wall);
  return t === null || wall === null ? null : { t, wall };
}

/** One line; null for a blank one. */
export function readAgentLine(text: string): AgentLine | null {
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { type: 'stray', text: text.slice(0, strayChars) };
  const line = parsed as Json;
  switch (line.type) {
    case 'begin':
    case 'end':
      return { type: line.type, marker: marker(line) };
    case 'power':
      return line.event === 'stop' ? { type: 'power-stop', samples: finite(line.samples), errors: finite(line.errors) } : powerStart(line);
    case 'sample': {
      const samples = readSamples(line);
      return samples === null ? { type: 'stray', text: text.slice(0, strayChars) } : { type: 'sample', samples };
    }
    case 'progress':
      return { type: 'progress', progress: readProgress(line) };
    case 'result':
    case 'probe':
      return { type: line.type, fields: line };
    case 'error':
      return {
        type: 'error',
        code: String(line.code ?? 'internal').slice(0, 80),
        reason: String(line.reason ?? 'the agent failed').slice(0, 2000),
      };
    default:
      return { type: 'stray', text: text.slice(0, strayChars) };
  }
}

function powerStart(line: Json): AgentLine {
  const monotonic = seconds(line.anchor_monotonic);
  const wall = seconds(line.anchor_wall);
  return {
    type: 'power-start',
    source: typeof line.source === 'string' ? line.source : null,
    rails: Array.isArray(line.rails)
      ? line.rails.filter((name): name is string => typeof name === 'string' && isPlausibleSeriesName(name)).slice(0, maxNamedSeries)
      : [],
    hz: finite(line.hz),
    anchor: monotonic === null || wall === null ? null : { monotonic, wall },
  };
}

function readProgress(line: Json): AgentProgress {
  const progress: AgentProgress = { stage: String(line.stage) };
  for (const key of ['epoch', 'epochs', 'loss', 'seconds'] as const) {
    const value = finite(line[key]);
    if (value !== null) progress[key] = value;
  }
  return progress;
}

/** A line's rails or sensors: the first `maxNamedSeries` with a name that can key a record. */
function namedSeries(series: Json): [string, unknown][] {
  return Object.entries(series)
    .filter(([name]) => isPlausibleSeriesName(name))
    .slice(0, maxNamedSeries);
}

/** A sample line's columns, or null when its times are not a list of numbers as long as its totals. */
function readSamples(line: Json): AgentSamples | null {
  const times = line.t;
  const totals = line.total_mw;
  if (!Array.isArray(times) || !Array.isArray(totals) || times.length !== totals.length) return null;
  const t = times.map(seconds);
  if (t.some((value) => value === null)) return null;
  let rails: Record<string, number[]> | null = null;
  if (line.rails !== null && typeof line.rails === 'object' && !Array.isArray(line.rails)) {
    rails = {};
    for (const [name, values] of namedSeries(line.rails as Json)) {
      rails[name] = t.map((_, index) => plausibleMw(Array.isArray(values) ? values[index] : undefined));
    }
  }
  const temps: Record<string, number> = {};
  if (line.temps !== null && typeof line.temps === 'object' && !Array.isArray(line.temps)) {
    for (const [name, value] of namedSeries(line.temps as Json)) {
      const celsius = plausibleCelsius(value);
      if (celsius !== null) temps[name] = celsius;
    }
  }
  return {
    seq: finite(line.seq) ?? 0,
    t: t as number[],
    totalMw: totals.map(plausibleMw),
    rails,
    cpuLoad: plausiblePercent(line.cpu_load),
    gpuLoad: plausiblePercent(line.gpu_load),
    temps,
  };
}
