/**
 * Prints a snapshot the way the module's own `tegrastats` does. The shape of
 * each module's line (field order, forms, units) is in `profile.tegrastats`,
 * read off its real reference line; tests hold every profile against it.
 */
import type { Sample } from '../shared/telemetry/sample.ts';
import { parseTegrastats } from '../shared/telemetry/tegrastats-parser.ts';
import type { BoardSnapshot, SimProfile } from './model.ts';
import { referenceLineFor } from './profiles.ts';

/** IRAM on T210 is a fixed 252 kB block that nothing uses (every T210 reference line). */
const iramField = 'IRAM 0/252kB(lfb 252kB)';

export function formatTegrastats(profile: SimProfile, snapshot: BoardSnapshot): string {
  const format = profile.tegrastats;
  if (!format) throw new Error(`${profile.name} has no tegrastats.`);
  const reference = referenceSample(profile);
  const fields: string[] = [];
  if (format.timestamp) fields.push(formatTimestamp(snapshot.time));
  const freeMb = Math.max(0, profile.memory.ramMb - snapshot.ramUsedMb);
  const lfbBlocks = Math.max(1, Math.round(freeMb / format.lfbBlockMb / 16));
  fields.push(`RAM ${snapshot.ramUsedMb}/${profile.memory.ramMb}MB (lfb ${lfbBlocks}x${format.lfbBlockMb}MB)`);
  if (format.swap) {
    const cachedMb = Math.min(snapshot.swapUsedMb, reference?.swapCachedMb ?? 0);
    fields.push(`SWAP ${snapshot.swapUsedMb}/${profile.memory.swapMb}MB (cached ${cachedMb}MB)`);
  }
  if (format.iram) fields.push(iramField);
  const cpus = snapshot.cpus.map((core) => (core === null ? 'off' : `${core.loadPct}%@${core.mhz}`));
  fields.push(`CPU [${cpus.join(',')}]`);
  if (format.emc === 'scalar') fields.push(`EMC_FREQ ${snapshot.emc.loadPct}%@${snapshot.emc.mhz}`);
  if (format.emc === 'percent') fields.push(`EMC_FREQ ${snapshot.emc.loadPct}%`);
  fields.push(formatGpu(format.gpu, format.gpcCount, snapshot.gpu));
  for (const engine of format.engines) fields.push(`${engine.name} ${engine.mhz ?? 'off'}`);
  if (format.mts) {
    const busiest = Math.max(0, ...snapshot.cpus.map((core) => core?.loadPct ?? 0));
    fields.push(`MTS fg ${Math.round(busiest / 4)}% bg ${Math.round(busiest / 8)}%`);
  }
  const milliDegrees = usesMilliDegrees(reference);
  for (const temp of snapshot.temps) fields.push(`${temp.zone}@${formatCelsius(temp.zone, temp.celsius, milliDegrees)}C`);
  const unit = format.railUnit === 'mW' ? 'mW' : '';
  for (const rail of snapshot.rails) {
    if (rail.name === 'NC' && !format.printNcRails) continue;
    fields.push(`${rail.name} ${rail.mw}${unit}/${rail.avgMw}${unit}`);
  }
  return fields.join(' ');
}

function formatGpu(form: string, gpcCount: number, gpu: BoardSnapshot['gpu']): string {
  switch (form) {
    case 'percent':
      return `GR3D_FREQ ${gpu.loadPct}%`;
    case 'array':
      return `GR3D_FREQ ${gpu.loadPct}%@[${Array.from({ length: gpcCount }, () => gpu.mhz).join(',')}]`;
    case 'per-gpc':
      return Array.from({ length: gpcCount }, (_, index) => `GR3D${index === 0 ? '' : index + 1}_FREQ ${gpu.loadPct}%@${gpu.mhz}`).join(
        ' ',
      );
    default:
      return `GR3D_FREQ ${gpu.loadPct}%@${gpu.mhz}`;
  }
}

/** `MM-DD-YYYY HH:MM:SS` in the board's local time, as JetPack 5+ prints it. */
export function formatTimestamp(time: number): string {
  const date = new Date(time);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getMonth() + 1)}-${two(date.getDate())}-${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/**
 * Orin sensors print millidegrees with trailing zeros cut (`44.562C`, `50C`); the older
 * modules print half degrees (`37.5C`), their `thermal` zone tenths (`36.9C`) and
 * Tdiode quarters (`41.25C`), as in their reference lines.
 */
function formatCelsius(zone: string, celsius: number, milliDegrees: boolean): string {
  if (celsius === -256) return '-256';
  if (milliDegrees) return String(Math.floor(celsius * 1000) / 1000);
  const step = zone === 'thermal' ? 10 : /diode/i.test(zone) ? 4 : 2;
  return String(Math.round(celsius * step) / step);
}

function usesMilliDegrees(reference: Sample | null): boolean {
  return (reference?.tempC ?? []).some((celsius) => celsius !== null && /\.\d{3}$/.test(String(celsius)));
}

const referenceCache = new Map<string, Sample | null>();

function referenceSample(profile: SimProfile): Sample | null {
  if (!referenceCache.has(profile.id)) {
    const line = referenceLineFor(profile);
    referenceCache.set(profile.id, line === null ? null : parseTegrastats(line));
  }
  return referenceCache.get(profile.id) ?? null;
}

/**
 * The fields a desktop GPU host answers, in this order, to
 * `nvidia-smi --query-gpu=power.draw,utilization.gpu,temperature.gpu,clocks.sm,memory.used,memory.total --format=csv,noheader,nounits`.
 */
export const nvidiaSmiQueryFields = [
  'power.draw',
  'utilization.gpu',
  'temperature.gpu',
  'clocks.sm',
  'memory.used',
  'memory.total',
] as const;

/** Desktop GPU memory (RTX 3060 12 GB), MiB; a placeholder like the rest of that profile. */
const desktopGpuMemoryMib = 12288;

/** One CSV line, e.g. `15.32, 0, 35, 210, 312, 12288`: watts with 2 decimals, %, °C, MHz, MiB, MiB. */
export function formatNvidiaSmiCsv(profile: SimProfile, snapshot: BoardSnapshot): string {
  const powerMw = snapshot.rails.find((rail) => rail.name === 'GPU')?.mw ?? snapshot.rails[0]?.mw ?? 0;
  const celsius = Math.round(snapshot.temps.find((temp) => temp.zone === 'GPU')?.celsius ?? 35);
  const memoryUsed = Math.round(300 + (snapshot.gpu.loadPct / 100) * 0.6 * desktopGpuMemoryMib);
  if (profile.kind !== 'desktop-gpu') throw new Error(`${profile.name} has no nvidia-smi.`);
  return [(powerMw / 1000).toFixed(2), snapshot.gpu.loadPct, celsius, snapshot.gpu.mhz, memoryUsed, desktopGpuMemoryMib].join(', ');
}
