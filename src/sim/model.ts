/**
 * The seam between the simulated board's *model* (profiles, power, tegrastats
 * text, sysfs files: what a board IS) and its *transports* (SSH server, serial
 * console, command interpreter: how you TALK to it). Both sides code against
 * these types only.
 */

export type ProfileId =
  | 'tx1'
  | 'tx2'
  | 'nano'
  | 'xavier-nx'
  | 'agx-xavier'
  | 'orin-nano'
  | 'orin-nx'
  | 'agx-orin'
  | 'desktop-gpu';

export interface PowerMode {
  id: number;
  name: string;
  /** The mode's power budget in watts; null for MAXN / unlimited. */
  budgetW: number | null;
  onlineCpus: number;
  cpuMaxMhz: number;
  gpuMaxMhz: number;
}

export interface RailSpec {
  /** The label exactly as tegrastats and `in<N>_label` print it (e.g. `VDD_IN`, `POM_5V_GPU`, `NC`). */
  name: string;
  idleMw: number;
  /** Extra mW at 100 % CPU load on every online core, at the mode's top clock. */
  cpuMw: number;
  /** Extra mW at 100 % GPU load at the mode's top clock. */
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
