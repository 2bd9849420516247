/**
 * One telemetry reading of one board, whatever produced it (tegrastats, the
 * on-board agent's hwmon sampler, nvidia-smi on a desktop host). Every field a
 * tegrastats line carries has a place here; what the parser does not know
 * lands in `extra`, so a new release's fields are shown, not dropped.
 */
export type TelemetrySourceKind = 'tegrastats' | 'agent' | 'nvidia-smi';

export interface RailReading {
  /** Instantaneous power, mW. */
  mw: number;
  /** tegrastats' running average since it started, mW; null where the source gives none. */
  avgMw: number | null;
  /** Peak since start, mW, where printed (JetPack 7's third value), else null. */
  maxMw: number | null;
}

export interface CpuCoreReading {
  /** Percent busy. */
  load: number;
  /** null when the line gives no per-core clock (L4T 28 prints one for all: see `cpuMhz`). */
  mhz: number | null;
}

export interface LoadReading {
  /** Percent busy. */
  load: number;
  /** Clock(s) in MHz: empty without sudo, one entry, or one per GPC (`0%@[305,305]`). */
  mhz: number[];
}

export interface Sample {
  /** Sequence number given by the recorder (per board, from 0); the parser leaves 0. */
  seq: number;
  /** Seconds on the source's clock (the workbench's receive time for tegrastats, the agent's monotonic clock). */
  t: number;
  /** `MM-DD-YYYY HH:MM:SS` as printed by tegrastats on JetPack 5+ (board local time), else null. */
  boardTime: string | null;
  /** Connected power rails by name. `NC` (not connected) INA3221 channels are left out (kept in `extra`). */
  rails: Record<string, RailReading>;
  /**
   * Module input power, mW: the input rail (`VDD_IN`, `POM_5V_IN`, Thor's `VIN`), or null when the
   * board has none (AGX Xavier, AGX Orin measure only sub-rails: the UI must say "sum of rails", not "input").
   */
  inputMw: number | null;
  /** Which rail `inputMw` came from; null when there is none. */
  inputRail: string | null;
  /** Sum of connected rails, mW (null without rails). On boards with an input rail this double-counts. */
  railSumMw: number | null;
  /** One entry per core in order; null for an `off` core. */
  cpu: (CpuCoreReading | null)[];
  /** L4T 28's single CPU clock (`cpu [..]@1734`), else null. */
  cpuMhz: number | null;
  /** `GR3D_FREQ`, `GR3D2_FREQ`, … in order; on nvidia-smi hosts, the one GPU. */
  gpu: (LoadReading & { name: string })[];
  emc: LoadReading | null;
  /** Fixed-clock engines (`APE 25`, `VIC_FREQ 729`, `NVENC off`): MHz, null when off. */
  engines: Record<string, number | null>;
  /** Denver/MTS foreground and background load (TX2, AGX Xavier). */
  mts: { fg: number; bg: number } | null;
  /** Celsius by sensor name as printed (both spellings: `GPU@41C`, `gpu@47.6C/47.6C`); null = offline (`-256C`). */
  temps: Record<string, number | null>;
  ram: { usedMb: number; totalMb: number; lfbBlocks: number; lfbBlockMb: number } | null;
  swap: { usedMb: number; totalMb: number; cachedMb: number } | null;
  iram: { usedKb: number; totalKb: number; lfbKb: number } | null;
  /** GPU memory used, MiB (nvidia-smi), else null. */
  gpuMemoryMb: number | null;
  /** Tokens (and `NC` rails) the parser did not place, kept verbatim in order. */
  extra: string[];
}

export function emptySample(t = 0): Sample {
  return {
    seq: 0,
    t,
    boardTime: null,
    rails: {},
    inputMw: null,
    inputRail: null,
    railSumMw: null,
    cpu: [],
    cpuMhz: null,
    gpu: [],
    emc: null,
    engines: {},
    mts: null,
    temps: {},
    ram: null,
    swap: null,
    iram: null,
    gpuMemoryMb: null,
    extra: [],
  };
}

/**
 * Input rails, in the order jtop prefers them (`jtop/core/power.py`: `POM_5V_IN`
 * or `VDD_IN`; Thor's INA238 `VIN`, rbonghi/jetson_stats PR #900). Boards without
 * one (AGX Xavier: `SYS5V`…, AGX Orin: `VIN_SYS_5V0`…) have no input reading:
 * `VIN_SYS_5V0` is the carrier's 5 V rail, not the module input.
 */
export const inputRailNames: readonly string[] = ['VDD_IN', 'POM_5V_IN', 'VIN'];

/** Sets `inputMw`, `inputRail` and `railSumMw` from `rails`. */
export function settleTotals(sample: Sample): void {
  let sum = 0;
  let count = 0;
  for (const name in sample.rails) {
    sum += (sample.rails[name] as RailReading).mw;
    count += 1;
  }
  sample.railSumMw = count === 0 ? null : sum;
  for (const name of inputRailNames) {
    const rail = sample.rails[name];
    if (rail !== undefined) {
      sample.inputMw = rail.mw;
      sample.inputRail = name;
      return;
    }
  }
}
