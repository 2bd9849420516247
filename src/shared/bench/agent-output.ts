/**
 * The agent's `bench` output gathered into one object while it streams:
 * markers, power samples (with the loads and temperatures the sampler reads
 * once per line), progress, the result or the error. Lines are read by the
 * one agent reader (src/shared/agent/protocol.ts). Pure.
 */
import { readAgentLine, type AgentMarker, type AgentProgress, type AgentSamples } from '../agent/protocol.ts';
import { maxNamedSeries } from '../power/plausible.ts';

export type { AgentMarker, AgentProgress } from '../agent/protocol.ts';

export interface AgentPowerTrace {
  source: string | null;
  /** The rate the sampler was asked for (its start line), Hz. */
  hz: number | null;
  /** Rail names in the order of the start line. */
  rails: string[];
  /** The start line's clock anchor: `wall` (epoch s) was read at `monotonic` (the samples' clock). */
  anchor: { monotonic: number; wall: number } | null;
  t: number[];
  totalMw: number[];
  railMw: Record<string, number[]>;
  /** Per sample, the load the agent read with its line (null where it read none). */
  cpuLoad: (number | null)[];
  gpuLoad: (number | null)[];
  temps: Record<string, (number | null)[]>;
}

export interface AgentRun {
  begin: AgentMarker | null;
  end: AgentMarker | null;
  power: AgentPowerTrace;
  progress: AgentProgress[];
  result: Record<string, unknown> | null;
  error: { code: string; reason: string } | null;
  /** Lines that were not JSON objects with a known `type` (counted, shown on failure). */
  stray: string[];
}

export function emptyAgentRun(): AgentRun {
  return {
    begin: null,
    end: null,
    power: { source: null, hz: null, rails: [], anchor: null, t: [], totalMw: [], railMw: {}, cpuLoad: [], gpuLoad: [], temps: {} },
    progress: [],
    result: null,
    error: null,
    stray: [],
  };
}

/** Folds one line into `run`; returns the progress it carried, if any (for live events). */
export function addAgentLine(run: AgentRun, text: string): AgentProgress | null {
  const line = readAgentLine(text);
  if (line === null) return null;
  switch (line.type) {
    case 'begin':
      run.begin = line.marker;
      return { stage: 'begin' };
    case 'end':
      run.end = line.marker;
      return { stage: 'end' };
    case 'power-start':
      Object.assign(run.power, { source: line.source, hz: line.hz, rails: line.rails, anchor: line.anchor });
      return null;
    case 'sample':
      addSamples(run.power, line.samples);
      return null;
    case 'progress':
      run.progress.push(line.progress);
      return line.progress;
    case 'result':
      run.result = line.fields;
      return null;
    case 'error':
      run.error = { code: line.code, reason: line.reason };
      return null;
    case 'stray':
      if (run.stray.length < 20) run.stray.push(line.text);
      return null;
    default:
      return null;
  }
}

function addSamples(trace: AgentPowerTrace, samples: AgentSamples): void {
  const before = trace.t.length;
  const count = samples.t.length;
  trace.t.push(...samples.t);
  trace.totalMw.push(...samples.totalMw);
  for (const [name, values] of Object.entries(samples.rails ?? {})) {
    if (!admits(trace.railMw, name)) continue;
    (trace.railMw[name] ??= new Array<number>(before).fill(Number.NaN)).push(...values);
  }
  for (const column of Object.values(trace.railMw)) while (column.length < before + count) column.push(Number.NaN);
  trace.cpuLoad.push(...new Array<number | null>(count).fill(samples.cpuLoad));
  trace.gpuLoad.push(...new Array<number | null>(count).fill(samples.gpuLoad));
  for (const [name, celsius] of Object.entries(samples.temps)) {
    if (!admits(trace.temps, name)) continue;
    const column = (trace.temps[name] ??= new Array<number | null>(before).fill(null));
    column.push(...new Array<number | null>(before + count - column.length).fill(celsius));
  }
  for (const column of Object.values(trace.temps)) while (column.length < before + count) column.push(null);
}

/**
 * Whether the trace keeps series `name`: one it has, or a new one while it has fewer than `maxNamedSeries`.
 * A board inventing names would otherwise add a whole column per name, each as long as the run.
 */
function admits(columns: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(columns, name) || Object.keys(columns).length < maxNamedSeries;
}
