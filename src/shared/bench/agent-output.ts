/**
 * The agent's `bench` output (resources/agent/README.md, "Protocol: JSON
 * lines on stdout") gathered into one object while it streams: markers,
 * power samples, progress, the result or the error. Pure.
 */
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

export interface AgentPowerTrace {
  source: string | null;
  /** Rail names in the order of `sample.rails`. */
  rails: string[];
  /** The start line's clock anchor: `wall` (epoch s) was read at `monotonic` (the samples' clock). */
  anchor: { monotonic: number; wall: number } | null;
  t: number[];
  totalMw: number[];
  railMw: Record<string, number[]>;
}

export interface AgentRun {
  begin: AgentMarker | null;
  end: AgentMarker | null;
  power: AgentPowerTrace;
  progress: AgentProgress[];
  result: Record<string, unknown> | null;
  error: { code: string; reason: string } | null;
  /** Lines that were not JSON objects with a `type` (counted, shown on failure). */
  stray: string[];
}

export function emptyAgentRun(): AgentRun {
  return {
    begin: null,
    end: null,
    power: { source: null, rails: [], anchor: null, t: [], totalMw: [], railMw: {} },
    progress: [],
    result: null,
    error: null,
    stray: [],
  };
}

type Line = Record<string, unknown>;

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'number' ? item : Number.NaN)) : [];
}

function marker(line: Line): AgentMarker | null {
  return typeof line.t === 'number' && typeof line.wall === 'number' ? { t: line.t, wall: line.wall } : null;
}

/** Folds one line into `run`; returns the progress it carried, if any (for live events). */
export function addAgentLine(run: AgentRun, text: string): AgentProgress | null {
  if (text.trim() === '') return null;
  let line: Line;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    line = parsed as Line;
  } catch {
    if (run.stray.length < 20) run.stray.push(text.slice(0, 200));
    return null;
  }
  switch (line.type) {
    case 'begin':
      run.begin = marker(line);
      return { stage: 'begin' };
    case 'end':
      run.end = marker(line);
      return { stage: 'end' };
    case 'power':
      if (line.event === 'start') {
        run.power.source = typeof line.source === 'string' ? line.source : null;
        run.power.rails = Array.isArray(line.rails) ? line.rails.map(String) : [];
        if (typeof line.anchor_monotonic === 'number' && typeof line.anchor_wall === 'number')
          run.power.anchor = { monotonic: line.anchor_monotonic, wall: line.anchor_wall };
      }
      return null;
    case 'sample':
      addSamples(run.power, line);
      return null;
    case 'progress': {
      const progress: AgentProgress = { stage: String(line.stage) };
      for (const key of ['epoch', 'epochs', 'loss', 'seconds'] as const) {
        if (typeof line[key] === 'number') progress[key] = line[key];
      }
      run.progress.push(progress);
      return progress;
    }
    case 'result':
      run.result = line;
      return null;
    case 'error':
      run.error = { code: String(line.code ?? 'internal'), reason: String(line.reason ?? 'the agent failed') };
      return null;
    default:
      if (run.stray.length < 20) run.stray.push(text.slice(0, 200));
      return null;
  }
}

function addSamples(trace: AgentPowerTrace, line: Line): void {
  const t = numbers(line.t);
  const total = numbers(line.total_mw);
  trace.t.push(...t);
  trace.totalMw.push(...t.map((_, index) => total[index] ?? Number.NaN));
  const rails = line.rails !== null && typeof line.rails === 'object' ? (line.rails as Record<string, unknown>) : {};
  for (const [name, values] of Object.entries(rails)) {
    const column = (trace.railMw[name] ??= new Array<number>(trace.t.length - t.length).fill(Number.NaN));
    const mw = numbers(values);
    column.push(...t.map((_, index) => mw[index] ?? Number.NaN));
  }
}
