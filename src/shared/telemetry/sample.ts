/**
 * One telemetry reading of one board, whatever produced it (tegrastats, the
 * on-board agent's hwmon sampler, nvidia-smi on a desktop host). Every field a
 * tegrastats line carries has a place here; what the parser does not know
 * lands in `extra`, so a new release's fields are shown, not dropped.
 *
 * The shape is flat on purpose: parallel arrays of names and values instead
 * of one object per rail, core or sensor. A board sends up to 100 samples a
 * second and the CLI parses whole logs; building ~40 small objects per line
 * cost more than scanning it (issue 5's 500,000 lines/s budget). Name arrays
 * (`railNames`, `tempNames`, `engineNames`) are shared between samples of the
 * same line shape: treat them as read-only.
 */
import { inputRailNames } from '../power/input-rails.ts';

export type TelemetrySourceKind = 'tegrastats' | 'agent' | 'nvidia-smi';

/** How a load field printed its clock: `0%` (no sudo), `0%@76`, `0%@[305,305]` (one per GPC). */
export type ClockForm = 'percent' | 'scalar' | 'array';

export interface GpuReading {
  /** `GR3D`, `GR3D2` (the `_FREQ` suffix cut), or `GPU` on nvidia-smi hosts. */
  name: string;
  /** Percent busy. */
  load: number;
  /** Clock(s) in MHz: empty without sudo, one entry, or one per GPC. */
  mhz: number[];
  form: ClockForm;
}

export interface Sample {
  /** Sequence number given by the recorder (per board, from 0); the parser leaves 0. */
  seq: number;
  /** Seconds on the source's clock (the workbench's receive time for tegrastats, the agent's monotonic clock). */
  t: number;
  /** `MM-DD-YYYY HH:MM:SS` as printed by tegrastats on JetPack 5+ (board local time), else null. */
  boardTime: string | null;
  /** Connected power rails in line order. `NC` (not connected) INA3221 channels are left out (kept in `extra`). */
  railNames: readonly string[];
  /** Instantaneous power per rail, mW (same order as `railNames`). */
  railMw: number[];
  /** tegrastats' running average since it started, mW; NaN where the source gives none. */
  railAvgMw: number[];
  /** Peak since start, mW (JetPack 7's third value); null when the line prints none. */
  railMaxMw: number[] | null;
  /** `mW` when the rails print units (JetPack 5+), `bare` for plain numbers (JetPack 4 and older). */
  railUnit: 'mW' | 'bare' | null;
  /**
   * Module input power, mW: the input rail (`VDD_IN`, `POM_5V_IN`, Thor's `VIN`), or null when the
   * board has none (AGX Xavier, AGX Orin measure only sub-rails: the UI must say "sum of rails", not "input").
   */
  inputMw: number | null;
  /** Which rail `inputMw` came from; null when there is none. */
  inputRail: string | null;
  /** Sum of connected rails, mW (null without rails). On boards with an input rail this double-counts. */
  railSumMw: number | null;
  /** Percent busy per core in order; null for an `off` core. */
  cpuLoad: (number | null)[];
  /** Clock per core, MHz; null when off or not printed (L4T 28 prints one for all: `cpuSharedMhz`). */
  cpuMhz: (number | null)[];
  /** L4T 28's single CPU clock (`cpu [..]@1734`), else null. */
  cpuSharedMhz: number | null;
  /** `GR3D_FREQ`, `GR3D2_FREQ`, … in order; on nvidia-smi hosts, the one GPU. */
  gpu: GpuReading[];
  /** `EMC_FREQ` load, %, and clock, MHz (null without sudo: form `percent`). */
  emcLoad: number | null;
  emcMhz: number | null;
  /** Fixed-clock engines (`APE 25`, `VIC_FREQ 729`, `NVENC off`), names as printed. */
  engineNames: readonly string[];
  /** MHz per engine, null when off. */
  engineMhz: (number | null)[];
  /** Denver/MTS foreground and background load, % (TX2, AGX Xavier), else null. */
  mtsFg: number | null;
  mtsBg: number | null;
  /** Sensor names as printed, in order (both spellings: `GPU@41C`, `gpu@47.6C/47.6C`). */
  tempNames: readonly string[];
  /** Celsius per sensor; null = offline (`-256C`). */
  tempC: (number | null)[];
  /** JetPack 7's per-sensor maximum, °C; null when the line prints none. */
  tempMaxC: (number | null)[] | null;
  ramUsedMb: number | null;
  ramTotalMb: number | null;
  /** Largest free block: `lfb <blocks>x<blockMb>MB`; null when not printed. */
  lfbBlocks: number | null;
  lfbBlockMb: number | null;
  swapUsedMb: number | null;
  swapTotalMb: number | null;
  swapCachedMb: number | null;
  iramUsedKb: number | null;
  iramTotalKb: number | null;
  iramLfbKb: number | null;
  /** GPU memory used, MiB (nvidia-smi), else null. */
  gpuMemoryMb: number | null;
  /** Tokens (and `NC` rails) the parser did not place, kept verbatim in order. */
  extra: string[];
}

