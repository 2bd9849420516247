/**
 * What the workbench knows about a board after identifying it. Every field a
 * board could not tell us is `null`, never a guess: an unknown board or a
 * plain Linux host is still identified, as what it is.
 */
/** The file only the simulator writes (src/sim/identity-files.ts) and identification reads: no real board has it. */
export const simulatorMarkerPath = '/etc/jwb-simulated';

export type BoardKind = 'jetson' | 'desktop-gpu' | 'linux-host' | 'unknown';

export interface PowerModeFacts {
  /** `nvpmodel -q` name, e.g. `15W`, `MAXN`. */
  current: string | null;
  currentId: number | null;
  available: Array<{ id: number; name: string }>;
  defaultId: number | null;
}

export interface FrameworkFacts {
  name: string;
  version: string;
  /** Whether the framework sees a CUDA device; null when it cannot say. */
  cuda: boolean | null;
  /** The simulator's stand-in modules carry `SIMULATED = True`. */
  simulated: boolean;
}

export interface BoardFacts {
  kind: BoardKind;
  /** The Jetson Workbench simulator answered (its `/etc/jwb-simulated` marker, which no real board has). */
  simulated: boolean;
  /** `/proc/device-tree/model` (Jetson), the GPU name (desktop), or null. */
  module: string | null;
  serialNumber: string | null;
  hostname: string | null;
  /** `major.minor.patch` from /etc/nv_tegra_release or the nvidia-l4t-core package. */
  l4t: string | null;
  jetpack: string | null;
  /** `PRETTY_NAME` of /etc/os-release, e.g. `Ubuntu 22.04.5 LTS`. */
  ubuntu: string | null;
  kernel: string | null;
  arch: string | null;
  cpuCores: number | null;
  cuda: string | null;
  cudnn: string | null;
  tensorrt: string | null;
  opencv: string | null;
  python: string | null;
  ramMb: number | null;
  swapMb: number | null;
  diskFreeGb: number | null;
  diskTotalGb: number | null;
  powerMode: PowerModeFacts | null;
  frameworks: FrameworkFacts[];
  /** IPv4 addresses with prefix, loopback left out. */
  addresses: string[];
  /** Whether the BOARD resolved a public name within a few seconds; `unknown` when it could not run the check. */
  internet: 'yes' | 'no' | 'unknown';
}
