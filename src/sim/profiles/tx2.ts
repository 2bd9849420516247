import type { SimProfile } from '../model.ts';
import { l4t3271T186, releaseFields, unameFor } from './releases.ts';

const hostname = 'jetson-tx2';
// Core 0 and 3-5 are Cortex-A57, 1-2 are Denver: Max-Q turns the Denver cores off,
// as the reference line shows (`CPU [1%@345,off,off,1%@345,…]`).
const armCores = [0, 3, 4, 5];

/** Jetson TX2 8GB devkit (p3310, `quill`) on L4T 32.7.1 / JetPack 4.6.1. */
export const tx2: SimProfile = {
  id: 'tx2',
  name: 'Jetson TX2',
  kind: 'jetson',
  // jetson-facts.md §3.2: `quill` (TX2 p3310, L4T 32.4.4, jetson_stats #387).
  model: 'quill',
  ...releaseFields(l4t3271T186),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3271T186),
  // 2035 MHz and 345 MHz idle: TX2 reference lines (ssaraff98/tegrastats_parser, DataDog).
  cpu: { cores: 6, maxMhz: 2035, idleMhz: 345 },
  memory: { ramMb: 7852, swapMb: 3926 },
  disk: { totalGb: 28, freeGb: 12 },
  gpuMhz: { idle: 114, max: 1300 },
  emcMhz: { idle: 1600, max: 1866 },
  nvpmodel: {
    // alien18331/TX2:README.md (modes, cores, clocks, "Default mode 1"); Max-Q / Max-P budgets
    // (7.5 W / 15 W) are NVIDIA's published TX2 figures, not in the reference.
    modes: [
      { id: 0, name: 'MAXN', budgetW: null, onlineCpus: 6, cpuMaxMhz: 2035, gpuMaxMhz: 1300 },
      { id: 1, name: 'MAXQ', budgetW: 7.5, onlineCpus: 4, cpuMaxMhz: 1267, gpuMaxMhz: 854, onlineCpuList: armCores },
      { id: 2, name: 'MAXP_CORE_ALL', budgetW: 15, onlineCpus: 6, cpuMaxMhz: 1420, gpuMaxMhz: 1122 },
      { id: 3, name: 'MAXP_CORE_ARM', budgetW: 15, onlineCpus: 4, cpuMaxMhz: 2035, gpuMaxMhz: 1122, onlineCpuList: armCores },
      { id: 4, name: 'MAXP_CORE_DENVER', budgetW: 15, onlineCpus: 2, cpuMaxMhz: 2035, gpuMaxMhz: 1122, onlineCpuList: [0, 1] },
    ],
    defaultId: 1,
  },
  // Idle: reference lines (VDD_IN 1840..3056). Loaded: ssaraff98 line 15 (CPU ~55 % @960-2035 MHz:
  // VDD_IN 5937, VDD_SYS_CPU 2374, VDD_SYS_DDR 1269, VDD_SYS_SOC 842) fixes the CPU slope.
  rails: [
    { name: 'VDD_SYS_GPU', idleMw: 152, cpuMw: 0, gpuMw: 7000 },
    { name: 'VDD_SYS_SOC', idleMw: 540, cpuMw: 700, gpuMw: 800 },
    { name: 'VDD_4V0_WIFI', idleMw: 0, cpuMw: 0, gpuMw: 0 },
    { name: 'VDD_IN', idleMw: 2000, cpuMw: 9500, gpuMw: 11000, total: true },
    { name: 'VDD_SYS_CPU', idleMw: 152, cpuMw: 5500, gpuMw: 0 },
    { name: 'VDD_SYS_DDR', idleMw: 480, cpuMw: 1500, gpuMw: 1800 },
  ],
  powerMonitors: [
    { address: '0-0040', rails: ['VDD_SYS_GPU', 'VDD_SYS_SOC', 'VDD_4V0_WIFI'] },
    { address: '0-0041', rails: ['VDD_IN', 'VDD_SYS_CPU', 'VDD_SYS_DDR'] },
  ],
  thermalZones: ['PLL', 'MCPU', 'PMIC', 'Tboard', 'GPU', 'BCPU', 'thermal', 'Tdiode'],
  tegrastats: {
    timestamp: false,
    swap: true,
    iram: false,
    emc: 'scalar',
    gpu: 'scalar',
    gpcCount: 1,
    engines: [{ name: 'APE', mhz: 150 }],
    mts: false,
    railUnit: 'bare',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine:
    'RAM 2344/7852MB (lfb 1154x4MB) SWAP 0/3926MB (cached 0MB) CPU [1%@345,off,off,1%@345,0%@345,2%@345] EMC_FREQ 4%@1600 GR3D_FREQ 0%@624 APE 150 PLL@37.5C MCPU@37.5C PMIC@100C Tboard@32C GPU@35C BCPU@37.5C thermal@36.5C Tdiode@34.25C VDD_SYS_GPU 152/152 VDD_SYS_SOC 687/687 VDD_4V0_WIFI 0/0 VDD_IN 3056/3056 VDD_SYS_CPU 152/152 VDD_SYS_DDR 883/883',
  sources: [
    'Reference line: DataDog/datadog-agent:pkg/collector/corechecks/nvidia/jetson/jetson_test.go (tx2Sample, commit a50b634c), in test/fixtures/tegrastats-real.jsonl',
    'Loaded line: ssaraff98/tegrastats_parser tegrastats_time_log.txt line 15 (commit 45b7419)',
    'nvpmodel table: alien18331/TX2:README.md (search corpus)',
    ...l4t3271T186.sources,
  ],
  missing: [
    'The reference TX2 lines do not state their L4T release; VDD_SYS_* names are the L4T 32.x naming (jsonl notes).',
    'Mode budgets (Max-Q 7.5 W, Max-P 15 W) are NVIDIA published figures as recalled, not in the reference.',
    'MAXP_CORE_DENVER online cores: sources disagree (2 Denver vs 1 Denver + 1 A57); we keep cpu0 + cpu1.',
    'INA3221 bus addresses 0-0040 / 0-0041 are not in the reference.',
    'Disk size is a placeholder for the 32 GB eMMC.',
    ...l4t3271T186.missing,
  ],
};
