import type { SimProfile } from '../model.ts';

/**
 * An x86_64 Linux workstation with one NVIDIA GPU, the comparison point in a report.
 * No tegrastats, no nvpmodel, no INA3221: its power is the GPU board power that
 * `nvidia-smi --query-gpu=power.draw` reports (see formatNvidiaSmiCsv).
 */
export const desktopGpu: SimProfile = {
  id: 'desktop-gpu',
  name: 'Desktop GPU host (GeForce RTX 3060)',
  kind: 'desktop-gpu',
  model: 'NVIDIA GeForce RTX 3060',
  nvTegraRelease: null,
  l4t: null,
  jetpack: null,
  hostname: 'workstation',
  arch: 'x86_64',
  uname:
    'Linux workstation 6.8.0-49-generic #49~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC Wed Nov  6 17:42:15 UTC 2 x86_64 x86_64 x86_64 GNU/Linux',
  ubuntu: 'Ubuntu 22.04.5 LTS',
  python: '3.10.12',
  cpu: { cores: 8, maxMhz: 4600, idleMhz: 800 },
  memory: { ramMb: 31940, swapMb: 2047 },
  disk: { totalGb: 915, freeGb: 600 },
  versions: { cuda: '12.6.68', cudnn: '9.3.0', tensorrt: '10.3.0', opencv: null },
  gpuMhz: { idle: 210, max: 1777 },
  emcMhz: { idle: 405, max: 7501 },
  nvpmodel: null,
  // One "rail": the board power nvidia-smi reports. It does not see the host CPU, so CPU load
  // moves it only slightly (driver / PCIe activity).
  rails: [{ name: 'GPU', idleMw: 15000, cpuMw: 1500, gpuMw: 155000, total: true }],
  thermalZones: ['GPU'],
  referenceLine: null,
  sources: ['No reference material covers the desktop host; it exists as a comparison point (ARCHITECTURE.md).'],
  missing: [
    'Everything here is a plausible placeholder, not from ../shared/reference: GPU (RTX 3060, 170 W board power limit, ~15 W idle as commonly reported), CPU, RAM, disk, kernel, versions.',
    'No real nvidia-smi output is in the reference; the CSV format follows `--format=csv,noheader,nounits` as documented by nvidia-smi --help-query-gpu.',
  ],
};