const noNames: readonly string[] = Object.freeze([]);

export function emptySample(t = 0): Sample {
  return {
    seq: 0,
    t,
    boardTime: null,
    railNames: noNames,
    railMw: [],
    railAvgMw: [],
    railMaxMw: null,
    railUnit: null,
    inputMw: null,
    inputRail: null,
    railSumMw: null,
    cpuLoad: [],
    cpuMhz: [],
    cpuSharedMhz: null,
    gpu: [],
    emcLoad: null,
    emcMhz: null,
    engineNames: noNames,
    engineMhz: [],
    mtsFg: null,
    mtsBg: null,
    tempNames: noNames,
    tempC: [],
    tempMaxC: null,
    ramUsedMb: null,
    ramTotalMb: null,
    lfbBlocks: null,
    lfbBlockMb: null,
    swapUsedMb: null,
    swapTotalMb: null,
    swapCachedMb: null,
    iramUsedKb: null,
    iramTotalKb: null,
    iramLfbKb: null,
    gpuMemoryMb: null,
    extra: [],
  };
}

/** Sets `inputMw`, `inputRail` and `railSumMw` from the rails (clearing them first: a sample may be re-settled). */
export function settleTotals(sample: Sample): void {
  const names = sample.railNames;
  const values = sample.railMw;
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) sum += values[index] as number;
  sample.railSumMw = values.length === 0 ? null : sum;
  sample.inputMw = null;
  sample.inputRail = null;
  for (const name of inputRailNames) {
    const index = names.indexOf(name);
    if (index >= 0) {
      sample.inputMw = values[index] as number;
      sample.inputRail = name;
      return;
    }
  }
}

/** A rail's instantaneous mW by name, or undefined. */
export function railMwOf(sample: Sample, name: string): number | undefined {
  const index = sample.railNames.indexOf(name);
  return index < 0 ? undefined : sample.railMw[index];
}

/** A sensor's °C by name: undefined when absent, null when offline. */
export function tempOf(sample: Sample, name: string): number | null | undefined {
  const index = sample.tempNames.indexOf(name);
  return index < 0 ? undefined : sample.tempC[index];
}

/** Mean load of the online cores, %; null when none is online. */
export function meanCpuLoad(sample: Sample): number | null {
  let sum = 0;
  let online = 0;
  for (const load of sample.cpuLoad) {
    if (load === null) continue;
    sum += load;
    online += 1;
  }
  return online === 0 ? null : sum / online;
}

/** Board power for a display total: the input rail, else the sum of connected rails (jtop's rule); null without rails. */
export function totalMwOf(sample: Sample): number | null {
  return sample.inputMw ?? sample.railSumMw;
}
