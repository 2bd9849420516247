import { describe, expect, it } from 'vitest';
import { drivesFromLsblk, formatDriveSize, isSystemMountpoint, lsblkArgv, parseLsblk } from './drives.ts';

// Shapes as util-linux 2.38 prints them for `lsblk --json --bytes --output NAME,PATH,TYPE,SIZE,RM,HOTPLUG,RO,
// MOUNTPOINTS,VENDOR,MODEL,TRAN,SUBSYSTEMS,LOG-SEC` on a laptop with an SD card in a USB reader, an internal
// PCIe card slot, a loop device, a 256 GB USB SSD and a locked card.
function node(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    rm: false,
    hotplug: false,
    ro: false,
    mountpoints: [null],
    vendor: null,
    model: null,
    tran: null,
    'log-sec': 512,
    ...fields,
    path: `/dev/${String(fields.name)}`,
  };
}

const laptopNvme = node({
  name: 'nvme0n1',
  type: 'disk',
  size: 1000204886016,
  model: 'Samsung SSD 970 EVO Plus 1TB',
  tran: 'nvme',
  subsystems: 'block:nvme:pci',
  children: [
    node({ name: 'nvme0n1p1', type: 'part', size: 536870912, mountpoints: ['/boot/efi'], subsystems: 'block:nvme:pci' }),
    node({
      name: 'nvme0n1p2',
      type: 'part',
      size: 982454648832,
      mountpoints: ['/var/snap/firefox/common/host-hunspell', '/'],
      subsystems: 'block:nvme:pci',
    }),
    node({ name: 'nvme0n1p3', type: 'part', size: 17179869184, mountpoints: ['[SWAP]'], subsystems: 'block:nvme:pci' }),
  ],
});
const usbSdReader = node({
  name: 'sdb',
  type: 'disk',
  size: 63864569856,
  rm: true,
  hotplug: true,
  vendor: 'SanDisk ',
  model: 'Ultra',
  tran: 'usb',
  subsystems: 'block:scsi:usb:pci',
  children: [
    node({
      name: 'sdb1',
      type: 'part',
      size: 63863521280,
      rm: true,
      hotplug: true,
      mountpoints: ['/media/student/3A4B-1C2D'],
      subsystems: 'block:scsi:usb:pci',
    }),
  ],
});
const internalCardSlot = node({
  name: 'mmcblk0',
  type: 'disk',
  size: 31914983424,
  subsystems: 'block:mmc:mmc_host:pci',
  children: [node({ name: 'mmcblk0p1', type: 'part', size: 31913934848, subsystems: 'block:mmc:mmc_host:pci' })],
});
const loopDevice = node({ name: 'loop7', type: 'loop', size: 134217728, subsystems: 'block' });
const snapLoop = node({ name: 'loop0', type: 'loop', size: 4096, ro: true, mountpoints: ['/snap/bare/5'], subsystems: 'block' });
const usbSsd256 = node({
  name: 'sdc',
  type: 'disk',
  size: 256060514304,
  hotplug: true,
  vendor: 'Samsung',
  model: 'PSSD T7',
  tran: 'usb',
  subsystems: 'block:scsi:usb:pci',
});
const lockedCard = node({
  name: 'sdd',
  type: 'disk',
  size: 15931539456,
  rm: true,
  hotplug: true,
  ro: true,
  vendor: 'Generic-',
  model: 'SD/MMC',
  tran: 'usb',
  subsystems: 'block:scsi:usb:pci',
});
const emptyReader = node({
  name: 'sde',
  type: 'disk',
  size: 0,
  rm: true,
  hotplug: true,
  vendor: 'Generic-',
  model: 'Micro SD/M2',
  tran: 'usb',
  subsystems: 'block:scsi:usb:pci',
});
const zramSwap = node({ name: 'zram0', type: 'disk', size: 8589934592, mountpoints: ['[SWAP]'], subsystems: 'block' });
const cdDrive = node({ name: 'sr0', type: 'rom', size: 1073741312, rm: true, tran: 'sata', subsystems: 'block:scsi:pci' });

const laptop = {
  blockdevices: [snapLoop, loopDevice, usbSdReader, usbSsd256, lockedCard, emptyReader, cdDrive, zramSwap, internalCardSlot, laptopNvme],
};

