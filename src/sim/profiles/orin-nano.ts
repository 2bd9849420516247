import type { SimProfile } from '../model.ts';
import { l4t3647, releaseFields, unameFor } from './releases.ts';

const hostname = 'orin-nano';

/** Jetson Orin Nano 8GB devkit (Super) on L4T 36.4.7 / JetPack 6.2.1. */
export const orinNano: SimProfile = {
  id: 'orin-nano',
  name: 'Jetson Orin Nano 8GB',
  kind: 'jetson',
  // jetson-facts.md §3.2: JP 6.2 Super string ("likely but unconfirmed").
  model: 'NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super',
  ...releaseFields(l4t3647),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3647),
  cpu: { cores: 6, maxMhz: 1728, idleMhz: 729 },
  memory: { ramMb: 7620, swapMb: 16384 },
  disk: { totalGb: 57, freeGb: 30 },
  gpuMhz: { idle: 306, max: 1020 },
  emcMhz: { idle: 204, max: 2133 },
  nvpmodel: {
    // IDs from a dev log (`0 15W, 1 25W, 2 MAXN_SUPER, 3 7W`, jetson-facts.md §2.6, repo not
    // identified); 25W = `nvpmodel -m 1` per smolhub.com. Default 15W as the original Orin Nano.
    modes: [
      { id: 0, name: '15W', budgetW: 15, onlineCpus: 6, cpuMaxMhz: 1510, gpuMaxMhz: 625 },
      { id: 1, name: '25W', budgetW: 25, onlineCpus: 6, cpuMaxMhz: 1510, gpuMaxMhz: 918 },
      { id: 2, name: 'MAXN_SUPER', budgetW: null, onlineCpus: 6, cpuMaxMhz: 1728, gpuMaxMhz: 1020 },
      { id: 3, name: '7W', budgetW: 7, onlineCpus: 4, cpuMaxMhz: 960, gpuMaxMhz: 408 },
    ],
    defaultId: 0,
  },
  // Idle from the reference line (VDD_IN 4824, VDD_CPU_GPU_CV 518, VDD_SOC 1475).
  rails: [
    { name: 'VDD_IN', idleMw: 4800, cpuMw: 7000, gpuMw: 12000, total: true },
    { name: 'VDD_CPU_GPU_CV', idleMw: 520, cpuMw: 4500, gpuMw: 8000 },
    { name: 'VDD_SOC', idleMw: 1470, cpuMw: 700, gpuMw: 1500 },
  ],
  powerMonitors: [{ address: '1-0040', rails: ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC'] }],
  thermalZones: ['cpu', 'soc2', 'soc0', 'gpu', 'tj', 'soc1'],
  // The reference line is non-sudo JetPack 6: no EMC_FREQ, `GR3D_FREQ 0%` without a clock.
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
  referenceLine:
    '06-18-2025 11:25:24 RAM 3452/7620MB (lfb 25x4MB) SWAP 1518/16384MB (cached 174MB) CPU [1%@1420,2%@1420,0%@1420,2%@1420,2%@729,1%@729] GR3D_FREQ 0% cpu@50.031C soc2@49.031C soc0@50C gpu@49.031C tj@50.25C soc1@50.25C VDD_IN 4824mW/4824mW VDD_CPU_GPU_CV 518mW/518mW VDD_SOC 1475mW/1475mW',
  sources: [
    'Reference line: henrygd/beszel:agent/gpu_test.go (test input "orin nano"), in test/fixtures/tegrastats-real.jsonl',
    'nvpmodel: https://www.smolhub.com/posts/jetson-nano-super-benchmark-non-reasoning/ and an unattributed dev log (jetson-facts.md §2.6)',
    'Thermal zone types on JetPack 6 Orin: JoeyGihoon/seame_brain:Brain/test.py (jetson-facts.md §2.4)',
    ...l4t3647.sources,
  ],
  missing: [
    'The reference line does not state its release ("JetPack 6 style"); we pair it with L4T 36.4.7 (the Orin Nano release line in jetson-facts.md §3.4).',
    "Per-mode clocks (1510/1728 MHz CPU, 408..1020 MHz GPU) and the 7W mode's 4 cores are NVIDIA figures as recalled, not in the reference.",
    'INA3221 bus address 1-0040 for Orin Nano is not in the reference.',
    'Full-load rail figures are estimates, not measured.',
    'Disk size is a placeholder for a 64 GB SD card.',
    ...l4t3647.missing,
  ],
};
