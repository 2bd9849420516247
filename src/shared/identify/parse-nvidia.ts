/**
 * Parsers for the NVIDIA side of a board: L4T release, power modes, the
 * CUDA stack's packages, and the framework probe. Formats follow
 * /work/shared/reference/jetson-facts.md (sections cited per function).
 */
import type { FrameworkFacts, PowerModeFacts } from './board-facts.ts';

/**
 * `/etc/nv_tegra_release` first line `# R36 (release), REVISION: 4.7, …` →
 * `36.4.7` (jetson-facts.md 3.4, jtop's `get_nvidia_l4t()`). Split on ", "
 * only: the DATE field has two-space day padding.
 */
export function parseNvTegraRelease(text: string | undefined): { l4t: string | null; board: string | null } {
  const first = (text ?? '').split('\n').find((line) => line.startsWith('# R'));
  if (first === undefined) return { l4t: null, board: null };
  const fields = first.split(', ');
  const major = /^# R(\d+) \(release\)/.exec(fields[0] ?? '')?.[1];
  const revision = /^REVISION: (\d+(?:\.\d+)?)/.exec(fields[1] ?? '')?.[1];
  const board = fields.find((field) => field.startsWith('BOARD: '))?.slice('BOARD: '.length) ?? null;
  if (major === undefined || revision === undefined) return { l4t: null, board };
  const [minor, patch] = revision.split('.');
  return { l4t: `${major}.${minor ?? '0'}.${patch ?? '0'}`, board };
}

/** Fallback when the file is missing: the nvidia-l4t-core version before `-` (jetson_stats PR #706). */
export function l4tFromCorePackage(version: string | undefined): string | null {
  const match = /^(\d+\.\d+(?:\.\d+)?)-/.exec(version ?? '');
  return match?.[1] ?? null;
}

/**
 * `nvpmodel -q` (`NV Power Mode: <NAME>` then the id) plus the modes from
 * `nvpmodel -p --verbose` (`NVPM VERB: POWER_MODEL: ID=<id> NAME=<name>`,
 * `PM_CONFIG: DEFAULT=<NAME>(<id>)`) or the `< POWER_MODEL ID=n NAME=x >`
 * lines of /etc/nvpmodel.conf (jetson-facts.md 2.6).
 */
export function parsePowerModes(query: string | undefined, modes: string | undefined): PowerModeFacts | null {
  const current = /NV Power Mode: ([\w.-]+)/.exec(query ?? '');
  const currentIdText = current === null ? undefined : /^\s*(\d+)\s*$/m.exec((query ?? '').slice(current.index + current[0].length))?.[1];
  const available: Array<{ id: number; name: string }> = [];
  for (const match of (modes ?? '').matchAll(/POWER_MODEL:?\s+ID=(\d+)\s+NAME=([\w.-]+)/g)) {
    const id = Number(match[1]);
    if (!available.some((mode) => mode.id === id)) available.push({ id, name: match[2] ?? '' });
  }
  const defaultText = /PM_CONFIG:?\s+DEFAULT=(?:[\w.-]+\()?(\d+)\)?/.exec(modes ?? '')?.[1];
  if (current === null && available.length === 0) return null;
  return {
    current: current?.[1] ?? null,
    currentId: currentIdText === undefined ? null : Number(currentIdText),
    available,
    defaultId: defaultText === undefined ? null : Number(defaultText),
  };
}

/** `dpkg -l` rows that are installed (`ii`, `hi`) → package → version. */
export function parseDpkgList(text: string | undefined): Map<string, string> {
  const packages = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const match = /^[ih]i\s+(\S+)\s+(\S+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) packages.set(match[1].replace(/:\w+$/, ''), match[2]);
  }
  return packages;
}

/** `1:4.5.4-8-g3e4c170df4` / `9.3.0.75-1+cuda12.6` → the leading `x.y.z`. */
function upstreamVersion(version: string | undefined, parts = 3): string | null {
  const match = /^(?:\d+:)?(\d+(?:\.\d+)*)/.exec(version ?? '');
  if (match?.[1] === undefined) return null;
  return match[1].split('.').slice(0, parts).join('.');
}

function firstPackage(packages: Map<string, string>, pattern: RegExp): string | undefined {
  const names = [...packages.keys()].filter((name) => pattern.test(name)).sort();
  return names[0] === undefined ? undefined : packages.get(names[0]);
}

/** `nvcc --version` → `Cuda compilation tools, release 12.6, V12.6.68` → `12.6`. */
export function parseNvccVersion(text: string | undefined): string | null {
  return /release (\d+\.\d+)/.exec(text ?? '')?.[1] ?? null;
}

export interface StackVersions {
  cuda: string | null;
  cudnn: string | null;
  tensorrt: string | null;
  opencv: string | null;
  jetpackPackage: string | null;
  l4tCore: string | null;
}

/** The CUDA stack from the package list (nvcc, when present, wins for CUDA). */
export function stackVersions(packages: Map<string, string>, nvcc: string | null): StackVersions {
  const toolkit = [...packages.keys()].find((name) => /^cuda-toolkit-\d+-\d+$/.test(name));
  const cudaFromToolkit = toolkit === undefined ? null : toolkit.replace(/^cuda-toolkit-(\d+)-(\d+)$/, '$1.$2');
  const cudart = upstreamVersion(firstPackage(packages, /^cuda-cudart-\d/), 2);
  return {
    cuda: nvcc ?? cudaFromToolkit ?? cudart,
    cudnn: upstreamVersion(firstPackage(packages, /^(libcudnn\d*|libcudnn\d*-dev|cudnn\d*|libcudnn-dev)$/)),
    tensorrt: upstreamVersion(packages.get('tensorrt') ?? firstPackage(packages, /^(libnvinfer\d+|libnvinfer-bin|python3-libnvinfer)$/)),
    opencv: upstreamVersion(firstPackage(packages, /^(libopencv|opencv|libopencv-core\d|libopencv-dev|nvidia-opencv)/)),
    jetpackPackage: upstreamVersion(packages.get('nvidia-jetpack')),
    l4tCore: packages.get('nvidia-l4t-core') ?? null,
  };
}

/** The framework probe prints one JSON object `{ name: { version, cuda, simulated } }`. */
export function parseFrameworks(text: string | undefined): FrameworkFacts[] {
  const line = (text ?? '').split('\n').find((candidate) => candidate.trim().startsWith('{'));
  if (line === undefined) return [];
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null) return [];
  const frameworks: FrameworkFacts[] = [];
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as Record<string, unknown>;
    frameworks.push({
      name,
      version: typeof entry.version === 'string' ? entry.version : '',
      cuda: typeof entry.cuda === 'boolean' ? entry.cuda : null,
      simulated: entry.simulated === true,
    });
  }
  return frameworks.sort((a, b) => a.name.localeCompare(b.name));
}
