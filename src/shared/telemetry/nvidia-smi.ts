/**
 * `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits` lines, for a
 * desktop GPU host used as a comparison point. Columns are mapped by the field
 * list the caller asked for (never by position alone): `[N/A]` / `[Not Supported]`
 * values become null, and so do readings outside the plausibility rule
 * (src/shared/power/plausible.ts). Power is printed in W, memory in MiB, clocks in MHz.
 */
import { plausibleCelsius, plausibleMw, plausiblePercent } from '../power/plausible.ts';
import { emptySample, type Sample } from './sample.ts';

const gpuRail: readonly string[] = Object.freeze(['GPU']);

export const nvidiaSmiFields = ['timestamp', 'power.draw', 'utilization.gpu', 'clocks.sm', 'temperature.gpu', 'memory.used'] as const;

/** The argv that produces lines `parseNvidiaSmiLine` reads, sampling every `intervalMs`. */
export function nvidiaSmiArgv(intervalMs: number, fields: readonly string[] = nvidiaSmiFields): string[] {
  return ['nvidia-smi', `--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(Math.round(intervalMs))];
}

/** One line for one GPU; null when it does not have one column per field or carries no (plausible) power. */
export function parseNvidiaSmiLine(line: string, t = 0, fields: readonly string[] = nvidiaSmiFields): Sample | null {
  const columns = line.split(',').map((column) => column.trim());
  if (columns.length !== fields.length) return null;
  const value = (field: string): number | null => {
    const index = fields.indexOf(field);
    const text = index < 0 ? undefined : columns[index];
    if (text === undefined || text === '' || text.startsWith('[')) return null;
    const number = Number(text);
    return Number.isFinite(number) ? number : null;
  };
  const watts = value('power.draw');
  const mw = watts === null ? Number.NaN : plausibleMw(Math.round(watts * 1000));
  if (Number.isNaN(mw)) return null;
  const sample = emptySample(t);
  const timestamp = fields.indexOf('timestamp');
  if (timestamp >= 0) sample.boardTime = columns[timestamp] ?? null;
  // The board power nvidia-smi reports is the GPU's own input (PCIe slot + connectors): the input rail here.
  sample.railNames = gpuRail;
  sample.railMw.push(mw);
  sample.railAvgMw.push(Number.NaN);
  sample.railUnit = 'mW';
  sample.inputMw = mw;
  sample.inputRail = 'GPU';
  sample.railSumMw = mw;
  const load = plausiblePercent(value('utilization.gpu'));
  const clock = value('clocks.sm');
  if (load !== null)
    sample.gpu.push({ name: 'GPU', load, mhz: clock === null ? [] : [clock], form: clock === null ? 'percent' : 'scalar' });
  const celsius = plausibleCelsius(value('temperature.gpu'));
  if (celsius !== null) {
    sample.tempNames = gpuRail;
    sample.tempC.push(celsius);
  }
  sample.gpuMemoryMb = value('memory.used');
  for (const [index, field] of fields.entries()) {
    if (!['timestamp', 'power.draw', 'utilization.gpu', 'clocks.sm', 'temperature.gpu', 'memory.used'].includes(field)) {
      sample.extra.push(`${field}=${columns[index] ?? ''}`);
    }
  }
  return sample;
}