function byDevice(drives: ReturnType<typeof drivesFromLsblk>): Record<string, (typeof drives)[number]> {
  return Object.fromEntries(drives.map((drive) => [drive.device, drive]));
}

describe('drivesFromLsblk', () => {
  it('lists whole disks only, without virtual ones unless asked', () => {
    const devices = drivesFromLsblk(laptop, { includeVirtual: false }).map((drive) => drive.device);
    expect(devices).toEqual(['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/mmcblk0', '/dev/nvme0n1']);
    const withVirtual = drivesFromLsblk(laptop, { includeVirtual: true }).map((drive) => drive.device);
    expect(withVirtual).toEqual(['/dev/loop0', '/dev/loop7', ...devices]);
  });

  it('blocks the laptop disk that holds / as a system drive', () => {
    const nvme = byDevice(drivesFromLsblk(laptop, { includeVirtual: false }))['/dev/nvme0n1']!;
    expect(nvme).toMatchObject({ removable: false, virtual: false, busType: 'NVME', large: true });
    expect(nvme.blockers).toEqual(['system', 'holds-system-path']);
    expect(nvme.mountpoints).toEqual(['/boot/efi', '/var/snap/firefox/common/host-hunspell', '/', '[SWAP]']);
    expect(nvme.description).toBe('Samsung SSD 970 EVO Plus 1TB 931.5 GB');
  });

  it('offers a card in a USB reader, its mounted partition listed to be unmounted', () => {
    const card = byDevice(drivesFromLsblk(laptop, { includeVirtual: false }))['/dev/sdb']!;
    expect(card).toEqual({
      device: '/dev/sdb',
      description: 'SanDisk Ultra 59.5 GB',
      size: 63864569856,
      removable: true,
      virtual: false,
      readOnly: false,
      mountpoints: ['/media/student/3A4B-1C2D'],
      busType: 'USB',
      blockers: [],
      large: false,
    });
  });

  it('treats a card in an internal slot as removable, but not an eMMC', () => {
    const slot = byDevice(drivesFromLsblk(laptop, { includeVirtual: false }))['/dev/mmcblk0']!;
    expect(slot).toMatchObject({ removable: true, blockers: [], busType: 'SD', description: 'SD/MMC card 29.7 GB' });
    const emmc = {
      blockdevices: [
        node({ name: 'mmcblk0', type: 'disk', size: 31268536320, subsystems: 'block:mmc:mmc_host:platform' }),
        node({ name: 'mmcblk0boot0', type: 'disk', size: 4194304, ro: true, subsystems: 'block:mmc:mmc_host:platform' }),
        node({ name: 'mmcblk0boot1', type: 'disk', size: 4194304, ro: true, subsystems: 'block:mmc:mmc_host:platform' }),
      ],
    };
    const drives = drivesFromLsblk(emmc, { includeVirtual: false });
    expect(drives.map((drive) => drive.device)).toEqual(['/dev/mmcblk0']);
    expect(drives[0]!.blockers).toEqual(['system']);
  });

  it('marks a loop device virtual and removable, and one mounted under /snap as holding a system path', () => {
    const drives = byDevice(drivesFromLsblk(laptop, { includeVirtual: true }));
    expect(drives['/dev/loop7']).toMatchObject({
      virtual: true,
      removable: true,
      blockers: [],
      description: 'Loop device 128.0 MB',
      busType: null,
    });
    expect(drives['/dev/loop0']!.blockers).toEqual(['holds-system-path', 'read-only']);
  });

  it('warns about a 256 GB disk without blocking it', () => {
    const ssd = byDevice(drivesFromLsblk(laptop, { includeVirtual: false }))['/dev/sdc']!;
    expect(ssd).toMatchObject({ large: true, blockers: [], removable: true, description: 'Samsung PSSD T7 238.5 GB' });
  });

  it('blocks a locked (read-only) card', () => {
    const locked = byDevice(drivesFromLsblk(laptop, { includeVirtual: false }))['/dev/sdd']!;
    expect(locked).toMatchObject({ readOnly: true, blockers: ['read-only'], description: 'Generic- SD/MMC 14.8 GB' });
  });

  it('blocks the drive the image is on, by the longest mount above the image', () => {
    const drives = byDevice(
      drivesFromLsblk(laptop, { includeVirtual: false, sourcePaths: ['/media/student/3A4B-1C2D/jp62-orin-nano.zip'] }),
    );
    expect(drives['/dev/sdb']!.blockers).toEqual(['source-drive']);
    expect(drives['/dev/nvme0n1']!.blockers).not.toContain('source-drive');
    const fromHome = byDevice(drivesFromLsblk(laptop, { includeVirtual: false, sourcePaths: ['/home/student/jp62.zip'] }));
    expect(fromHome['/dev/nvme0n1']!.blockers).toContain('source-drive');
    expect(fromHome['/dev/sdb']!.blockers).toEqual([]);
  });

  it('blocks drives smaller than the image when its size is known', () => {
    const drives = byDevice(drivesFromLsblk(laptop, { includeVirtual: false, imageSize: 20e9 }));
    expect(drives['/dev/sdd']!.blockers).toEqual(['read-only', 'too-small']);
    expect(drives['/dev/sdb']!.blockers).toEqual([]);
  });

  it('reads the strings older lsblk printed, and its single MOUNTPOINT', () => {
    const old = {
      blockdevices: [
        {
          name: 'sda',
          type: 'disk',
          size: '500107862016',
          rm: '0',
          hotplug: '0',
          ro: '0',
          mountpoint: null,
          vendor: 'ATA     ',
          model: 'WDC WD5000',
          tran: 'sata',
          children: [{ name: 'sda1', type: 'part', size: '500106813440', rm: '0', hotplug: '0', ro: '0', mountpoint: '/' }],
        },
        {
          name: 'sdb',
          type: 'disk',
          size: '7948206080',
          rm: '1',
          hotplug: '1',
          ro: '0',
          mountpoint: null,
          vendor: 'Kingston',
          model: 'DataTraveler 3.0',
          tran: 'usb',
        },
      ],
    };
    const drives = byDevice(drivesFromLsblk(old, { includeVirtual: false }));
    expect(drives['/dev/sda']).toMatchObject({
      blockers: ['system', 'holds-system-path'],
      description: 'WDC WD5000 465.8 GB',
      virtual: false,
    });
    // Without a SUBSYSTEMS column, only loop devices count as virtual: the system disk never passes for one.
    expect(drives['/dev/sdb']).toMatchObject({ blockers: [], removable: true, virtual: false, size: 7948206080 });
  });

  it('refuses output that is not lsblk JSON, or is too large to be real', () => {
    expect(() => drivesFromLsblk({ devices: [] }, { includeVirtual: false })).toThrow(/could not be read/);
    expect(() => drivesFromLsblk({ blockdevices: [{ type: 'disk' }] }, { includeVirtual: false })).toThrow(/could not be read/);
    const flood = { blockdevices: Array.from({ length: 5000 }, (_, index) => node({ name: `loop${index}`, type: 'loop', size: 1 })) };
    expect(() => parseLsblk(flood)).toThrow(/could not be read/);
  });
});

