/**
 * A simulated `Linux_for_Tegra` folder: bash `flash.sh`,
 * `tools/kernel_flash/l4t_initrd_flash.sh`, `tools/l4t_create_default_user.sh`
 * and `tools/l4t_flash_prerequisites.sh` that print NVIDIA's log shapes
 * (flashing-and-installing.md §2.1–§2.6, §4.2) against a fake sysfs, the board
 * configs of the devkits the release supports, their layout XMLs, `rootfs/`
 * and `nv_tegra/bsp_version`. On success the scripts turn the fake APX device
 * into a booted board's 0955:7020 gadget (or, with boardBoots false, remove
 * it: the §2.6 k false positive) and write `.jwb-sim/flashed.json`.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { devkits, initrdLayout } from '../../shared/flash/devkits.ts';
import type { Devkit } from '../../shared/flash/contract.ts';
import { recoveryProducts, supervisorProductIds } from '../../shared/usb-ids.ts';
import { l4t3271T210, l4t3541, l4t3647 } from '../profiles/releases.ts';
import { layoutDevices, layoutXml, t234Qspi, t234Rootfs, type Chip } from './layouts.ts';
import { writeRootfs, type RootfsFacts } from './rootfs.ts';
import { createDefaultUserSh, prerequisitesSh } from './scripts/create-default-user-sh.ts';
import { flashSh } from './scripts/flash-sh.ts';
import { initrdFlashSh } from './scripts/initrd-flash-sh.ts';
import { libSh } from './scripts/lib-sh.ts';

export type SimulatedRelease = 'R32.7.1' | 'R35.4.1' | 'R36.4.3' | 'R36.4.7';
export type SimulatedOutcome = 'success' | 'no-device' | 'bootrom-failure' | 'usb-timeout';

export interface SimulatedL4tOptions {
  release: SimulatedRelease;
  /** The fake `/sys/bus/usb/devices` the scripts scan and change (createRecoveryBoard writes a board there). */
  usbDevicesFolder: string;
  /** How the next flash ends; default success. */
  outcome?: SimulatedOutcome;
  /** 1 is a demo's pace (a flash takes seconds); tests use 10–50. */
  speed?: number;
  /** False: after a "successful" flash the board never starts Linux and drops off USB (§2.6 k). Default true. */
  boardBoots?: boolean;
}

export interface SimulatedL4t {
  dir: string;
  release: SimulatedRelease;
  /** The board configs (`<name>.conf`) the folder holds. */
  boardConfigs: string[];
  /** Written by a successful flash. */
  flashedFile: string;
}

interface ChipFacts {
  chip: Chip;
  id: string;
  soc: string;
}

const chipOfProduct: Readonly<Record<string, ChipFacts>> = {
  '7721': { chip: 't210', id: '0x21', soc: 'Tegra 210' },
  '7f21': { chip: 't210', id: '0x21', soc: 'Tegra 210' },
  '7c18': { chip: 't186', id: '0x18', soc: 'Tegra 186' },
  '7418': { chip: 't186', id: '0x18', soc: 'Tegra 186' },
  '7018': { chip: 't186', id: '0x18', soc: 'Tegra 186' },
  '7019': { chip: 't194', id: '0x19', soc: 'Tegra 194' },
  '7e19': { chip: 't194', id: '0x19', soc: 'Tegra 194' },
};
const orin: ChipFacts = { chip: 't234', id: '0x23', soc: 'Tegra 234' };

/** Which chips a release's BSP flashes: R32 up to Xavier, R35 Xavier and Orin, R36 Orin only. */
const chipsOf: Readonly<Record<SimulatedRelease, readonly Chip[]>> = {
  'R32.7.1': ['t210', 't186', 't194'],
  'R35.4.1': ['t194', 't234'],
  'R36.4.3': ['t234'],
  'R36.4.7': ['t234'],
};

// R32 ships two BSPs (t210 and t186); the simulated folder holds both kinds of board with the t210 release line.
// R36.4.3's line is R36.4.7's with its revision (GCID and date are placeholders).
function rootfsFacts(release: SimulatedRelease): RootfsFacts {
  const facts = release === 'R32.7.1' ? l4t3271T210 : release === 'R35.4.1' ? l4t3541 : l4t3647;
  const line = facts.nvTegraRelease ?? '';
  return { ubuntu: facts.ubuntu, nvTegraRelease: release === 'R36.4.3' ? line.replace('REVISION: 4.7', 'REVISION: 4.3') : line };
}

function chipOf(devkit: Devkit): ChipFacts {
  const first = devkit.recoveryProductIds[0] ?? '';
  return chipOfProduct[first] ?? orin;
}

