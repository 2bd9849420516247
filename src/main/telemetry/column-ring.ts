/**
 * The recent samples of one board for a live view that opens late, kept in
 * preallocated Float64Arrays (NaN = no reading) written in place. A ring of
 * JS arrays or of Sample objects makes garbage that lives long enough to be
 * promoted, and V8 then grows the old generation for hours before it
 * collects: RSS rose 45–60 % over the 1-hour, 8-board benchmark that way.
 * With typed arrays the steady state allocates nothing here.
 */
import { emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import { meanCpuLoad, type Sample } from '../../shared/telemetry/sample.ts';

const fixedSeries = ['t', 'inputMw', 'railSumMw', 'cpuLoad', 'gpuLoad', 'gpuMhz', 'emcLoad', 'ramUsedMb'] as const;
type FixedSeries = (typeof fixedSeries)[number];

export class ColumnRing {
  readonly capacity: number;
  readonly #fixed: Record<FixedSeries, Float64Array>;
  readonly #rails = new Map<string, Float64Array>();
  readonly #temps = new Map<string, Float64Array>();
  /** Slot of the next sample; `#size` samples end just before it. */
  #next = 0;
  #size = 0;
  /** Sequence number of the newest sample. */
  #lastSeq = -1;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
    this.#fixed = Object.fromEntries(fixedSeries.map((name) => [name, new Float64Array(this.capacity)])) as Record<
      FixedSeries,
      Float64Array
    >;
  }

  get size(): number {
    return this.#size;
  }

  add(sample: Sample): void {
    const slot = this.#next;
    const fixed = this.#fixed;
    const gpu = sample.gpu[0];
    fixed.t[slot] = sample.t;
    fixed.inputMw[slot] = sample.inputMw ?? Number.NaN;
    fixed.railSumMw[slot] = sample.railSumMw ?? Number.NaN;
    fixed.cpuLoad[slot] = meanCpuLoad(sample) ?? Number.NaN;
    fixed.gpuLoad[slot] = gpu === undefined ? Number.NaN : gpu.load;
    fixed.gpuMhz[slot] = gpu?.mhz[0] ?? Number.NaN;
    fixed.emcLoad[slot] = sample.emcLoad ?? Number.NaN;
    fixed.ramUsedMb[slot] = sample.ramUsedMb ?? Number.NaN;
    this.#write(this.#rails, slot, sample.railNames, sample.railMw);
    this.#write(this.#temps, slot, sample.tempNames, sample.tempC);
    this.#next = (slot + 1) % this.capacity;
    this.#size = Math.min(this.capacity, this.#size + 1);
    this.#lastSeq = sample.seq;
  }

  /** The samples held, oldest first, as columns (null where a series had no reading). */
  columns(): SampleColumns {
    const size = this.#size;
    const columns = emptyColumns(this.#lastSeq - size + 1);
    const first = (this.#next - size + this.capacity) % this.capacity;
    const read = (source: Float64Array): (number | null)[] => {
      const values = new Array<number | null>(size);
      for (let index = 0; index < size; index += 1) {
        const value = source[(first + index) % this.capacity] as number;
        values[index] = Number.isNaN(value) ? null : value;
      }
      return values;
    };
    columns.t = read(this.#fixed.t) as number[];
    for (const name of fixedSeries) if (name !== 't') columns[name] = read(this.#fixed[name]);
    for (const [name, values] of this.#rails) columns.rails[name] = read(values);
    for (const [name, values] of this.#temps) columns.temps[name] = read(values);
    return columns;
  }

  #write(target: Map<string, Float64Array>, slot: number, names: readonly string[], values: readonly (number | null)[]): void {
    // A series the sample does not carry reads as no reading in this slot.
    for (const column of target.values()) column[slot] = Number.NaN;
    for (let index = 0; index < names.length; index += 1) {
      const name = names[index] as string;
      let column = target.get(name);
      if (column === undefined) {
        column = new Float64Array(this.capacity).fill(Number.NaN);
        target.set(name, column);
      }
      column[slot] = values[index] ?? Number.NaN;
    }
  }
}