describe('isSystemMountpoint', () => {
  it.each(['/', '/boot', '/boot/efi', '/usr', '/var', '/home', '/etc', '[SWAP]', '/srv/data', '/var/tmp/x', '/tmp', '/media'])(
    '%s is the OS',
    (path) => {
      expect(isSystemMountpoint(path)).toBe(true);
    },
  );
  it.each(['/media/student/CARD', '/run/media/student/boot', '/mnt', '/mnt/sd', '/tmp/jwb-rootfs-1'])('%s is removable media', (path) => {
    expect(isSystemMountpoint(path)).toBe(false);
  });
});

describe('lsblk helpers', () => {
  it('asks lsblk for JSON in bytes, with MOUNTPOINT for old versions', () => {
    expect(lsblkArgv({ device: '/dev/sdb' })).toEqual([
      'lsblk',
      '--json',
      '--bytes',
      '--output',
      'NAME,PATH,TYPE,SIZE,RM,HOTPLUG,RO,MOUNTPOINTS,VENDOR,MODEL,TRAN,SUBSYSTEMS,LOG-SEC',
      '--',
      '/dev/sdb',
    ]);
    expect(lsblkArgv({ legacy: true })[4]).toContain(',MOUNTPOINT,');
  });

  it('formats sizes the way card packs are read', () => {
    expect(formatDriveSize(63864569856)).toBe('59.5 GB');
    expect(formatDriveSize(134217728)).toBe('128.0 MB');
    expect(formatDriveSize(512)).toBe('512 bytes');
  });
});
