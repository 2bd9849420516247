/**
 * The drives an SD image can go to, read from `lsblk --json --bytes` (Linux):
 * whole disks only, each with what makes it unsafe to erase. drivelist's
 * rules (reference §3.2): removable = rm || hotplug || virtual, and
 * system = !removable && !virtual; balenaEtcher's constraints on top: a drive
 * that holds a system path, a read-only (locked) card, the drive the image
 * itself is on, and a warning over 128 GB. The app's list and the writer's
 * re-check at open both come from here, so they cannot disagree.
 */
import { WorkbenchFailure } from '../errors.ts';
import { largeDriveBytes } from './contract.ts';
import type { Drive, DriveBlocker } from './contract.ts';

/** What we ask lsblk for (util-linux ≥ 2.37, which has MOUNTPOINTS). */
export const lsblkColumns = [
  'NAME',
  'PATH',
  'TYPE',
  'SIZE',
  'RM',
  'HOTPLUG',
  'RO',
  'MOUNTPOINTS',
  'VENDOR',
  'MODEL',
  'TRAN',
  'SUBSYSTEMS',
  'LOG-SEC',
];
/** Older lsblk (Ubuntu 20.04's 2.34) knows only one MOUNTPOINT a device. */
export const legacyLsblkColumns = lsblkColumns.map((column) => (column === 'MOUNTPOINTS' ? 'MOUNTPOINT' : column));

/** `lsblk` for every block device (or one and its partitions), as JSON with sizes in bytes. */
export function lsblkArgv(options: { legacy?: boolean; device?: string } = {}): string[] {
  const columns = options.legacy === true ? legacyLsblkColumns : lsblkColumns;
  return ['lsblk', '--json', '--bytes', '--output', columns.join(','), ...(options.device === undefined ? [] : ['--', options.device])];
}

/** lsblk's error when it predates a column: the caller asks again with `legacy`. */
export function isUnknownLsblkColumn(stderr: string): boolean {
  return /unknown column/i.test(stderr);
}

export interface LsblkDevice {
  name: string;
  path: string;
  type: string;
  /** Null when lsblk has none (no medium in a reader). */
  size: number | null;
  rm: boolean;
  hotplug: boolean;
  ro: boolean;
  mountpoints: string[];
  vendor: string | null;
  model: string | null;
  tran: string | null;
  /** `block:scsi:usb:pci`, `block:mmc:mmc_host:pci`; `block` alone for a device without a bus (loop, zram). */
  subsystems: string | null;
  logicalSectorSize: number | null;
  children: LsblkDevice[];
}

export interface DriveListOptions {
  /** Loop devices and bus-less disks (tests, a lab preparing images). */
  includeVirtual: boolean;
  /** The image files to be written: the drive holding one cannot be the target. */
  sourcePaths?: readonly string[];
  /** The image's size, when known: smaller drives are blocked as `too-small`. */
  imageSize?: number;
}

/** lsblk prints a few dozen devices; these caps only stop a runaway or hostile output. */
const maxDevices = 4096;
const maxDepth = 8;
const maxText = 1024;
const maxMountpoints = 64;

/** Mount roots where a desktop or a person mounts removable media; every other mount belongs to the OS. */
const mediaRoots = ['/media/', '/run/media/', '/mnt/', '/tmp/'];

/**
 * Whether erasing the drive under this mount would break the computer: `/`,
 * `/boot`, `/boot/efi`, `/usr`, `/var`, `/home`, `/etc`, swap, and any other
 * mount that is not removable media (a mount under /srv or /opt is the OS's
 * too). Errs towards refusing: a card mounted elsewhere can be unmounted.
 */
export function isSystemMountpoint(mountpoint: string): boolean {
  if (mountpoint === '[SWAP]') return true;
  if (mountpoint === '/mnt') return false;
  return !mediaRoots.some((root) => mountpoint.startsWith(root) && mountpoint.length > root.length);
}

export function parseLsblk(json: unknown): LsblkDevice[] {
  const top = record(json)?.blockdevices;
  if (!Array.isArray(top)) throw unreadable('no "blockdevices" list');
  const budget = { left: maxDevices };
  return top.map((raw) => readDevice(raw, 0, budget));
}

export function drivesFromLsblk(json: unknown, options: DriveListOptions): Drive[] {
  const devices = parseLsblk(json);
  const names = new Set(devices.map((device) => device.name));
  const sourceOwners = new Set((options.sourcePaths ?? []).map((path) => owningDevice(devices, path)).filter((name) => name !== null));
  const drives: Drive[] = [];
  for (const device of devices) {
    const drive = driveOf(device, names, options, sourceOwners.has(device.name));
    if (drive !== null) drives.push(drive);
  }
  return drives;
}

