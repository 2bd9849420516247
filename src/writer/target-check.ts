/**
 * The writer's own look at the drive, right before it opens it: whatever the
 * app's list said a minute ago, the device must now be a whole block device
 * that lsblk calls removable and not a system drive, that holds no system
 * mount (reference §3.2's drive constraints), that is not the disk under `/`
 * (checked through the kernel's device numbers too, for a root lsblk cannot
 * see, such as an overlay), that does not hold the image, and whose size is
 * the one the student saw. Then its mounted partitions are unmounted.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Drive } from '../shared/flash/contract.ts';
import { drivesFromLsblk, isUnknownLsblkColumn, lsblkArgv } from '../shared/flash/drives.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { runProgram } from './run-program.ts';

export interface CheckedTarget {
  /** The real node (`/dev/sdb`), symlinks such as /dev/disk/by-id resolved. */
  device: string;
  size: number;
  /** The device number the open must find again. */
  rdev: number;
  sectorBytes: number;
  /** Mounts of the drive and its partitions, to unmount before writing. */
  mountpoints: string[];
}

const lsblkLimitBytes = 8 * 1024 * 1024;

export async function checkTarget(device: string, expectedSize: number, imagePath: string | null): Promise<CheckedTarget> {
  const path = await realpath(device).catch(() => {
    throw new WorkbenchFailure('not-found', `${device} is not connected any more: refresh the drive list.`);
  });
  const node = await stat(path);
  if (!path.startsWith('/dev/') || !node.isBlockDevice()) throw new WorkbenchFailure('forbidden', `${device} is not a drive.`);
  const number = deviceNumber(node.rdev);
  if (await isPartition(number)) throw new WorkbenchFailure('forbidden', `${device} is a partition: choose the whole drive it is on.`);
  if (number === (await rootDiskNumber())) throw systemDrive(device, 'it is the disk this computer runs from (/)');
  const sourcePaths = imagePath === null ? [] : [await realpath(imagePath).catch(() => imagePath)];
  const json = await lsblkJson();
  const drive = drivesFromLsblk(json, { includeVirtual: true, sourcePaths }).find((candidate) => candidate.device === path);
  if (drive === undefined)
    throw new WorkbenchFailure('forbidden', `${device} is not a drive the writer may erase (lsblk does not list it as a disk).`);
  refuseBlocked(device, drive);
  if (drive.size !== expectedSize) {
    throw new WorkbenchFailure(
      'conflict',
      `${device} is not the drive you chose: it holds ${drive.size} bytes, not ${expectedSize}. Refresh the drive list and choose again.`,
    );
  }
  const sectorBytes = await logicalSectorBytes(number);
  return { device: path, size: drive.size, rdev: node.rdev, sectorBytes, mountpoints: drive.mountpoints };
}

/** Unmounts what the drive has mounted, innermost first; a mount that stays is the failure. */
export async function unmountAll(target: CheckedTarget, log: (line: string) => void): Promise<void> {
  const mounts = [...target.mountpoints].filter((mount) => mount.startsWith('/')).sort((a, b) => b.length - a.length);
  for (const mountpoint of mounts) {
    const result = await runProgram(['umount', '--', mountpoint]);
    if (result.code !== 0) {
      throw new WorkbenchFailure(
        'conflict',
        `${mountpoint} on ${target.device} cannot be unmounted: a program is using it. Close it (a file manager window, a terminal in that folder) and try again.`,
        result.stderr.trim(),
      );
    }
    log(`Unmounted ${mountpoint}`);
  }
}

/** Every block device as lsblk JSON; an older lsblk without MOUNTPOINTS is asked again in its words. */
export async function lsblkJson(device?: string): Promise<unknown> {
  let result = await runProgram(lsblkArgv(device === undefined ? {} : { device }));
  if (result.code !== 0 && isUnknownLsblkColumn(result.stderr))
    result = await runProgram(lsblkArgv({ legacy: true, ...(device === undefined ? {} : { device }) }));
  if (result.code !== 0) throw new WorkbenchFailure('internal', 'lsblk could not list the drives.', result.stderr.trim());
  if (result.stdout.length > lsblkLimitBytes) throw new WorkbenchFailure('internal', 'lsblk printed more than 8 MiB.');
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new WorkbenchFailure('internal', 'lsblk printed something that is not JSON.');
  }
}

function refuseBlocked(device: string, drive: Drive): void {
  if (drive.blockers.includes('system')) throw systemDrive(device, 'it is a fixed disk of this computer, not removable');
  if (drive.blockers.includes('holds-system-path')) {
    throw systemDrive(device, `it holds a mount of this computer's system (${drive.mountpoints.join(', ')})`);
  }
  if (drive.blockers.includes('read-only')) {
    throw new WorkbenchFailure(
      'forbidden',
      `${device} is write-protected: slide the lock switch on the card (or its adapter) away from "Lock".`,
    );
  }
  if (drive.blockers.includes('source-drive'))
    throw new WorkbenchFailure('forbidden', `${device} holds the image itself: copy the image to another drive first.`);
}

function systemDrive(device: string, why: string): WorkbenchFailure {
  return new WorkbenchFailure('forbidden', `${device} is one of this computer's system drives (${why}): the writer never erases one.`);
}

/** `major:minor` of a device number, as /sys/dev/block names it (Linux's dev_t layout). */
function deviceNumber(dev: number): string {
  const high = Math.floor(dev / 2 ** 32);
  const low = dev % 2 ** 32;
  const major = ((low >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0);
  const minor = (low & 0xff) | ((low >>> 12) & 0xfff00);
  return `${major}:${minor}`;
}

async function isPartition(number: string): Promise<boolean> {
  return stat(join('/sys/dev/block', number, 'partition')).then(
    () => true,
    () => false,
  );
}

/** The whole disk under `/`, or null when `/` is not on a block device (an overlay, tmpfs, btrfs subvolume). */
async function rootDiskNumber(): Promise<string | null> {
  const number = deviceNumber((await stat('/')).dev);
  const sysfs = await realpath(join('/sys/dev/block', number)).catch(() => null);
  if (sysfs === null) return null;
  if (!(await isPartition(number))) return number;
  return (await readFile(join(sysfs, '..', 'dev'), 'utf8')).trim();
}

async function logicalSectorBytes(number: string): Promise<number> {
  const text = await readFile(join('/sys/dev/block', number, 'queue', 'logical_block_size'), 'utf8').catch(() => '512');
  const bytes = Number(text.trim());
  return Number.isSafeInteger(bytes) && bytes >= 512 && bytes <= 65536 ? bytes : 512;
}
