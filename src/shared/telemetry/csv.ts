/**
 * CSV export of a recording: one row per sample, one column per series, the
 * markers in a last column on the first sample at or after each marker. Numbers
 * use `.` and no thousands separator; an empty cell is "no reading".
 */
import type { SampleColumns } from './columns.ts';

export interface CsvMarker {
  t: number;
  label: string;
}

export function recordingToCsv(columns: SampleColumns, markers: readonly CsvMarker[] = []): string {
  const railNames = Object.keys(columns.rails);
  const tempNames = Object.keys(columns.temps);
  const header = [
    'seq',
    't_s',
    'input_mw',
    'rail_sum_mw',
    ...railNames.map((name) => `${name}_mw`),
    'cpu_load_pct',
    'gpu_load_pct',
    'gpu_mhz',
    'emc_load_pct',
    'ram_used_mb',
    ...tempNames.map((name) => `${name}_c`),
    'marker',
  ];
  const sorted = [...markers].sort((a, b) => a.t - b.t);
  let nextMarker = 0;
  const rows = [header.map(quote).join(',')];
  for (let index = 0; index < columns.t.length; index += 1) {
    const t = columns.t[index] as number;
    const labels: string[] = [];
    while (nextMarker < sorted.length && (sorted[nextMarker] as CsvMarker).t <= t) labels.push((sorted[nextMarker++] as CsvMarker).label);
    const cells = [
      String(columns.seq0 + index),
      t.toFixed(3),
      cell(columns.inputMw[index]),
      cell(columns.railSumMw[index]),
      ...railNames.map((name) => cell(columns.rails[name]?.[index])),
      cell(columns.cpuLoad[index]),
      cell(columns.gpuLoad[index]),
      cell(columns.gpuMhz[index]),
      cell(columns.emcLoad[index]),
      cell(columns.ramUsedMb[index]),
      ...tempNames.map((name) => cell(columns.temps[name]?.[index])),
      quote(labels.join('; ')),
    ];
    rows.push(cells.join(','));
  }
  return `${rows.join('\n')}\n`;
}

function cell(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** RFC 4180 quoting; a leading `=`, `+`, `-`, `@` is prefixed with `'` so spreadsheets do not run it as a formula. */
function quote(text: string): string {
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
