import type { SimProfile } from '../model.ts';
import { l4t3647, releaseFields, unameFor } from './releases.ts';

const hostname = 'orin-nx';

/**
 * Jetson Orin NX 16GB on L4T 36.4.7 / JetPack 6.2.1. There is no real Orin NX 16GB
 * tegrastats line in the reference: Orin NX is the same p3767 module family as Orin
 * Nano, so its line takes the Orin Nano format (same rails) with 8 cores.
 */
export const orinNx: SimProfile = {
  id: 'orin-nx',
  name: 'Jetson Orin NX 16GB',
  kind: 'jetson',
  model: 'NVIDIA Jetson Orin NX Engineering Reference Developer Kit',
  ...releaseFields(l4t3647),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3647),
  cpu: { cores: 8, maxMhz: 1984, idleMhz: 729 },
  memory: { ramMb: 15388, swapMb: 7694 },
  disk: { totalGb: 116, freeGb: 80 },
  gpuMhz: { idle: 306, max: 918 },
  emcMhz: { idle: 204, max: 3199 },
  nvpmodel: {
    // `0 MAXN, 1 10W, 2 15W (factory default), 3 25W` for nvpmodel_p3767_0000.conf (non-Super),
    // from an unattributed document (jetson-facts.md §2.6). Cores/clocks are estimates.
    modes: [
      { id: 0, name: 'MAXN', budgetW: null, onlineCpus: 8, cpuMaxMhz: 1984, gpuMaxMhz: 918 },
      { id: 1, name: '10W', budgetW: 10, onlineCpus: 4, cpuMaxMhz: 1190, gpuMaxMhz: 612 },
      { id: 2, name: '15W', budgetW: 15, onlineCpus: 8, cpuMaxMhz: 1420, gpuMaxMhz: 612 },
      { id: 3, name: '25W', budgetW: 25, onlineCpus: 8, cpuMaxMhz: 1420, gpuMaxMhz: 408 },
    ],
    defaultId: 2,
  },
  rails: [
    { name: 'VDD_IN', idleMw: 5200, cpuMw: 9500, gpuMw: 14000, total: true },
    { name: 'VDD_CPU_GPU_CV', idleMw: 600, cpuMw: 6500, gpuMw: 9500 },
    { name: 'VDD_SOC', idleMw: 1500, cpuMw: 800, gpuMw: 1800 },
  ],
  powerMonitors: [{ address: '1-0040', rails: ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC'] }],
  thermalZones: ['cpu', 'soc2', 'soc0', 'gpu', 'tj', 'soc1'],
  tegrastats: {
    timestamp: true,
    swap: true,
    iram: false,
    emc: 'none',
    gpu: 'percent',
    gpcCount: 1,
    engines: [],
    mts: false,
    railUnit: 'mW',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine: null,
  formatSource: 'orin-nano',
  sources: [
    'Line format: the Orin Nano reference line (henrygd/beszel:agent/gpu_test.go); same p3767 family',
    'nvpmodel IDs: unattributed document quoted in jetson-facts.md §2.6',
    'Orin NX recovery PIDs / P-numbers: jetson-facts.md §3.1, §4.1',
    ...l4t3647.sources,
  ],
  missing: [
    'No real Orin NX 16GB tegrastats line in the reference (jetson-facts.md §6): the format is borrowed from Orin Nano.',
    "The Orin NX model string is not in the reference (jetson-facts.md §3.2); ours is a guess in NVIDIA's style.",
    'RAM total, idle power, per-mode cores and clocks are estimates, not from the reference.',
    'The nvpmodel table comes from an unattributed source.',
    'Disk size is a placeholder for a 128 GB NVMe.',
    ...l4t3647.missing,
  ],
};
