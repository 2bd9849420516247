/**
 * Telemetry recordings in the results database: a `runs` row of kind
 * `telemetry` (owned by this process while it runs, migration 3), its samples
 * (rails in `rails`, loads/clocks/temps in `detail`, migration 2; seconds
 * since the recording began) written in chunks while recording so memory
 * stays flat and a killed workbench loses seconds, not the recording, and
 * its markers.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { emptyColumns, type SampleColumns } from '../../shared/telemetry/columns.ts';
import type { CsvMarker } from '../../shared/telemetry/csv.ts';
import type { KindRun } from '../../shared/results.ts';
import type { ResultsDb } from './results-db.ts';
import { runRecordOf, type RunRow } from './run-rows.ts';

export type RecordingRun = KindRun;

export interface StoredRecording {
  run: RecordingRun;
  columns: SampleColumns;
  markers: CsvMarker[];
}

interface Detail {
  i: number | null;
  s: number | null;
  c: number | null;
  g: number | null;
  f: number | null;
  e: number | null;
  r: number | null;
  temps: Record<string, number | null>;
}

export class Recordings {
  readonly #results: ResultsDb;
  readonly #db: DatabaseSync;
  readonly #insertSample: StatementSync;

  constructor(results: ResultsDb) {
    this.#results = results;
    this.#db = results.db;
    this.#insertSample = this.#db.prepare('INSERT INTO samples (run_id, seq, t, rails, detail) VALUES (?, ?, ?, ?, ?)');
  }

  begin(run: RecordingRun): void {
    this.#db
      .prepare(
        `INSERT INTO runs (id, kind, board, title, status, started_at, finished_at, params, metrics, owner_pid)
         VALUES (?, 'telemetry', ?, ?, 'running', ?, NULL, ?, '{}', ?)`,
      )
      .run(run.id, run.board, run.title, run.startedAt, JSON.stringify(run.params), process.pid);
  }

  /** Appends a chunk of samples (seq counts from 0 within the recording) in one transaction. */
  append(id: string, firstSeq: number, columns: SampleColumns): void {
    this.#results.transaction(() => {
      for (let index = 0; index < columns.t.length; index += 1) {
        const rails: Record<string, number | null> = {};
        for (const name in columns.rails) rails[name] = columns.rails[name]?.[index] ?? null;
        const temps: Record<string, number | null> = {};
        for (const name in columns.temps) temps[name] = columns.temps[name]?.[index] ?? null;
        const detail: Detail = {
          i: columns.inputMw[index] ?? null,
          s: columns.railSumMw[index] ?? null,
          c: columns.cpuLoad[index] ?? null,
          g: columns.gpuLoad[index] ?? null,
          f: columns.gpuMhz[index] ?? null,
          e: columns.emcLoad[index] ?? null,
          r: columns.ramUsedMb[index] ?? null,
          temps,
        };
        this.#insertSample.run(id, firstSeq + index, columns.t[index] ?? 0, JSON.stringify(rails), JSON.stringify(detail));
      }
    });
  }

  finish(
    id: string,
    markers: readonly CsvMarker[],
    update: { status: 'done' | 'failed' | 'cancelled'; finishedAt: number; metrics: Record<string, unknown> },
  ): void {
    this.#results.transaction(() => {
      const insert = this.#db.prepare('INSERT INTO markers (run_id, t, label) VALUES (?, ?, ?)');
      for (const marker of markers) insert.run(id, marker.t, marker.label);
      this.#db
        .prepare('UPDATE runs SET status = ?, finished_at = ?, metrics = ? WHERE id = ?')
        .run(update.status, update.finishedAt, JSON.stringify(update.metrics), id);
    });
  }

  list(limit = 200): RecordingRun[] {
    const rows = this.#db
      .prepare("SELECT * FROM runs WHERE kind = 'telemetry' ORDER BY started_at DESC LIMIT ?")
      .all(limit) as unknown as RunRow[];
    return rows.map(toRun);
  }

  get(id: string): StoredRecording | undefined {
    const row = this.#db.prepare("SELECT * FROM runs WHERE id = ? AND kind = 'telemetry'").get(id) as RunRow | undefined;
    if (row === undefined) return undefined;
    const columns = emptyColumns(0);
    const rows = this.#db.prepare('SELECT t, rails, detail FROM samples WHERE run_id = ? ORDER BY seq').iterate(id) as Iterable<SampleRow>;
    let index = 0;
    for (const sample of rows) {
      const detail = (sample.detail === null ? {} : JSON.parse(sample.detail)) as Partial<Detail>;
      columns.t.push(sample.t);
      columns.inputMw.push(detail.i ?? null);
      columns.railSumMw.push(detail.s ?? null);
      columns.cpuLoad.push(detail.c ?? null);
      columns.gpuLoad.push(detail.g ?? null);
      columns.gpuMhz.push(detail.f ?? null);
      columns.emcLoad.push(detail.e ?? null);
      columns.ramUsedMb.push(detail.r ?? null);
      fill(columns.rails, index, JSON.parse(sample.rails) as Record<string, number | null>);
      fill(columns.temps, index, detail.temps ?? {});
      index += 1;
    }
    const markers = this.#db.prepare('SELECT t, label FROM markers WHERE run_id = ? ORDER BY t').all(id) as unknown as CsvMarker[];
    return { run: toRun(row), columns, markers: markers.map((marker) => ({ t: marker.t, label: marker.label })) };
  }
}

interface SampleRow {
  t: number;
  rails: string;
  detail: string | null;
}

function toRun(row: RunRow): RecordingRun {
  const { kind: _kind, ...run } = runRecordOf(row);
  return run;
}

function fill(target: Record<string, (number | null)[]>, index: number, values: Record<string, number | null>): void {
  for (const name in values) {
    const column = (target[name] ??= new Array<number | null>(index).fill(null));
    column.push(values[name] ?? null);
  }
  for (const name in target) {
    const column = target[name] as (number | null)[];
    if (column.length === index) column.push(null);
  }
}
