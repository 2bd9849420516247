/**
 * First boot on the card just written: NVIDIA's SD images have no supported
 * injection point, so the writer mounts the ext4 root filesystem (the
 * partition named APP on Jetson images, reference §3.3 "Jetson equivalent")
 * on a private folder and lets rootfs-config.ts set the user, key, hostname,
 * Wi-Fi, locale and time zone. The mount is nosuid, nodev, noexec and
 * nosymfollow: the image came from the internet, and a symlink in it such as
 * etc/hostname → /etc/shadow must not make a root process write this
 * computer's files.
 */
import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FirstBootConfig } from '../shared/flash/first-boot.ts';
import { parseLsblk } from '../shared/flash/drives.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { applyFirstBoot } from './rootfs-config.ts';
import { runChecked, runProgram } from './run-program.ts';
import { lsblkJson } from './target-check.ts';

export interface RootPartition {
  path: string;
  size: number;
  label: string | null;
  partitionName: string | null;
}

const partitionWaitMs = 10_000;

export async function configureCard(device: string, config: FirstBootConfig, log: (line: string) => void): Promise<string[]> {
  await rereadPartitions(device);
  const partition = await findRootPartition(device);
  log(`Root filesystem: ${partition.path} (${partition.partitionName ?? partition.label ?? 'the largest ext4 partition'})`);
  const folder = await mkdtemp(join(tmpdir(), 'jwb-rootfs-'));
  try {
    await runChecked(
      ['mount', '-t', 'ext4', '-o', 'nosuid,nodev,noexec,nosymfollow', '--', partition.path, folder],
      `${partition.path} could not be mounted.`,
    );
    try {
      const files = await applyFirstBoot(folder, config);
      for (const file of files) log(`Changed ${file}`);
      await runProgram(['sync', '--file-system', folder]);
      return files;
    } finally {
      await runChecked(['umount', '--', folder], `${folder} could not be unmounted; unmount it before removing the card.`);
    }
  } finally {
    await rmdir(folder).catch(() => undefined);
  }
}

/**
 * Makes the kernel list the partitions just written: BLKRRPART
 * (`blockdev --rereadpt`), then `partx -u`, which adds them from user space
 * on a kernel that cannot parse the table itself (a minimal VM kernel without
 * GPT support, as on our CI) and changes nothing where BLKRRPART already did.
 */
async function rereadPartitions(device: string): Promise<void> {
  await runProgram(['blockdev', '--rereadpt', device]);
  await runProgram(['partx', '--update', device]);
  await runProgram(['udevadm', 'settle', '--timeout=10']).catch(() => undefined);
}

/** The ext4 partition named (or labelled) APP, else the largest ext4 one. */
export async function findRootPartition(device: string): Promise<RootPartition> {
  const [disk] = parseLsblk(await lsblkJson(device));
  const partitions = (disk?.children ?? []).filter((child) => child.type === 'part');
  const candidates: RootPartition[] = [];
  for (const partition of partitions) {
    await waitForNode(partition.path);
    // blkid -p reads the disk itself: lsblk's LABEL and FSTYPE come from udev, which may not have run yet (or at all).
    const probe = await runProgram(['blkid', '--probe', '--output', 'export', '--', partition.path]);
    const fields = new Map(probe.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    if (fields.get('TYPE') !== 'ext4') continue;
    candidates.push({
      path: partition.path,
      size: partition.size ?? 0,
      label: fields.get('LABEL') ?? null,
      partitionName: fields.get('PART_ENTRY_NAME') ?? null,
    });
  }
  const named = candidates.find((candidate) => candidate.partitionName === 'APP' || candidate.label === 'APP');
  const largest = [...candidates].sort((a, b) => b.size - a.size)[0];
  const root = named ?? largest;
  if (root === undefined) {
    throw new WorkbenchFailure(
      'not-found',
      `${device} has no ext4 root filesystem after writing: is the image a Jetson SD card image? It was written; only the first-boot setup was skipped.`,
    );
  }
  return root;
}

/** udev creates partition nodes a moment after the kernel learns of them. */
async function waitForNode(path: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < partitionWaitMs; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (
      await stat(path).then(
        (node) => node.isBlockDevice(),
        () => false,
      )
    )
      return;
  }
  throw new WorkbenchFailure(
    'unavailable',
    `${path} did not appear after re-reading the partition table: remove and insert the card, then try again.`,
  );
}
