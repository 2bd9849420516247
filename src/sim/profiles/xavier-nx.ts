import type { SimProfile } from '../model.ts';
import { l4t3541, releaseFields, unameFor } from './releases.ts';

const hostname = 'xavier-nx';

/** Jetson Xavier NX devkit on L4T 35.4.1 / JetPack 5.1.2 (the reference line's release). */
export const xavierNx: SimProfile = {
  id: 'xavier-nx',
  name: 'Jetson Xavier NX',
  kind: 'jetson',
  model: 'NVIDIA Jetson Xavier NX Developer Kit',
  ...releaseFields(l4t3541),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3541),
  cpu: { cores: 6, maxMhz: 1900, idleMhz: 1190 },
  memory: { ramMb: 6851, swapMb: 3426 },
  disk: { totalGb: 58, freeGb: 35 },
  gpuMhz: { idle: 114, max: 1100 },
  emcMhz: { idle: 204, max: 1866 },
  nvpmodel: {
    // Names by release and order: borongyuan/XavierNXOverclock confs (JP4.6/JP5 add MODE_10W_DESKTOP
    // and MODE_20W_*), with the stock IDs starting at MODE_15W_2CORE = 0 and DEFAULT=2 as in
    // the NVIDIA MLPerf template / JS fixture cited in jetson-facts.md §2.6.
    modes: [
      { id: 0, name: 'MODE_15W_2CORE', budgetW: 15, onlineCpus: 2, cpuMaxMhz: 1900, gpuMaxMhz: 1100 },
      { id: 1, name: 'MODE_15W_4CORE', budgetW: 15, onlineCpus: 4, cpuMaxMhz: 1400, gpuMaxMhz: 1100 },
      { id: 2, name: 'MODE_15W_6CORE', budgetW: 15, onlineCpus: 6, cpuMaxMhz: 1400, gpuMaxMhz: 1100 },
      { id: 3, name: 'MODE_10W_2CORE', budgetW: 10, onlineCpus: 2, cpuMaxMhz: 1500, gpuMaxMhz: 800 },
      { id: 4, name: 'MODE_10W_4CORE', budgetW: 10, onlineCpus: 4, cpuMaxMhz: 1200, gpuMaxMhz: 800 },
      { id: 5, name: 'MODE_10W_DESKTOP', budgetW: 10, onlineCpus: 4, cpuMaxMhz: 1200, gpuMaxMhz: 800 },
      { id: 6, name: 'MODE_20W_2CORE', budgetW: 20, onlineCpus: 2, cpuMaxMhz: 1900, gpuMaxMhz: 1100 },
      { id: 7, name: 'MODE_20W_4CORE', budgetW: 20, onlineCpus: 4, cpuMaxMhz: 1900, gpuMaxMhz: 1100 },
      { id: 8, name: 'MODE_20W_6CORE', budgetW: 20, onlineCpus: 6, cpuMaxMhz: 1400, gpuMaxMhz: 1100 },
    ],
    defaultId: 2,
  },
  // Idle from the reference line (VDD_IN 2763, VDD_CPU_GPU_CV 650, VDD_SOC 650). VDD_IN is the
  // module's global input (NVIDIA forum thread 200883, jetson-facts.md §2.2).
  rails: [
    { name: 'VDD_IN', idleMw: 2700, cpuMw: 7500, gpuMw: 9000, total: true },
    { name: 'VDD_CPU_GPU_CV', idleMw: 650, cpuMw: 5500, gpuMw: 6500 },
    { name: 'VDD_SOC', idleMw: 650, cpuMw: 600, gpuMw: 900 },
  ],
  // jetson-facts.md §2.2: Xavier NX JP5 hwmon at /sys/bus/i2c/devices/7-0040/hwmon/hwmon4.
  powerMonitors: [{ address: '7-0040', rails: ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC'] }],
  thermalZones: ['AUX', 'CPU', 'thermal', 'AO', 'GPU', 'PMIC'],
  tegrastats: {
    timestamp: true,
    swap: true,
    iram: false,
    emc: 'scalar',
    gpu: 'array',
    gpcCount: 1,
    engines: [
      { name: 'VIC_FREQ', mhz: 115 },
      { name: 'APE', mhz: 150 },
    ],
    mts: false,
    railUnit: 'mW',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine:
    '07-09-2024 13:31:31 RAM 3168/6851MB (lfb 2x4MB) SWAP 161/3426MB (cached 0MB) CPU [23%@1397,17%@1192,16%@1190,13%@1190,23%@1190,10%@1190] EMC_FREQ 2%@204 GR3D_FREQ 0%@[114] VIC_FREQ 115 APE 150 AUX@45C CPU@46.5C thermal@45.6C AO@45C GPU@45.5C PMIC@50C VDD_IN 2763mW/2846mW VDD_CPU_GPU_CV 650mW/670mW VDD_SOC 650mW/711mW',
  sources: [
    'Reference line: waggle-sensor/jetson-exporter:tegrastats_test.go (TestParseTegraStatsXavierNXJetPack512), in test/fixtures/tegrastats-real.jsonl',
    'nvpmodel names: borongyuan/XavierNXOverclock (jetson-facts.md §2.6)',
    ...l4t3541.sources,
  ],
  missing: [
    "The exact Xavier NX devkit model string is not in the reference (jetson-facts.md §3.2); ours is a guess in NVIDIA's style.",
    "Stock nvpmodel IDs, default and per-mode clocks come only from third-party/unattributed sources; clocks are NVIDIA's table as recalled.",
    'Full-load rail figures are estimates, not measured.',
    'Disk size is a placeholder for a 64 GB SD card.',
    ...l4t3541.missing,
  ],
};
