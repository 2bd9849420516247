/**
 * One board's samples on their way out: sequence numbers, gap and loss
 * counting, a bounded history of recent samples for a live view that opens
 * late, the pending batch for the next renderer event, and (while recording)
 * chunks written to the Recordings. Memory is bounded whatever the duration.
 *
 * Nothing here keeps a Sample object past `add`: the history is a ColumnRing
 * of preallocated typed arrays, so samples die young and the old generation
 * does not grow with the ring (issue 5's flat-memory budget: a ring of full
 * samples made RSS grow ~96 % over the hour). Nor does it keep more than
 * `maxNamedSeries` rails and sensors: a board that invents names would
 * otherwise add a column to every buffer per name, for good.
 *
 * A recording is written as it goes, by count (`chunkSize`) and by time
 * (`flushS`): a workbench killed mid-recording loses a few seconds at most.
 */
import { appendSample, emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import type { CsvMarker } from '../../shared/telemetry/csv.ts';
import { settleTotals, type Sample } from '../../shared/telemetry/sample.ts';
import { isPlausibleSeriesName, maxNamedSeries } from '../../shared/power/plausible.ts';
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
  /** Seconds a sample may wait for its chunk before `writeDue` writes it anyway (default 2). */
  flushS?: number;
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
  /** Source time (s) of the oldest pending sample. */
  pendingSince: number;
}

const noNames: readonly string[] = Object.freeze([]);

export class Recorder {
  readonly maxGapS: number;
  readonly #intervalS: number;
  readonly #maxBatch: number;
  readonly #chunkSize: number;
  readonly #flushS: number;
  readonly #store: Recordings | undefined;
  readonly #history: ColumnRing;
  readonly #railNames = new Set<string>();
  readonly #tempNames = new Set<string>();
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
    this.#flushS = options.flushS ?? 2;
    this.#store = store;
  }

  get counts(): RecorderCounts {
    return { samples: this.#seq, gaps: this.#gaps, lost: this.#lost };
  }

  get recording(): ActiveRecording | null {
    return this.#recording;
  }

  /**
   * Takes one sample: gives it the next sequence number. `lostBefore`: samples the source knows it missed.
   * Returns the rail and sensor names it ignored (beyond the board's first `maxNamedSeries`), for the caller to show.
   */
  add(sample: Sample, lostBefore = 0): readonly string[] {
    const ignored = this.#admit(sample);
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
      if (recording.pending.t.length === 0) recording.pendingSince = sample.t;
      appendSample(recording.pending, sample, sample.t - recording.t0);
      if (recording.pending.t.length >= this.#chunkSize) this.#writeChunk(recording);
    }
    return ignored;
  }

  /** Writes the pending samples when the oldest has waited `flushS` by `now` (source time, s); the owner calls it on a timer. */
  writeDue(now: number): void {
    const recording = this.#recording;
    if (recording !== null && recording.pending.t.length > 0 && now - recording.pendingSince >= this.#flushS) this.#writeChunk(recording);
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
    this.#recording = { id, t0, stored: 0, markers: [], pending: emptyColumns(0), pendingSince: t0 };
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

  /** Drops from `sample` the rails and sensors beyond the board's first `maxNamedSeries`; returns their names. */
  #admit(sample: Sample): readonly string[] {
    const rails = beyondCap(this.#railNames, sample.railNames);
    const temps = beyondCap(this.#tempNames, sample.tempNames);
    if (rails === null && temps === null) return noNames;
    const ignored: string[] = [];
    if (rails !== null) {
      ignored.push(...sample.railNames.filter((_, index) => rails.has(index)));
      sample.railNames = without(sample.railNames, rails);
      sample.railMw = without(sample.railMw, rails);
      sample.railAvgMw = without(sample.railAvgMw, rails);
      sample.railMaxMw = sample.railMaxMw && without(sample.railMaxMw, rails);
      settleTotals(sample); // the totals must not count rails that are not kept
    }
    if (temps !== null) {
      ignored.push(...sample.tempNames.filter((_, index) => temps.has(index)));
      sample.tempNames = without(sample.tempNames, temps);
      sample.tempC = without(sample.tempC, temps);
      sample.tempMaxC = sample.tempMaxC && without(sample.tempMaxC, temps);
    }
    return ignored;
  }

  #writeChunk(recording: ActiveRecording): void {
    this.#store?.append(recording.id, recording.stored, recording.pending);
    recording.stored += recording.pending.t.length;
    recording.pending = emptyColumns(recording.stored);
  }
}

/** Learns `names` into `known` up to `maxNamedSeries`; the indexes of those beyond it (or implausible), or null when none is. */
function beyondCap(known: Set<string>, names: readonly string[]): Set<number> | null {
  let beyond: Set<number> | null = null;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    if (known.has(name)) continue;
    if (known.size < maxNamedSeries && isPlausibleSeriesName(name)) known.add(name);
    else (beyond ??= new Set()).add(index);
  }
  return beyond;
}

function without<T>(values: readonly T[], drop: ReadonlySet<number>): T[] {
  return values.filter((_, index) => !drop.has(index));
}
