import type { SimProfile } from '../model.ts';
import { l4t3271T210, releaseFields, unameFor } from './releases.ts';

const hostname = 'jetson-tx1';

/** Jetson TX1 on L4T 32.7.1 / JetPack 4.6.1 (the last JetPack for TX1). */
export const tx1: SimProfile = {
  id: 'tx1',
  name: 'Jetson TX1',
  kind: 'jetson',
  // jetson-facts.md §3.2: `jetson_tx1` (TX1 on JetPack 3.2, jetson_stats #48).
  model: 'jetson_tx1',
  ...releaseFields(l4t3271T210),
  hostname,
  arch: 'aarch64',
  uname: unameFor(hostname, l4t3271T210),
  // 1734 MHz top clock: L4T 28.1 line `cpu [..]@1734`; idle 102 MHz from the reference line.
  cpu: { cores: 4, maxMhz: 1734, idleMhz: 102 },
  // The reference line prints no SWAP field: no swap configured on that board.
  memory: { ramMb: 3983, swapMb: 0 },
  disk: { totalGb: 14, freeGb: 3 },
  // GR3D 0%@998 in the L4T 28.1 lines; idle 76 MHz and EMC 408 MHz in the reference line.
  gpuMhz: { idle: 76, max: 998 },
  emcMhz: { idle: 408, max: 1600 },
  nvpmodel: null,
  // Idle from the reference line (VDD_IN 2532, VDD_CPU 76, VDD_GPU 19).
  rails: [
    { name: 'VDD_IN', idleMw: 2500, cpuMw: 5200, gpuMw: 7000, total: true },
    { name: 'VDD_CPU', idleMw: 80, cpuMw: 4200, gpuMw: 0 },
    { name: 'VDD_GPU', idleMw: 20, cpuMw: 0, gpuMw: 5500 },
  ],
  powerMonitors: [{ address: '1-0040', rails: ['VDD_IN', 'VDD_GPU', 'VDD_CPU'] }],
  thermalZones: ['AO', 'CPU', 'GPU', 'PLL', 'Tdiode', 'PMIC', 'Tboard', 'thermal'],
  tegrastats: {
    timestamp: false,
    swap: false,
    iram: true,
    emc: 'scalar',
    gpu: 'scalar',
    gpcCount: 1,
    engines: [{ name: 'APE', mhz: 25 }],
    mts: false,
    railUnit: 'bare',
    printNcRails: false,
    lfbBlockMb: 4,
  },
  referenceLine:
    'RAM 1179/3983MB (lfb 120x4MB) IRAM 0/252kB(lfb 252kB) CPU [1%@102,4%@102,0%@102,0%@102] EMC_FREQ 7%@408 GR3D_FREQ 0%@76 APE 25 AO@42.5C CPU@37.5C GPU@39C PLL@37C Tdiode@42.75C PMIC@100C Tboard@42C thermal@38.5C VDD_IN 2532/2698 VDD_CPU 76/178 VDD_GPU 19/19',
  sources: [
    'Reference line: DataDog/datadog-agent:pkg/collector/corechecks/nvidia/jetson/jetson_test.go (tx1Sample, commit a50b634c), in test/fixtures/tegrastats-real.jsonl',
    'Top clocks: hordiales/jetson-tx1-dev:SCRIPTS.md (L4T 28.1 tegrastats `cpu [..]@1734`, `GR3D 0%@998`)',
    ...l4t3271T210.sources,
  ],
  missing: [
    'The reference line for TX1 with rails is undated (DataDog fixture); its L4T release is not stated. We pair it with L4T 32.7.1.',
    'TX1 has no nvpmodel here: the reference gives no TX1 power modes (nvpmodel arrived with TX2); no budget cap is applied.',
    'The model string on L4T 32.x is not in the reference (`jetson_tx1` is the JetPack 3.2 value).',
    'INA3221 bus address (1-0040) and channel order are not in the reference.',
    'Full-load rail figures are estimates scaled from the idle line, not measured.',
    'Disk size is a placeholder for the 16 GB eMMC.',
    ...l4t3271T210.missing,
  ],
};
