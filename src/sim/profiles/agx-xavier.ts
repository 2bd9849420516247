import type { SimProfile } from '../model.ts';
import { l4t3271T186, releaseFields, unameFor } from './releases.ts';

const hostname = 'agx-xavier';

/** Jetson AGX Xavier 32GB devkit on L4T 32.7.1 / JetPack 4.6.1. */
export const agxXavier: SimProfile = {
  id: 'agx-xavier',
  name: 'Jetson AGX Xavier 32GB',
  kind: 'jetson',
  // jetson-facts.md §3.2: `Jetson-AGX` from L4T 32.2 (Adafruit_Python_PlatformDetect PR #37).
  model: 'Jetson-AGX',
  ...releaseFields(l4t3271T186),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3271T186),
  cpu: { cores: 8, maxMhz: 2265, idleMhz: 1190 },
  memory: { ramMb: 31927, swapMb: 15963 },
  disk: { totalGb: 28, freeGb: 10 },
  gpuMhz: { idle: 318, max: 1377 },
  emcMhz: { idle: 665, max: 2133 },
  nvpmodel: {
    // IDs, names and default: rbonghi/jetson_stats:tests/nvpmodel show_verbose_xavier (jetson-facts.md §2.6).
    // Budgets are in the names; online cores in the _NCORE names and MODE_15W = 4 cores as the
    // reference line shows (4 of 8 `off`). Clocks are NVIDIA's published table as recalled.
    modes: [
      { id: 0, name: 'MAXN', budgetW: null, onlineCpus: 8, cpuMaxMhz: 2265, gpuMaxMhz: 1377 },
      { id: 1, name: 'MODE_10W', budgetW: 10, onlineCpus: 2, cpuMaxMhz: 1190, gpuMaxMhz: 520 },
      { id: 2, name: 'MODE_15W', budgetW: 15, onlineCpus: 4, cpuMaxMhz: 1190, gpuMaxMhz: 670 },
      { id: 3, name: 'MODE_30W_ALL', budgetW: 30, onlineCpus: 8, cpuMaxMhz: 1190, gpuMaxMhz: 900 },
      { id: 4, name: 'MODE_30W_6CORE', budgetW: 30, onlineCpus: 6, cpuMaxMhz: 1450, gpuMaxMhz: 900 },
      { id: 5, name: 'MODE_30W_4CORE', budgetW: 30, onlineCpus: 4, cpuMaxMhz: 1780, gpuMaxMhz: 900 },
      { id: 6, name: 'MODE_30W_2CORE', budgetW: 30, onlineCpus: 2, cpuMaxMhz: 2100, gpuMaxMhz: 900 },
    ],
    defaultId: 2,
  },
  // No VDD_IN on Xavier: the total is the sum of the rails (jtop's rule, jetson-facts.md §2.2).
  // Idle from the reference lines (sum 3.3 W .. 7.7 W).
  rails: [
    { name: 'GPU', idleMw: 0, cpuMw: 0, gpuMw: 16000 },
    { name: 'CPU', idleMw: 310, cpuMw: 11000, gpuMw: 0 },
    { name: 'SOC', idleMw: 930, cpuMw: 1500, gpuMw: 2000 },
    { name: 'CV', idleMw: 0, cpuMw: 0, gpuMw: 0 },
    { name: 'VDDRQ', idleMw: 620, cpuMw: 1500, gpuMw: 2500 },
    { name: 'SYS5V', idleMw: 1480, cpuMw: 1200, gpuMw: 1200 },
  ],
  powerMonitors: [
    { address: '1-0040', rails: ['GPU', 'CPU', 'SOC'] },
    { address: '1-0041', rails: ['CV', 'VDDRQ', 'SYS5V'] },
  ],
  thermalZones: ['AO', 'GPU', 'Tdiode', 'PMIC', 'AUX', 'CPU', 'thermal', 'Tboard'],
  tegrastats: {
    timestamp: false,
    swap: true,
    iram: false,
    emc: 'scalar',
    gpu: 'scalar',
    gpcCount: 1,
    engines: [{ name: 'APE', mhz: 150 }],
    mts: true,
    railUnit: 'bare',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine:
    'RAM 721/31927MB (lfb 7291x4MB) SWAP 0/15963MB (cached 0MB) CPU [2%@1190,0%@1190,0%@1190,0%@1190,off,off,off,off] EMC_FREQ 0%@665 GR3D_FREQ 0%@318 APE 150 MTS fg 0% bg 0% AO@37.5C GPU@37.5C Tdiode@40C PMIC@100C AUX@36C CPU@37.5C thermal@36.9C Tboard@37C GPU 0/0 CPU 311/311 SOC 932/932 CV 0/0 VDDRQ 621/621 SYS5V 1482/1482',
  sources: [
    'Reference line: DataDog/datadog-agent:pkg/collector/corechecks/nvidia/jetson/jetson_test.go (agXSample, commit a50b634c), in test/fixtures/tegrastats-real.jsonl',
    'Second idle line: https://github.com/martinkersner/gtop/pull/7',
    ...l4t3271T186.sources,
  ],
  missing: [
    'The reference line does not state its release (a gtop commenter used JetPack 4.2); we pair it with L4T 32.7.1.',
    "Per-mode CPU/GPU clocks are NVIDIA's published table as recalled, not in the reference.",
    'INA3221 bus addresses and channel order (1-0040 / 1-0041) are not in the reference.',
    'Full-load rail figures are estimates (MAXN ≈ 40 W at full CPU+GPU), not measured.',
    ...l4t3271T186.missing,
  ],
};
