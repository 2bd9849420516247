/**
 * The live side of a run's power trace: while the agent streams, the samples
 * gathered since the last batch go out as a `bench.onDidPower` batch (the one
 * power batch type, src/shared/power/batch.ts), a few a second, so the
 * Benchmarks view draws the same samples the energy is integrated from.
 * Times move from the agent's monotonic clock to epoch seconds with the
 * anchor of its `power` start line.
 */
import type { BenchPowerBatch } from '../../shared/bench/contract.ts';
import type { AgentPowerTrace, AgentRun } from '../../shared/bench/agent-output.ts';
import { inputRailAmong } from '../../shared/power/input-rails.ts';

export interface PowerForwardContext {
  planId: string;
  board: string;
  runId: string;
  label: string;
  condition: string;
}

function finiteOrNull(values: readonly number[]): (number | null)[] {
  return values.map((value) => (Number.isFinite(value) ? value : null));
}

/** The trace from sample `from` on as batch columns: the input rail by name, the rail sum (or the single source's total). */
function columnsFrom(power: AgentPowerTrace, from: number, offset: number): Omit<BenchPowerBatch, keyof PowerForwardContext | 'markers'> {
  const t = power.t.slice(from);
  const rails: Record<string, (number | null)[]> = {};
  for (const [name, values] of Object.entries(power.railMw)) rails[name] = finiteOrNull(values.slice(from));
  const inputRail = inputRailAmong(Object.keys(rails));
  const railColumns = Object.values(rails);
  const total = finiteOrNull(power.totalMw.slice(from));
  const railSumMw = t.map((_, index) => {
    if (railColumns.length === 0) return total[index] ?? null;
    let sum: number | null = null;
    for (const column of railColumns)
      if (column[index] !== null && column[index] !== undefined) sum = (sum ?? 0) + (column[index] as number);
    return sum;
  });
  const none = t.map(() => null);
  const temps: Record<string, (number | null)[]> = {};
  for (const [name, values] of Object.entries(power.temps)) temps[name] = values.slice(from);
  return {
    seq0: from,
    t: t.map((time) => time + offset),
    inputRail,
    inputMw: inputRail === null ? none : (rails[inputRail] ?? none),
    railSumMw,
    rails,
    cpuLoad: power.cpuLoad.slice(from),
    gpuLoad: power.gpuLoad.slice(from),
    gpuMhz: none,
    emcLoad: none,
    ramUsedMb: none,
    temps,
  };
}

/** Epoch seconds minus the agent's monotonic clock: from its `power` start line's anchor, else fixed at the first call. */
export class AgentClock {
  readonly #now: () => number;
  #fallbackOffset: number | undefined;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  offset(agent: AgentRun): number {
    const anchor = agent.power.anchor;
    if (anchor !== null) return anchor.wall - anchor.monotonic;
    const last = agent.power.t.at(-1) ?? 0;
    this.#fallbackOffset ??= this.#now() / 1000 - last;
    return this.#fallbackOffset;
  }
}

export class PowerForwarder {
  readonly #context: PowerForwardContext;
  readonly #everyMs: number;
  readonly #now: () => number;
  readonly #clock: AgentClock;
  #sent = 0;
  #markersSent = 0;
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(context: PowerForwardContext, everyMs = 250, now: () => number = Date.now) {
    this.#context = context;
    this.#everyMs = everyMs;
    this.#now = now;
    this.#clock = new AgentClock(now);
  }

  /** The batch of what is new in `agent` since the last one, or null when nothing is, or when it is too soon (unless `flush`). */
  take(agent: AgentRun, flush = false): BenchPowerBatch | null {
    const power = agent.power;
    const markers = [
      agent.begin === null ? null : { t: agent.begin.wall, label: 'begin' },
      agent.end === null ? null : { t: agent.end.wall, label: 'end' },
    ].filter((marker) => marker !== null);
    const fresh = power.t.length > this.#sent || markers.length > this.#markersSent;
    if (!fresh || (!flush && this.#now() - this.#lastAt < this.#everyMs)) return null;
    const from = this.#sent;
    const batch: BenchPowerBatch = {
      ...this.#context,
      ...columnsFrom(power, from, this.#clock.offset(agent)),
      markers: markers.slice(this.#markersSent),
    };
    this.#sent = power.t.length;
    this.#markersSent = markers.length;
    this.#lastAt = this.#now();
    return batch;
  }
}
