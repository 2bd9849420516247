/**
 * The live side of a run's power trace: while the agent streams, the samples
 * gathered since the last batch go out as a `bench.onDidPower` batch, a few a
 * second, so the Benchmarks view draws the same samples the energy is
 * integrated from. Times move from the agent's monotonic clock to epoch
 * seconds with the anchor of its `power` start line.
 */
import type { BenchPowerBatch } from '../../shared/bench/contract.ts';
import type { AgentRun } from '../../shared/bench/agent-output.ts';

/** The rails a board names its module input (resources/agent/jwb_agent/power_sources.py, `_TOTAL_RAILS`). */
const inputRails = ['VDD_IN', 'POM_5V_IN'];

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

export class PowerForwarder {
  readonly #context: PowerForwardContext;
  readonly #everyMs: number;
  readonly #now: () => number;
  #sent = 0;
  #markersSent = 0;
  #lastAt = Number.NEGATIVE_INFINITY;
  /** Epoch seconds minus the agent's clock, when the agent gave no anchor: fixed at the first sample. */
  #fallbackOffset: number | undefined;

  constructor(context: PowerForwardContext, everyMs = 250, now: () => number = Date.now) {
    this.#context = context;
    this.#everyMs = everyMs;
    this.#now = now;
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
    const offset = this.#offset(agent);
    const from = this.#sent;
    const rails: Record<string, (number | null)[]> = {};
    for (const [name, values] of Object.entries(power.railMw)) rails[name] = finiteOrNull(values.slice(from));
    const batch: BenchPowerBatch = {
      ...this.#context,
      t: power.t.slice(from).map((t) => t + offset),
      totalMw: finiteOrNull(power.totalMw.slice(from)),
      rails,
      inputRail: inputRails.find((name) => power.rails.includes(name)) ?? null,
      markers: markers.slice(this.#markersSent),
    };
    this.#sent = power.t.length;
    this.#markersSent = markers.length;
    this.#lastAt = this.#now();
    return batch;
  }

  #offset(agent: AgentRun): number {
    const anchor = agent.power.anchor;
    if (anchor !== null) return anchor.wall - anchor.monotonic;
    const last = agent.power.t.at(-1) ?? 0;
    this.#fallbackOffset ??= this.#now() / 1000 - last;
    return this.#fallbackOffset;
  }
}
