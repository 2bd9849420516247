/**
 * One board's power during a benchmark plan, for the Benchmarks view's live
 * chart: `bench.onDidPower` batches (the agent's own samples, those its
 * energy is integrated from) handed to a PowerChart as they come, the same
 * batch type as live power's. The chart may mount after the first batches
 * (Chart.js loads lazily), so the plan's recent batches are kept and
 * replayed to a new listener.
 */
import type { BenchPowerBatch } from '../../shared/bench/contract.ts';
import type { PowerBatch } from '../../shared/power/batch.ts';
import type { BatchListener, PowerFeed } from './power-feed.ts';

/** About ten minutes at 20 Hz: the replay covers any chart window the view offers. */
const keptSamples = 12_000;

export class BenchPowerFeed implements PowerFeed {
  readonly key: string;
  state = $state.raw<{ label: string; inputRail: string | null; intervalMs: number }>({ label: '', inputRail: null, intervalMs: 50 });
  /** The run in progress and its latest total (W), as text beside the chart. */
  condition = $state('');
  latestW = $state<number | null>(null);
  /** Seconds from the plan's first sample to its latest: the chart's window grows with it, so short runs fill the width. */
  spanS = $state(0);

  #listeners: BatchListener[] = [];
  #kept: PowerBatch[] = [];
  #keptSamples = 0;
  #seq = 0;
  #firstT: number | undefined;
  readonly #markerLabel: (label: string) => string;

  constructor(key: string, markerLabel: (label: string) => string = (label) => label) {
    this.key = key;
    this.#markerLabel = markerLabel;
  }

  get hasInputRail(): boolean {
    return this.state.inputRail !== null;
  }

  onBatch(listener: BatchListener): () => void {
    for (const batch of this.#kept) listener(batch);
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((candidate) => candidate !== listener);
    };
  }

  receive(power: BenchPowerBatch): void {
    const intervalMs =
      power.t.length > 1 ? (((power.t.at(-1) ?? 0) - (power.t[0] ?? 0)) * 1000) / (power.t.length - 1) : this.state.intervalMs;
    if (power.label !== this.state.label || power.inputRail !== this.state.inputRail)
      this.state = { label: power.label, inputRail: power.inputRail, intervalMs: intervalMs > 0 ? intervalMs : this.state.intervalMs };
    this.condition = power.condition;
    const totals = power.inputRail === null ? power.railSumMw : power.inputMw;
    const total = [...totals].reverse().find((value) => value !== null);
    if (total !== undefined && total !== null) this.latestW = total / 1000;
    this.#firstT ??= power.t[0];
    const lastT = power.t.at(-1);
    if (this.#firstT !== undefined && lastT !== undefined) this.spanS = lastT - this.#firstT;
    const batch: PowerBatch = {
      ...power,
      seq0: this.#seq,
      markers: power.markers.map((marker) => ({ ...marker, label: this.#markerLabel(marker.label) })),
    };
    this.#seq += power.t.length;
    this.#keep(batch);
    for (const listener of this.#listeners) listener(batch);
  }

  #keep(batch: PowerBatch): void {
    this.#kept.push(batch);
    this.#keptSamples += batch.t.length;
    while (this.#keptSamples > keptSamples && this.#kept.length > 1) this.#keptSamples -= this.#kept.shift()?.t.length ?? 0;
  }
}
