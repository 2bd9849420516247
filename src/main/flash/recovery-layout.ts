/**
 * What the recovery flasher reads from the Linux_for_Tegra folder itself:
 * the release (`nv_tegra/bsp_version`, or `rootfs/etc/nv_tegra_release`),
 * and how many partitions the flash writes, the denominator of its progress
 * (flashing-and-installing.md §2.6 c): the layout a board config's
 * `EMMC_CFG` names (NVIDIA's Orin confs set it in a `source`d
 * `p37xx.conf.common`), or the two layouts the NVMe command passes (§2.2).
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Devkit } from '../../shared/flash/contract.ts';
import { initrdLayout } from '../../shared/flash/devkits.ts';
import { countPartitions } from '../../shared/flash/flash-log.ts';
import { parseL4tRelease, type L4tRelease } from './host-checks.ts';

type Target = Devkit['targets'][number];

/** Board configs are a few KiB; layouts a few hundred. */
const confLimit = 256 * 1024;
const layoutLimit = 4 * 1024 * 1024;
/** Folders of bootloader/ where layouts live: t210ref (TX1, Nano), t186ref (TX2 … Orin in R35), generic (R36). */
const layoutFolders = ['bootloader/t186ref/cfg', 'bootloader/t210ref/cfg', 'bootloader/generic/cfg', 'bootloader'];

/** The first `limit` bytes of a file as text, or null when it cannot be read. */
export async function readBounded(path: string, limit: number): Promise<string | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return null;
  try {
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

export async function readL4tRelease(l4tDir: string): Promise<L4tRelease | null> {
  const bsp = parseL4tRelease((await readBounded(join(l4tDir, 'nv_tegra/bsp_version'), confLimit)) ?? '');
  if (bsp !== null) return bsp;
  // jetson-facts.md §3.4: `# R35 (release), REVISION: 4.1, …`.
  const line = /^# R(\d+) \(release\), REVISION: (\d+)\.(\d+)/.exec(
    (await readBounded(join(l4tDir, 'rootfs/etc/nv_tegra_release'), 4096)) ?? '',
  );
  return line === null ? null : { major: Number(line[1]), minor: Number(line[2]), patch: Number(line[3]) };
}

/** A plain file name of the folder: a value with a path, a variable or a quote in it is not followed. */
function plainName(name: string | undefined): string | undefined {
  return name !== undefined && /^[\w.+-]+$/.test(name) && !name.startsWith('.') ? name : undefined;
}

/** `EMMC_CFG=<layout>.xml` of a board config, following `source "${LDK_DIR}/x.conf.common"` two levels deep. */
async function emmcLayoutName(l4tDir: string, confName: string, depth = 0): Promise<string | undefined> {
  const text = await readBounded(join(l4tDir, confName), confLimit);
  if (text === null) return undefined;
  const direct = plainName(/^\s*EMMC_CFG=["']?([^"';\s]+)/m.exec(text)?.[1]);
  if (direct !== undefined || depth >= 2) return direct;
  for (const match of text.matchAll(/^\s*(?:source|\.)\s+["']?\$\{?LDK_DIR\}?\/([^"';\s]+)/gm)) {
    const sourced = plainName(match[1]);
    const found = sourced === undefined ? undefined : await emmcLayoutName(l4tDir, sourced, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

async function partitionsIn(path: string): Promise<number | null> {
  const text = await readBounded(path, layoutLimit);
  return text === null ? null : countPartitions(text);
}

/** Partitions the flash of this target writes, or null when the layout cannot be found. */
export async function layoutPartitionTotal(l4tDir: string, target: Target, l4tMajor: number | undefined): Promise<number | null> {
  if (target.script === 'l4t_initrd_flash.sh') {
    const layout = initrdLayout(l4tMajor);
    const [external, qspi] = await Promise.all([
      partitionsIn(join(l4tDir, layout.externalXml)),
      partitionsIn(join(l4tDir, layout.qspiConfig)),
    ]);
    return external === null || qspi === null ? null : external + qspi;
  }
  const name = await emmcLayoutName(l4tDir, `${target.boardConfig}.conf`);
  if (name === undefined) return null;
  for (const folder of layoutFolders) {
    const count = await partitionsIn(join(l4tDir, folder, name));
    if (count !== null) return count;
  }
  return null;
}
