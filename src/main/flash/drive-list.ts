/**
 * The drives of this computer an SD image can go to. Linux: `lsblk --json`
 * through the local link, read by src/shared/flash/drives.ts (drivelist's
 * Linux source, reference §3.2; listing needs no administrator rights).
 * macOS (diskutil) and Windows (PowerShell Get-Disk) are not built yet, and
 * say so rather than show an empty list.
 */
import type { BoardLink } from '../../shared/board-link.ts';
import type { Drive } from '../../shared/flash/contract.ts';
import type { DriveListOptions } from '../../shared/flash/drives.ts';
import { drivesFromLsblk, isUnknownLsblkColumn, lsblkArgv } from '../../shared/flash/drives.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

const lsblkTimeoutMs = 15_000;

export async function listDrives(
  link: BoardLink,
  options: DriveListOptions,
  platform: NodeJS.Platform = process.platform,
): Promise<Drive[]> {
  if (platform !== 'linux') {
    const missing =
      platform === 'darwin'
        ? 'the macOS drive list (diskutil) is'
        : platform === 'win32'
          ? 'the Windows drive list (PowerShell Get-Disk) is'
          : 'a drive list for this system is';
    throw new WorkbenchFailure('unsupported', `Writing SD cards works on Linux for now: ${missing} not built yet.`, platform);
  }
  let result = await link.exec(lsblkArgv(), { timeoutMs: lsblkTimeoutMs });
  // util-linux before 2.37 (Ubuntu 20.04) has MOUNTPOINT only.
  if (result.code !== 0 && isUnknownLsblkColumn(result.stderr))
    result = await link.exec(lsblkArgv({ legacy: true }), { timeoutMs: lsblkTimeoutMs });
  if (result.code !== 0)
    throw new WorkbenchFailure('unavailable', 'The drive list could not be read (lsblk failed).', result.stderr.trim());
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    throw new WorkbenchFailure(
      'internal',
      'The drive list could not be read: lsblk printed something that is not JSON.',
      result.stdout.slice(0, 200),
    );
  }
  return drivesFromLsblk(json, options);
}
