/**
 * One board's samples on their way out: sequence numbers, gap and loss
 * counting, a bounded history of recent samples for a live view that opens
 * late, the pending batch for the next renderer event, and (while recording)
 * chunks written to the Recordings. Memory is bounded whatever the duration.
 *
 * Nothing here keeps a Sample object past `add`: the history is a ColumnRing
 * of preallocated typed arrays, so samples die young and the old generation
 * does not grow with the ring (issue 5's flat-memory budget: a ring of full
 * samples made RSS grow ~96 % over the hour).
 */
import { appendSample, emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import type { CsvMarker } from '../../shared/telemetry/csv.ts';
import { summarizeEnergy, type EnergySummary } from '../../shared/power/energy.ts';
import type { Sample } from '../../shared/telemetry/sample.ts';
import { maxGapFor } from '../../shared/power/gaps.ts';
import { ColumnRing } from './column-ring.ts';
import type { Recordings } from '../store/recordings.ts';

export interface RecorderOptions {
  /** The interval the source was asked for, s: a step longer than `maxGapS` is a gap. */
  intervalS: number;
  /** Samples kept for the live view (default 3000: 5 min at 10 Hz). */
  ringCapacity?: number;
  /** Samples a batch holds at most when nobody takes it (default 1000); older ones move to the history. */
  maxBatch?: number;
  /** Samples buffered before a recording chunk is written (default 512). */
  chunkSize?: number;
}

export interface RecorderCounts {
  samples: number;
  gaps: number;
  /** Samples estimated missing inside gaps (round(gap / interval) − 1 each). */
  lost: number;
}

export interface ActiveRecording {
  id: string;
  /** Source time (s) the recording began; stored times are relative to it. */
  t0: number;
  stored: number;
  markers: CsvMarker[];
  pending: SampleColumns;
}

export class Recorder {
  readonly maxGapS: number;
  readonly #intervalS: number;
  readonly #maxBatch: number;
  readonly #chunkSize: number;
  readonly #store: Recordings | undefined;
  readonly #history: ColumnRing;
  #seq = 0;
  #lastT = Number.NaN;
  #gaps = 0;
  #lost = 0;
  #batch: SampleColumns | null = null;
  #recording: ActiveRecording | null = null;

  constructor(options: RecorderOptions, store?: Recordings) {
    this.#intervalS = options.intervalS;
    this.maxGapS = maxGapFor(options.intervalS);
    this.#history = new ColumnRing(options.ringCapacity ?? 3000);
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#chunkSize = options.chunkSize ?? 512;
    this.#store = store;
  }

  get counts(): RecorderCounts {
    return { samples: this.#seq, gaps: this.#gaps, lost: this.#lost };
  }

  get recording(): ActiveRecording | null {
    return this.#recording;
  }

  /** Takes one sample: gives it the next sequence number. `lostBefore`: samples the source knows it missed. */
  add(sample: Sample, lostBefore = 0): void {
    const step = sample.t - this.#lastT;
    if (step > this.maxGapS || lostBefore > 0) {
      this.#gaps += 1;
      this.#lost += Math.max(lostBefore, Math.round(step / this.#intervalS) - 1, 0);
    }
    this.#lastT = sample.t;
    sample.seq = this.#seq++;
    // A batch nobody takes (no renderer listening) is dropped whole, not grown without bound.
    if (this.#batch !== null && this.#batch.t.length >= this.#maxBatch) this.#batch = null;
    this.#batch ??= emptyColumns(sample.seq);
    appendSample(this.#batch, sample);
    this.#history.add(sample);
    const recording = this.#recording;
    if (recording !== null) {
      appendSample(recording.pending, sample, sample.t - recording.t0);
      if (recording.pending.t.length >= this.#chunkSize) this.#writeChunk(recording);
    }
  }

  /** The samples since the last call, as columns; null when there are none. */
  takeBatch(): SampleColumns | null {
    const batch = this.#batch;
    this.#batch = null;
    return batch;
  }

  /** The last `ringCapacity` samples, as columns, oldest first. */
  recent(): SampleColumns {
    return this.#history.columns();
  }

  startRecording(id: string, t0: number): void {
    this.#recording = { id, t0, stored: 0, markers: [], pending: emptyColumns(0) };
  }

  /** Places a marker at source time `t` in the recording (if any); returns its recording-relative time. */
  mark(label: string, t: number): number | null {
    const recording = this.#recording;
    if (recording === null) return null;
    const relative = t - recording.t0;
    recording.markers.push({ t: relative, label });
    return relative;
  }

  /** Writes what is left and ends the recording; returns it (markers included) for the caller to finish. */
  stopRecording(): ActiveRecording | null {
    const recording = this.#recording;
    if (recording === null) return null;
    if (recording.pending.t.length > 0) this.#writeChunk(recording);
    this.#recording = null;
    return recording;
  }

  #writeChunk(recording: ActiveRecording): void {
    this.#store?.append(recording.id, recording.stored, recording.pending);
    recording.stored += recording.pending.t.length;
    recording.pending = emptyColumns(recording.stored);
  }
}

/** Energy between two recording-relative times (whole recording when left out). */
export function recordingEnergy(columns: SampleColumns, maxGapS: number, fromT?: number, toT?: number): EnergySummary {
  return summarizeEnergy(columns.t, { inputMw: columns.inputMw, rails: columns.rails }, { maxGapS, fromT, toT });
}
