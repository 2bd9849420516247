/**
 * The seam between the simulated board's *model* (profiles, power, tegrastats
 * text, sysfs files: what a board IS) and its *transports* (SSH server, serial
 * console, command interpreter: how you TALK to it). Both sides code against
 * these types only.
 */

export type ProfileId = 'tx1' | 'tx2' | 'nano' | 'xavier-nx' | 'agx-xavier' | 'orin-nano' | 'orin-nx' | 'agx-orin' | 'desktop-gpu';

export interface PowerMode {
  id: number;
  name: string;
  /** The mode's power budget in watts; null for MAXN / unlimited. */
  budgetW: number | null;
  onlineCpus: number;
  cpuMaxMhz: number;
  gpuMaxMhz: number;
  /** Which cores are online, when not simply the first `onlineCpus` (TX2: the Denver cores 1-2 go off first). */
  onlineCpuList?: number[];
}

export interface RailSpec {
  /** The label exactly as tegrastats and `in<N>_label` print it (e.g. `VDD_IN`, `POM_5V_GPU`, `NC`). */
  name: string;
  idleMw: number;
  /**
   * Extra mW at 100 % CPU load on every core of the module at the module's top
   * clock; the power model scales it by the cores a mode keeps online and by
   * (clock / top clock)^2.
   */
  cpuMw: number;
  /** Extra mW at 100 % GPU load at the module's top GPU clock (scaled the same way). */
  gpuMw: number;
  /** True for the board's input rail (VDD_IN, POM_5V_IN, VIN_SYS_5V0…): the one that totals. */
  total?: boolean;
}

export interface SimProfile {
  id: ProfileId;
  /** Human name, e.g. "Jetson AGX Orin 64GB". */
  name: string;
  kind: 'jetson' | 'desktop-gpu';
  /** `/proc/device-tree/model` (no trailing NUL). Desktop: the `nvidia-smi` GPU name. */
  model: string;
  /** The whole `/etc/nv_tegra_release` file; null on the desktop host. */
  nvTegraRelease: string | null;
  l4t: string | null;
  jetpack: string | null;
  hostname: string;
  arch: 'aarch64' | 'x86_64';
  /** `uname -a` output (without trailing newline). */
  uname: string;
  /** `/etc/os-release` PRETTY_NAME, e.g. "Ubuntu 22.04.4 LTS". */
  ubuntu: string;
  /** The `python3 --version` the board ships, e.g. "3.10.12". */
  python: string;
  cpu: { cores: number; maxMhz: number; idleMhz: number };
  memory: { ramMb: number; swapMb: number };
  disk: { totalGb: number; freeGb: number };
  versions: { cuda: string | null; cudnn: string | null; tensorrt: string | null; opencv: string | null };
  /** null when the board has no nvpmodel (desktop host). */
  nvpmodel: { modes: PowerMode[]; defaultId: number } | null;
  rails: RailSpec[];
  /** Thermal zone names as tegrastats prints them, in order (e.g. ["CPU", "GPU", "tj"]). */
  thermalZones: string[];
  /** A real tegrastats line of this module from ../shared/reference, the format we reproduce. */
  referenceLine: string | null;
  /** GPU clock range in MHz (idle as tegrastats shows it, top of MAXN). */
  gpuMhz?: { idle: number; max: number };
  /** Memory (EMC) clock in MHz: idle as the reference line shows it, max. */
  emcMhz?: { idle: number; max: number };
  /** How this module's `tegrastats` prints; absent on a host without tegrastats. */
  tegrastats?: TegrastatsFormat;
  /** INA3221 power monitors as sysfs shows them (bus-address and channel labels in order). */
  powerMonitors?: PowerMonitor[];
  /** When `referenceLine` is null: the profile whose real line gives this one's format. */
  formatSource?: ProfileId;
  /** Where each fact came from (URLs / repository paths in ../shared/reference). */
  sources: string[];
  /** Facts the reference material does not give, said plainly instead of invented. */
  missing: string[];
}

/** What the board is doing right now, as the load sampler measures it. */
export interface BoardLoad {
  /** 0..1 per online core. */
  cpu: number[];
  /** 0..1. */
  gpu: number;
}

export interface RailReading {
  name: string;
  /** Instantaneous power, mW. */
  mw: number;
  /** Running average since the reader started, mW (tegrastats' second number). */
  avgMw: number;
  /** Voltage (mV) and current (mA) for the INA3221 sysfs files; mw = mv * ma / 1000. */
  mv: number;
  ma: number;
}

/** Everything one tegrastats line (or one sysfs update) needs. */
export interface BoardSnapshot {
  /** Milliseconds since the Unix epoch. */
  time: number;
  ramUsedMb: number;
  swapUsedMb: number;
  /** One entry per core; null when the core is offline in this power mode. */
  cpus: ({ loadPct: number; mhz: number } | null)[];
  emc: { loadPct: number; mhz: number };
  gpu: { loadPct: number; mhz: number };
  temps: { zone: string; celsius: number }[];
  rails: RailReading[];
}

/** The shape of one module's tegrastats line, read off its real reference line. */
export interface TegrastatsFormat {
  /** Leading `MM-DD-YYYY HH:MM:SS` (JetPack 5+). */
  timestamp: boolean;
  swap: boolean;
  /** `IRAM 0/252kB(lfb 252kB)` (T210 with sudo). */
  iram: boolean;
  /** `EMC_FREQ 0%@1600` (sudo), `EMC_FREQ 0%` (no sudo), or left out (JetPack 6 without sudo). */
  emc: 'scalar' | 'percent' | 'none';
  /** `GR3D_FREQ 0%@76`, `GR3D_FREQ 0%`, `GR3D_FREQ 0%@[305,305]`, or `GR3D_FREQ 0%@0 GR3D2_FREQ 0%@0`. */
  gpu: 'scalar' | 'percent' | 'array' | 'per-gpc';
  gpcCount: number;
  /** Fixed engines printed after GR3D, in order: `APE 25`, `VIC_FREQ 729`, `NVENC off`. */
  engines: { name: string; mhz: number | null }[];
  /** `MTS fg 0% bg 0%` (Denver / Carmel boards with sudo). */
  mts: boolean;
  railUnit: 'bare' | 'mW';
  /** Whether `NC` channels are printed (JetPack 5 AGX Orin prints them, JetPack 6 does not). */
  printNcRails: boolean;
  /** The `lfb NxMB` block size. */
  lfbBlockMb: number;
}

/** One INA3221 device: `sys/bus/i2c/devices/<address>`, channels 1..3 in order. */
export interface PowerMonitor {
  address: string;
  /** Channel labels (rail names or `NC`), at most 3. */
  rails: string[];
}