/** Binary units under the names people read on card packs and file managers (a 64 GB card shows 59.5 GB). */
export function formatDriveSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function driveOf(device: LsblkDevice, names: ReadonlySet<string>, options: DriveListOptions, holdsSource: boolean): Drive | null {
  if (!isWholeDrive(device)) return null;
  // No medium (an empty card reader) or a size lsblk cannot give: nothing to write to (etcher-sdk's scanner skips these too).
  if (device.size === null || device.size === 0) return null;
  const virtual = device.type === 'loop' || device.subsystems === 'block';
  if (virtual && !options.includeVirtual) return null;
  const removable = device.rm || device.hotplug || virtual || isSdCard(device, names);
  const system = !removable && !virtual;
  const mountpoints = [...new Set(allMountpoints(device))];
  const blockers: DriveBlocker[] = [];
  if (system) blockers.push('system');
  if (mountpoints.some(isSystemMountpoint)) blockers.push('holds-system-path');
  if (device.ro) blockers.push('read-only');
  if (options.imageSize !== undefined && device.size < options.imageSize) blockers.push('too-small');
  if (holdsSource) blockers.push('source-drive');
  return {
    device: device.path,
    description: `${driveName(device)} ${formatDriveSize(device.size)}`,
    size: device.size,
    removable,
    virtual,
    readOnly: device.ro,
    mountpoints,
    busType: device.tran?.toUpperCase() ?? (device.subsystems?.includes('mmc') === true ? 'SD' : null),
    blockers,
    large: device.size > largeDriveBytes,
  };
}

/** A disk or a loop device; not RAM disks, zram swap, CD drives, nor an eMMC's boot and RPMB areas. */
function isWholeDrive(device: LsblkDevice): boolean {
  if (device.type !== 'disk' && device.type !== 'loop') return false;
  return !/^(z?ram\d+|mmcblk\d+(boot\d+|rpmb))$/.test(device.name);
}

/**
 * A card in an internal PCIe/SDHCI slot reports rm = 0, so drivelist calls it
 * a system drive and the student cannot pick it (drivelist#241, reference
 * §3.2/§3.4). An eMMC on the same bus has boot areas (`mmcblk0boot0`); an SD
 * card never has, so an mmc disk without them is a removable card.
 */
function isSdCard(device: LsblkDevice, names: ReadonlySet<string>): boolean {
  return device.subsystems?.split(':').includes('mmc') === true && !names.has(`${device.name}boot0`);
}

function allMountpoints(device: LsblkDevice): string[] {
  return [...device.mountpoints, ...device.children.flatMap(allMountpoints)];
}

/** The top-level device whose mount holds `path` (the longest mount that is a folder above it), or null. */
function owningDevice(devices: readonly LsblkDevice[], path: string): string | null {
  let best: { name: string; length: number } | null = null;
  for (const device of devices) {
    for (const mountpoint of allMountpoints(device)) {
      const inside = mountpoint === '/' || path === mountpoint || path.startsWith(`${mountpoint}/`);
      if (inside && mountpoint.startsWith('/') && (best === null || mountpoint.length > best.length)) {
        best = { name: device.name, length: mountpoint.length };
      }
    }
  }
  return best?.name ?? null;
}

/** `SanDisk Ultra`, `Samsung SSD 970 EVO Plus 1TB`; a bus id (`0x1af4`) or `ATA` says nothing to a student. */
function driveName(device: LsblkDevice): string {
  const clean = (text: string | null): string => (text ?? '').replaceAll('_', ' ').replace(/\s+/g, ' ').trim();
  const vendor = clean(device.vendor).replace(/^(ATA|0x[0-9a-f]+)$/i, '');
  const model = clean(device.model);
  const name = model.toLowerCase().startsWith(vendor.toLowerCase()) ? model : `${vendor} ${model}`.trim();
  if (name !== '') return name;
  if (device.type === 'loop') return 'Loop device';
  if (device.subsystems?.includes('mmc') === true) return 'SD/MMC card';
  return device.name;
}

function readDevice(raw: unknown, depth: number, budget: { left: number }): LsblkDevice {
  budget.left -= 1;
  if (budget.left < 0) throw unreadable(`more than ${maxDevices} devices`);
  if (depth > maxDepth) throw unreadable(`devices nested deeper than ${maxDepth}`);
  const fields = record(raw);
  if (fields === null) throw unreadable('a device that is not an object');
  const name = text(fields.name);
  const type = text(fields.type);
  if (name === null || type === null) throw unreadable('a device without a name or type');
  const children = Array.isArray(fields.children) ? fields.children : [];
  return {
    name,
    path: text(fields.path) ?? `/dev/${name}`,
    type,
    size: count(fields.size),
    rm: flag(fields.rm),
    hotplug: flag(fields.hotplug),
    ro: flag(fields.ro),
    mountpoints: mountpointsOf(fields),
    vendor: text(fields.vendor),
    model: text(fields.model),
    tran: text(fields.tran),
    subsystems: text(fields.subsystems),
    logicalSectorSize: count(fields['log-sec']),
    children: children.map((child) => readDevice(child, depth + 1, budget)),
  };
}

/** `mountpoints` (a list with nulls for "not mounted") or the older single `mountpoint`. */
function mountpointsOf(fields: Record<string, unknown>): string[] {
  const list = Array.isArray(fields.mountpoints) ? fields.mountpoints : [fields.mountpoint];
  if (list.length > maxMountpoints) throw unreadable(`a device with more than ${maxMountpoints} mount points`);
  return list.map(text).filter((mountpoint) => mountpoint !== null);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.length > maxText) throw unreadable(`a value longer than ${maxText} characters`);
  return value.trim() === '' ? null : value;
}

/** lsblk before 2.33 printed every value as a string: `"1"`, `"0"`, `"63864569856"`. */
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function count(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d{1,17}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

function unreadable(what: string): WorkbenchFailure {
  return new WorkbenchFailure('internal', 'The drive list could not be read from lsblk.', `lsblk --json printed ${what}.`);
}
