/**
 * Turns the sections of one identification run into BoardFacts. Sections a
 * board did not answer stay null; the kind is decided from what was found,
 * so a desktop with an NVIDIA GPU or a plain Linux host is reported as such.
 */
import type { BoardFacts, BoardKind } from './board-facts.ts';
import { jetpackForL4t } from './jetpack.ts';
import {
  l4tFromCorePackage,
  parseDpkgList,
  parseFrameworks,
  parseNvccVersion,
  parseNvTegraRelease,
  parsePowerModes,
  stackVersions,
} from './parse-nvidia.ts';
import {
  parseDeviceTreeString,
  parseDfRoot,
  parseInteger,
  parseInternetCheck,
  parseIpv4Addresses,
  parseMeminfo,
  parseOsRelease,
  parsePythonVersion,
  parseUname,
} from './parse-system.ts';

/** The section names the identification script prints (src/main/identify/identify-script.ts). */
export type SectionName =
  | 'model'
  | 'simulated'
  | 'serial'
  | 'tegra'
  | 'os'
  | 'uname'
  | 'nproc'
  | 'meminfo'
  | 'df'
  | 'nvpmodel'
  | 'nvpmodel-modes'
  | 'dpkg'
  | 'nvcc'
  | 'python'
  | 'frameworks'
  | 'ip'
  | 'internet'
  | 'nvidia-smi';

// Model strings seen on Jetsons (jetson-facts.md 3.2), including the old code names.
const jetsonModel = /jetson|tegra|\borin\b|xavier|quill|lanai|nintendo switch/i;

/** `nvidia-smi -L` → `GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-…)` → the name. */
export function parseNvidiaSmiName(text: string | undefined): string | null {
  return /^GPU \d+: (.+?)(?: \(UUID:.*)?$/m.exec(text ?? '')?.[1]?.trim() ?? null;
}

function nvidiaSmiAnswered(text: string | undefined): boolean {
  return /status=0\b/.test(text ?? '');
}

export function buildBoardFacts(sections: ReadonlyMap<string, string>): BoardFacts {
  const get = (name: SectionName): string | undefined => sections.get(name);
  const deviceTreeModel = parseDeviceTreeString(get('model'));
  const packages = parseDpkgList(get('dpkg'));
  const stack = stackVersions(packages, parseNvccVersion(get('nvcc')));
  const tegra = parseNvTegraRelease(get('tegra'));
  const l4t = tegra.l4t ?? l4tFromCorePackage(stack.l4tCore ?? undefined);
  const uname = parseUname(get('uname'));
  const memory = parseMeminfo(get('meminfo'));
  const disk = parseDfRoot(get('df'));
  const gpuName = parseNvidiaSmiName(get('nvidia-smi'));
  const kind = classify({
    l4t,
    deviceTreeModel,
    hasNvidiaSmi: nvidiaSmiAnswered(get('nvidia-smi')) || gpuName !== null,
    isLinux: uname.kernel !== null,
  });
  return {
    kind,
    simulated: (get('simulated') ?? '').trim() !== '',
    module: kind === 'desktop-gpu' ? (gpuName ?? deviceTreeModel) : deviceTreeModel,
    serialNumber: parseDeviceTreeString(get('serial')),
    hostname: uname.hostname,
    l4t,
    jetpack: kind === 'jetson' ? (jetpackForL4t(l4t) ?? stack.jetpackPackage) : null,
    ubuntu: parseOsRelease(get('os')),
    kernel: uname.kernel,
    arch: uname.arch,
    cpuCores: parseInteger(get('nproc')),
    cuda: stack.cuda,
    cudnn: stack.cudnn,
    tensorrt: stack.tensorrt,
    opencv: stack.opencv,
    python: parsePythonVersion(get('python')),
    ramMb: memory.ramMb,
    swapMb: memory.swapMb,
    diskFreeGb: disk.freeGb,
    diskTotalGb: disk.totalGb,
    powerMode: parsePowerModes(get('nvpmodel'), get('nvpmodel-modes')),
    frameworks: parseFrameworks(get('frameworks')),
    addresses: parseIpv4Addresses(get('ip')),
    internet: parseInternetCheck(get('internet')),
  };
}

function classify(found: { l4t: string | null; deviceTreeModel: string | null; hasNvidiaSmi: boolean; isLinux: boolean }): BoardKind {
  if (found.l4t !== null) return 'jetson';
  if (found.deviceTreeModel !== null && jetsonModel.test(found.deviceTreeModel) && !/geforce|quadro|rtx/i.test(found.deviceTreeModel))
    return 'jetson';
  if (found.hasNvidiaSmi) return 'desktop-gpu';
  if (found.isLinux) return 'linux-host';
  return 'unknown';
}
