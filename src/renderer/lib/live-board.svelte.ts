/**
 * One board in the live power view: its telemetry state as the core reports
 * it, the small summary values shown as text (latest readings, the energy
 * counter), and the batches handed to its charts. The series themselves
 * never enter Svelte state: a chart registers a listener and keeps its own
 * arrays (see charts/live-chart.ts).
 */
import type { PowerBatch } from '../../shared/power/batch.ts';
import type { RecordingInfo, TelemetryBoardState } from '../../shared/telemetry/contract.ts';
import { EnergyCounter } from '../../shared/power/energy.ts';
import { maxGapFor } from '../../shared/power/gaps.ts';
import type { BatchListener, PowerFeed } from './power-feed.ts';

export interface LiveReadings {
  totalW: number | null;
  rails: Record<string, number | null>;
  cpuLoad: number | null;
  gpuLoad: number | null;
  emcLoad: number | null;
  gpuMhz: number | null;
  ramUsedMb: number | null;
  temps: Record<string, number | null>;
}

const noReadings: LiveReadings = {
  totalW: null,
  rails: {},
  cpuLoad: null,
  gpuLoad: null,
  emcLoad: null,
  gpuMhz: null,
  ramUsedMb: null,
  temps: {},
};

export class LiveBoard implements PowerFeed {
  state = $state.raw<TelemetryBoardState>() as TelemetryBoardState;
  readings = $state.raw<LiveReadings>(noReadings);
  /** Samples received by this window (compare with the core's `samples`: none dropped). */
  received = $state(0);
  energyJ = $state(0);
  averageW = $state<number | null>(null);
  /** When the energy counter started: telemetry start, or the last recording start (epoch ms). */
  energySince = $state(Date.now());
  markers = $state.raw<{ t: number; label: string }[]>([]);
  /** The last finished recording, with the core's energy summary. */
  lastRecording = $state.raw<RecordingInfo | undefined>();
  exported = $state.raw<{ csv: string; path: string; url: string } | undefined>();
  busy = $state(false);

  #energy: EnergyCounter;
  #listeners: BatchListener[] = [];
  // The core names the board's rails (and which one is the input) in the
  // state event that follows the first batch; until then batches wait here,
  // so the total is never first drawn as a sum and then as the input rail.
  #pending: PowerBatch[] = [];
  #holding = true;
  #received = 0;
  #latest: LiveReadings | undefined;
  #publishedAt = 0;
  #publishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(state: TelemetryBoardState) {
    this.state = state;
    this.#energy = new EnergyCounter(maxGapFor(state.intervalMs / 1000));
  }

  get key(): string {
    return this.state.board;
  }

  /** The total as the board measures it: the module input rail, else the sum of the rails. */
  get hasInputRail(): boolean {
    return this.state.inputRail !== null;
  }

  onBatch(listener: BatchListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((candidate) => candidate !== listener);
    };
  }

  update(state: TelemetryBoardState): void {
    if (state.intervalMs !== this.state.intervalMs) this.resetEnergy(maxGapFor(state.intervalMs / 1000));
    this.state = state;
    if (state.rails.length > 0) this.#release();
  }

  receive(batch: PowerBatch): void {
    if (this.#holding && this.state.rails.length === 0 && batch.t.length > 0 && this.#pending.length < maxPending) {
      this.#pending.push(batch);
      return;
    }
    this.#release();
    this.#deliver(batch);
  }

  #release(): void {
    this.#holding = false;
    for (const batch of this.#pending.splice(0)) this.#deliver(batch);
  }

  #deliver(batch: PowerBatch): void {
    for (const listener of this.#listeners) listener(batch);
    if (batch.markers.length > 0) this.markers = [...this.markers, ...batch.markers];
    if (batch.t.length === 0) return;
    this.#received += batch.t.length;
    const total = this.hasInputRail ? batch.inputMw : batch.railSumMw;
    this.#energy.add(batch.t, total);
    this.#latest = latestReadings(batch, total);
    this.#publishSoon();
  }

  // The numbers on screen change at most every `publishMs`: readable, and
  // eight boards at 10 Hz do not re-render their readouts 80 times a second.
  #publishSoon(): void {
    if (this.#publishTimer !== undefined) return;
    const wait = Math.max(0, this.#publishedAt + publishMs - Date.now());
    if (wait === 0) this.#publish();
    else this.#publishTimer = setTimeout(() => this.#publish(), wait);
  }

  #publish(): void {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    this.#publishedAt = Date.now();
    this.received = this.#received;
    this.energyJ = this.#energy.joules;
    this.averageW = this.#energy.averageW;
    if (this.#latest !== undefined) this.readings = this.#latest;
  }

  /** Starts the counter from zero (a recording begins). */
  resetEnergy(maxGapS = maxGapFor(this.state.intervalMs / 1000)): void {
    this.#energy = new EnergyCounter(maxGapS);
    this.energyJ = 0;
    this.averageW = null;
    this.energySince = Date.now();
  }

  dispose(): void {
    clearTimeout(this.#publishTimer);
    this.#listeners = [];
    if (this.exported !== undefined) URL.revokeObjectURL(this.exported.url);
  }
}

/** A source that never names rails (a desktop GPU) is drawn anyway after this many batches. */
const maxPending = 5;
const publishMs = 200;

function last(column: readonly (number | null)[] | undefined): number | null {
  if (column === undefined) return null;
  for (let index = column.length - 1; index >= 0; index -= 1) {
    const value = column[index];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function lastOfEach(columns: Readonly<Record<string, readonly (number | null)[]>>, scale = 1): Record<string, number | null> {
  const result: Record<string, number | null> = {};
  for (const [name, column] of Object.entries(columns)) {
    const value = last(column);
    result[name] = value === null ? null : value * scale;
  }
  return result;
}

function latestReadings(batch: PowerBatch, total: readonly (number | null)[]): LiveReadings {
  const totalMw = last(total);
  return {
    totalW: totalMw === null ? null : totalMw / 1000,
    rails: lastOfEach(batch.rails, 0.001),
    cpuLoad: last(batch.cpuLoad),
    gpuLoad: last(batch.gpuLoad),
    emcLoad: last(batch.emcLoad),
    gpuMhz: last(batch.gpuMhz),
    ramUsedMb: last(batch.ramUsedMb),
    temps: lastOfEach(batch.temps),
  };
}
