import type { SimProfile } from '../model.ts';
import { l4t3647, releaseFields, unameFor } from './releases.ts';

const hostname = 'agx-orin';

/** Jetson AGX Orin 64GB devkit on L4T 36.4.7 / JetPack 6.2.1. */
export const agxOrin: SimProfile = {
  id: 'agx-orin',
  name: 'Jetson AGX Orin 64GB',
  kind: 'jetson',
  // jetson-facts.md §3.2: JP 6.0 DP (L4T 36.2) and JP 7.2 (jetson_stats #476, #864).
  model: 'NVIDIA Jetson AGX Orin Developer Kit',
  ...releaseFields(l4t3647),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3647),
  // 2201 MHz top clock and GPU 1300 MHz: JetPack 7.2 reference line; 729 MHz idle: JP5/JP6 lines.
  cpu: { cores: 12, maxMhz: 2201, idleMhz: 729 },
  memory: { ramMb: 62841, swapMb: 31421 },
  disk: { totalGb: 57, freeGb: 30 },
  gpuMhz: { idle: 305, max: 1300 },
  emcMhz: { idle: 2133, max: 3199 },
  nvpmodel: {
    // rbonghi/jetson_stats:tests/nvpmodel show_verbose_orin; default 2 per jetson_stats#428 log.
    modes: [
      { id: 0, name: 'MAXN', budgetW: null, onlineCpus: 12, cpuMaxMhz: 2201, gpuMaxMhz: 1300 },
      { id: 1, name: 'MODE_15W', budgetW: 15, onlineCpus: 4, cpuMaxMhz: 1113, gpuMaxMhz: 420 },
      { id: 2, name: 'MODE_30W', budgetW: 30, onlineCpus: 8, cpuMaxMhz: 1728, gpuMaxMhz: 624 },
      { id: 3, name: 'MODE_50W', budgetW: 50, onlineCpus: 12, cpuMaxMhz: 1497, gpuMaxMhz: 828 },
    ],
    defaultId: 2,
  },
  // No VDD_IN: jtop totals the sum (jetson-facts.md §2.2). Idle from the reference line
  // (2801 + 400 + 4536 + 604 mW); the JetPack 7.2 line under load (VDD_GPU_SOC 5139,
  // VDD_CPU_CV 3268 at ~16 % CPU @2201 and 12 % GPU) fixes the slopes.
  rails: [
    { name: 'VDD_GPU_SOC', idleMw: 2800, cpuMw: 1500, gpuMw: 30000 },
    { name: 'VDD_CPU_CV', idleMw: 400, cpuMw: 15000, gpuMw: 1000 },
    { name: 'VIN_SYS_5V0', idleMw: 4530, cpuMw: 1500, gpuMw: 2000 },
    { name: 'NC', idleMw: 0, cpuMw: 0, gpuMw: 0 },
    { name: 'VDDQ_VDD2_1V8AO', idleMw: 600, cpuMw: 1500, gpuMw: 3000 },
    { name: 'NC', idleMw: 0, cpuMw: 0, gpuMw: 0 },
  ],
  // jetson-facts.md §2.2: 1-0040 carries VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0; 1-0041 VDDQ_VDD2_1V8AO;
  // the NC order follows the JetPack 5 line (GDWR/jetson_exporter#14).
  powerMonitors: [
    { address: '1-0040', rails: ['VDD_GPU_SOC', 'VDD_CPU_CV', 'VIN_SYS_5V0'] },
    { address: '1-0041', rails: ['NC', 'VDDQ_VDD2_1V8AO', 'NC'] },
  ],
  thermalZones: ['cpu', 'tboard', 'soc2', 'tdiode', 'soc0', 'gpu', 'tj', 'soc1'],
  tegrastats: {
    timestamp: true,
    swap: true,
    iram: false,
    emc: 'scalar',
    gpu: 'array',
    gpcCount: 2,
    engines: [
      { name: 'NVENC', mhz: null },
      { name: 'NVDEC', mhz: null },
      { name: 'NVJPG', mhz: null },
      { name: 'NVJPG1', mhz: null },
      { name: 'VIC', mhz: null },
      { name: 'OFA', mhz: null },
      { name: 'NVDLA0', mhz: null },
      { name: 'NVDLA1', mhz: null },
      { name: 'PVA0_FREQ', mhz: null },
      { name: 'APE', mhz: 174 },
    ],
    mts: false,
    railUnit: 'mW',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine:
    '10-26-2025 05:10:54 RAM 6879/62841MB (lfb 3x4MB) SWAP 0/31421MB (cached 0MB) CPU [5%@729,1%@729,0%@729,9%@729,1%@729,3%@729,5%@729,0%@729,3%@729,1%@729,1%@729,7%@729] EMC_FREQ 0%@2133 GR3D_FREQ 0%@[305,305] NVENC off NVDEC off NVJPG off NVJPG1 off VIC off OFA off NVDLA0 off NVDLA1 off PVA0_FREQ off APE 174 cpu@47.687C tboard@36.75C soc2@44.312C tdiode@37.5C soc0@45.718C gpu@43.218C tj@47.687C soc1@45.125C VDD_GPU_SOC 2801mW/2801mW VDD_CPU_CV 400mW/400mW VIN_SYS_5V0 4536mW/4536mW VDDQ_VDD2_1V8AO 604mW/604mW',
  sources: [
    'Reference line: Abdel-E/tegrastats_parser:tegra_stats_log.txt line 1 (2025-10-26, JetPack 6 style), in test/fixtures/tegrastats-real.jsonl',
    'Loaded line: rbonghi/jetson_stats:jtop/tests/test_06_tegra_parse.py (TEGRASTATS_ORIN_JP7)',
    'JetPack 5 line with NC channels: https://github.com/GDWR/jetson_exporter/issues/14',
    'nvpmodel: rbonghi/jetson_stats:tests/nvpmodel; https://github.com/rbonghi/jetson_stats/issues/428',
    ...l4t3647.sources,
  ],
  missing: [
    'The reference line does not state its release ("JetPack 6 style"); we pair it with L4T 36.4.7.',
    "Per-mode clocks (MODE_15W 4 cores @1113 MHz etc.) are NVIDIA's published table as recalled, not in the reference.",
    'Full-load rail figures are estimates (MAXN ≈ 60 W at full CPU+GPU), not measured.',
    'Disk size is a placeholder for the 64 GB eMMC.',
    ...l4t3647.missing,
  ],
};