export async function createSimulatedL4t(dir: string, options: SimulatedL4tOptions): Promise<SimulatedL4t> {
  const [branch, major, minor] = options.release.slice(1).split('.');
  const r36 = Number(branch) >= 36;
  await writeExecutable(join(dir, 'flash.sh'), flashSh);
  await writeExecutable(join(dir, 'tools/kernel_flash/l4t_initrd_flash.sh'), initrdFlashSh);
  await writeExecutable(join(dir, 'tools/l4t_create_default_user.sh'), createDefaultUserSh);
  await writeExecutable(join(dir, 'tools/l4t_flash_prerequisites.sh'), prerequisitesSh);
  await writeText(
    join(dir, 'nv_tegra/bsp_version'),
    `# Simulated by Jetson Workbench\nBSP_BRANCH=${branch}\nBSP_MAJOR=${major}\nBSP_MINOR=${minor}\n`,
  );
  await mkdir(join(dir, 'nv_tegra/l4t_deb_packages'), { recursive: true });
  await writeRootfs(join(dir, 'rootfs'), rootfsFacts(options.release));
  const boardConfigs = await writeBoardConfigs(dir, options.release, r36);
  if (chipsOf[options.release].includes('t234')) {
    const nvme = initrdLayout(Number(branch));
    await writeText(join(dir, nvme.qspiConfig), layoutXml([{ type: 'spi', partitions: t234Qspi }]));
    await writeText(join(dir, nvme.externalXml), layoutXml([{ type: 'external', partitions: t234Rootfs }]));
  }
  await writeSimSettings(dir, options);
  return { dir, release: options.release, boardConfigs, flashedFile: join(dir, '.jwb-sim/flashed.json') };
}

/** Changes how the next flash of this folder ends. */
export async function setSimulatedOutcome(dir: string, outcome: SimulatedOutcome): Promise<void> {
  await writeText(join(dir, '.jwb-sim/outcome'), `${outcome}\n`);
}

async function writeSimSettings(dir: string, options: SimulatedL4tOptions): Promise<void> {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('speed must be a positive number');
  const tick = 0.05 / speed;
  const apxIds = Object.keys(recoveryProducts).filter((id) => !supervisorProductIds.has(id));
  if (options.usbDevicesFolder.includes('\n')) throw new Error('The USB devices folder cannot hold a newline');
  await writeText(join(dir, '.jwb-sim/lib.sh'), libSh);
  await writeText(join(dir, '.jwb-sim/usb-devices-folder'), `${options.usbDevicesFolder}\n`);
  await writeText(join(dir, '.jwb-sim/tick-seconds'), `${tick < 0.001 ? '0' : tick.toFixed(3)}\n`);
  await writeText(join(dir, '.jwb-sim/apx-ids'), `${apxIds.join('\n')}\n`);
  await writeText(join(dir, '.jwb-sim/board-boots'), options.boardBoots === false ? 'no\n' : 'yes\n');
  await setSimulatedOutcome(dir, options.outcome ?? 'success');
}

/** One `<board>.conf` per board config of the release's devkits, and the layout XML its EMMC_CFG names. */
async function writeBoardConfigs(dir: string, release: SimulatedRelease, r36: boolean): Promise<string[]> {
  const written = new Set<string>();
  for (const devkit of devkits) {
    const facts = chipOf(devkit);
    if (!chipsOf[release].includes(facts.chip)) continue;
    const boardConfig = devkit.targets[0]?.boardConfig;
    if (boardConfig === undefined || written.has(boardConfig)) continue;
    written.add(boardConfig);
    const storage = devkit.targets.some((target) => target.storage === 'sd') ? 'sd' : 'emmc';
    const cfgDir = facts.chip === 't210' ? 't210ref' : r36 ? 'generic' : 't186ref';
    const layoutName = layoutFileName(facts.chip, storage, devkit.id);
    await writeText(join(dir, 'bootloader', cfgDir, 'cfg', layoutName), layoutXml(layoutDevices(facts.chip, storage)));
    const family = facts.chip === 't210' ? 't210ref' : r36 ? 'generic' : 't186ref';
    const storages = devkit.targets.map((target) => `${target.rootdev}:${target.storage}`).join(' ');
    const conf = boardConf(facts, family, storages, layoutName);
    if (conf.common !== undefined) await writeText(join(dir, conf.common.name), conf.common.text);
    await writeText(join(dir, `${boardConfig}.conf`), conf.text);
  }
  return [...written];
}

function layoutFileName(chip: Chip, storage: 'sd' | 'emmc', devkitId: string): string {
  if (chip === 't234') return devkitId.startsWith('jetson-agx-orin') ? 'flash_t234_qspi_sdmmc.xml' : 'flash_t234_qspi_sd.xml';
  return `flash_l4t_${chip}_${storage === 'sd' ? 'spi_sd' : 'emmc'}.xml`;
}

/** Orin confs take EMMC_CFG from a shared `p37xx.conf.common` through `source`, as NVIDIA's do; the rest set it. */
function boardConf(
  facts: ChipFacts,
  family: string,
  storages: string,
  layoutName: string,
): { text: string; common?: { name: string; text: string } } {
  const header = '# Simulated by Jetson Workbench (src/sim/l4t): the variables flash.sh reads from a board config.\n';
  const sim = `JWB_SIM_CHIP=${facts.id};\nJWB_SIM_SOC="${facts.soc}";\nJWB_SIM_FAMILY=${family};\nJWB_SIM_STORAGES="${storages}";\n`;
  if (facts.chip !== 't234') return { text: `${header}EMMC_CFG=${layoutName};\n${sim}` };
  const name = layoutName === 'flash_t234_qspi_sdmmc.xml' ? 'p3701.conf.common' : 'p3767.conf.common';
  return {
    text: `${header}source "\${LDK_DIR}/${name}";\n${sim}`,
    common: { name, text: `# Simulated by Jetson Workbench\nCHIPID=0x23;\nEMMC_CFG=${layoutName};\n` },
  };
}

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

async function writeExecutable(path: string, text: string): Promise<void> {
  await writeText(path, text);
  await chmod(path, 0o755);
}
