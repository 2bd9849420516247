/**
 * A running benchmark's power samples written to its row while the agent
 * streams them: every `everyMs` (2 s) and every `maxPending` (512) samples,
 * so a workbench killed mid-run loses seconds of samples, never the run.
 * They are stored in seconds since the run's `started_at` (epoch time via
 * the agent's clock anchor); the finished run replaces them with its own,
 * measured from the `begin` marker (BenchRuns.save).
 */
import type { AgentRun } from '../../shared/bench/agent-output.ts';
import type { RailSamples } from '../../shared/results.ts';
import type { BenchRuns } from '../store/bench-runs.ts';
import { AgentClock } from './power-forward.ts';

export interface StreamedSamplesOptions {
  everyMs?: number;
  maxPending?: number;
  now?: () => number;
}

export class StreamedSamples {
  readonly #store: Pick<BenchRuns, 'appendSamples'>;
  readonly #runId: string;
  readonly #startedAtS: number;
  readonly #maxPending: number;
  readonly #clock: AgentClock;
  readonly #timer: NodeJS.Timeout;
  #agent: AgentRun | null = null;
  #written = 0;

  constructor(store: Pick<BenchRuns, 'appendSamples'>, runId: string, startedAtMs: number, options: StreamedSamplesOptions = {}) {
    this.#store = store;
    this.#runId = runId;
    this.#startedAtS = startedAtMs / 1000;
    this.#maxPending = options.maxPending ?? 512;
    this.#clock = new AgentClock(options.now);
    // By time too: the samples of a quiet stretch must not wait for the next burst of output.
    this.#timer = setInterval(() => {
      try {
        this.#write();
      } catch {
        // The database was busy (another window's long write): the samples stay pending for the next try or the final save.
      }
    }, options.everyMs ?? 2000);
    this.#timer.unref();
  }

  /** After each chunk of the agent's output: writes at once when `maxPending` samples wait. */
  take(agent: AgentRun): void {
    this.#agent = agent;
    if (agent.power.t.length - this.#written >= this.#maxPending) this.#write();
  }

  /** Stops the timer; what is still pending is left to the run's final save. */
  close(): void {
    clearInterval(this.#timer);
  }

  #write(): void {
    const agent = this.#agent;
    if (agent === null || agent.power.t.length <= this.#written) return;
    const power = agent.power;
    const from = this.#written;
    const shift = this.#clock.offset(agent) - this.#startedAtS;
    const samples: RailSamples = { t: power.t.slice(from).map((t) => t + shift), rails: { total: power.totalMw.slice(from) } };
    for (const [name, values] of Object.entries(power.railMw)) samples.rails[name] = values.slice(from);
    this.#store.appendSamples(this.#runId, from, samples);
    this.#written = power.t.length;
  }
}
