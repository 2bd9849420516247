import type { SimProfile } from '../model.ts';
import { l4t3271T210, releaseFields, unameFor } from './releases.ts';

const hostname = 'jetson-nano';

/** Jetson Nano 4GB devkit on L4T 32.7.1 / JetPack 4.6.1 (the last JetPack for Nano). */
export const nano: SimProfile = {
  id: 'nano',
  name: 'Jetson Nano 4GB',
  kind: 'jetson',
  // jetson-facts.md §3.2: "NVIDIA Jetson Nano Developer Kit" from L4T 32.2 on (jetson_stats #48, #586).
  model: 'NVIDIA Jetson Nano Developer Kit',
  ...releaseFields(l4t3271T210),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3271T210),
  cpu: { cores: 4, maxMhz: 1479, idleMhz: 102 },
  // RAM/SWAP totals from the reference line (waggle-sensor/jetson-exporter, JetPack 4.6.1).
  memory: { ramMb: 3964, swapMb: 1982 },
  disk: { totalGb: 29, freeGb: 14 },
  gpuMhz: { idle: 76, max: 921 },
  emcMhz: { idle: 204, max: 1600 },
  nvpmodel: {
    // jetson-facts.md §2.6: 0 MAXN (the 10 W mode, default), 1 5W (rbonghi/jetson_stats:tests/nvpmodel).
    modes: [
      { id: 0, name: 'MAXN', budgetW: 10, onlineCpus: 4, cpuMaxMhz: 1479, gpuMaxMhz: 921 },
      { id: 1, name: '5W', budgetW: 5, onlineCpus: 2, cpuMaxMhz: 918, gpuMaxMhz: 640 },
    ],
    defaultId: 0,
  },
  // Idle figures from the reference lines (POM_5V_IN 1022..1750, POM_5V_CPU 204..366, GPU 0);
  // the loaded jetson_stats line (30 % CPU @1036 MHz: IN 4520, CPU 1078) fixes the CPU slope;
  // full CPU+GPU then lands on the 10 W mode budget, where the board throttles.
  rails: [
    { name: 'POM_5V_IN', idleMw: 1250, cpuMw: 4200, gpuMw: 5200, total: true },
    { name: 'POM_5V_GPU', idleMw: 0, cpuMw: 0, gpuMw: 3600 },
    { name: 'POM_5V_CPU', idleMw: 220, cpuMw: 3000, gpuMw: 0 },
  ],
  powerMonitors: [{ address: '6-0040', rails: ['POM_5V_IN', 'POM_5V_GPU', 'POM_5V_CPU'] }],
  thermalZones: ['PLL', 'CPU', 'PMIC', 'GPU', 'AO', 'thermal'],
  tegrastats: {
    timestamp: false,
    swap: true,
    iram: true,
    emc: 'scalar',
    gpu: 'scalar',
    gpcCount: 1,
    engines: [{ name: 'APE', mhz: 25 }],
    mts: false,
    railUnit: 'bare',
    printNcRails: false,
    lfbBlockMb: 2,
  },
  referenceLine:
    'RAM 1923/3964MB (lfb 2x2MB) SWAP 191/1982MB (cached 6MB) IRAM 0/252kB(lfb 252kB) CPU [5%@1224,4%@1224,3%@1224,6%@1224] EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 APE 25 PLL@37C CPU@40C PMIC@50C GPU@40C AO@45C thermal@40C POM_5V_IN 1750/1628 POM_5V_GPU 0/0 POM_5V_CPU 366/406',
  sources: [
    'Reference line: waggle-sensor/jetson-exporter:tegrastats_test.go (TestParseTegraStatsXavierNanoJetPack461), in test/fixtures/tegrastats-real.jsonl',
    'Loaded line: rbonghi/jetson_stats:tests/tegrastats (commit d045859a): POM_5V_IN 4520 with CPU 30% @1036',
    'INA3221 iio path 6-0040: https://github.com/rbonghi/jetson_stats/issues/131 (jetson-facts.md §2.2)',
    'nvpmodel modes: rbonghi/jetson_stats:tests/nvpmodel (jetson-facts.md §2.6)',
    ...l4t3271T210.sources,
  ],
  missing: [
    'CPU top clock 1479 MHz, GPU 921 MHz and the 5W mode clocks (918 / 640 MHz) are NVIDIA datasheet figures as recalled; the reference lines show at most 1224 MHz.',
    'Full-load rail figures are extrapolated from the loaded reference line and the 10 W budget, not measured.',
    'Disk size is a placeholder for a 32 GB SD card.',
    'Hostname is chosen at first boot (jetson-facts.md §5); ours is a placeholder.',
    ...l4t3271T210.missing,
  ],
};
