/**
 * Partition layout XMLs for the simulated Linux_for_Tegra folder, shaped like
 * NVIDIA's `bootloader/<family>/cfg/*.xml` (`<partition_layout>` → `<device>`
 * → `<partition name=… >` with a `<filename>`). The names follow the ones the
 * reference's logs show (§2.6 c: VER_b, VER; balena-os/jetson-flash#79: GPT,
 * PT); a t234 QSPI + SD layout has about 60 partitions, as §2.6 d counts. The
 * rest of each list is a plausible set, not a copy of NVIDIA's files.
 */

export type Chip = 't210' | 't186' | 't194' | 't234';

interface PartitionSpec {
  name: string;
  file: string;
}

/** Each name with its A and B copy, as the redundant boot chains of T186+ have them. */
function abPairs(names: readonly string[], fileOf: (name: string) => string): PartitionSpec[] {
  return names.flatMap((name) => [
    { name: `A_${name}`, file: fileOf(name) },
    { name: `B_${name}`, file: fileOf(name) },
  ]);
}

function plain(entries: ReadonlyArray<readonly [string, string]>): PartitionSpec[] {
  return entries.map(([name, file]) => ({ name, file }));
}

const t210Boot = plain([
  ['BCT', 'bct.cfg'],
  ['NVC', 'nvtboot.bin.encrypt'],
  ['NVC_R', 'nvtboot.bin.encrypt'],
  ['PT', 'crc-flash.xml.bin'],
  ['TBC', 'nvtboot_cpu.bin.encrypt'],
  ['RP1', 'kernel_tegra210-p3448-0000-p3449-0000-b00.dtb.encrypt'],
  ['EBT', 'cboot.bin.encrypt'],
  ['WB0', 'warmboot.bin.encrypt'],
  ['BPF', 'sc7entry-firmware.bin.encrypt'],
  ['BPF-DTB', 'tegra210-p3448-0000-p3449-0000-b00.dtb.encrypt'],
  ['TOS', 'tos-mon-only.img.encrypt'],
  ['DTB', 'tegra210-p3448-0000-p3449-0000-b00.dtb.encrypt'],
  ['LNX', 'boot.img.encrypt'],
  ['EKS', 'eks.img'],
  ['BMP', 'bmp.blob'],
  ['RP4', 'rp4.blob'],
  ['VER_b', 'qspi_bootblob_ver.txt'],
  ['VER', 'qspi_bootblob_ver.txt'],
]);

const rootfsPartitions = plain([
  ['GPT', 'gpt.bin'],
  ['APP', 'system.img'],
]);

const t186Boot = [
  ...plain([
    ['BCT', 'br_bct_BR.bct'],
    ['MB1_BCT', 'mb1_cold_boot_bct_MB1_sigheader.bct.encrypt'],
    ['MEM_BCT', 'mem_coldboot_sigheader.bct.encrypt'],
  ]),
  ...abPairs(
    ['mb1', 'spe-fw', 'mb2', 'mts-preboot', 'mts-bootpack', 'sc7', 'bpmp-fw', 'bpmp-fw-dtb', 'cpu-bootloader', 'secure-os'],
    (name) => `${name}_sigheader.bin.encrypt`,
  ),
  ...plain([
    ['kernel', 'boot_sigheader.img.encrypt'],
    ['kernel-dtb', 'kernel_tegra186-quill-p3310-1000-c03-00-base_sigheader.dtb.encrypt'],
    ['recovery', 'recovery.img'],
    ['BMP', 'bmp.blob'],
    ['VER', 'emmc_bootblob_ver.txt'],
  ]),
];

const t194Boot = [
  ...plain([
    ['BCT', 'br_bct_BR.bct'],
    ['MB1_BCT', 'mb1_cold_boot_bct_MB1_sigheader.bct.encrypt'],
    ['MEM_BCT', 'mem_coldboot_sigheader.bct.encrypt'],
  ]),
  ...abPairs(
    [
      'mb1',
      'spe-fw',
      'mb2',
      'mts-preboot',
      'mts-mce',
      'mts-proper',
      'sc7',
      'bpmp-fw',
      'bpmp-fw-dtb',
      'cpu-bootloader',
      'secure-os',
      'rce-fw',
      'adsp-fw',
    ],
    (name) => `${name}_sigheader.bin.encrypt`,
  ),
  ...plain([
    ['kernel', 'boot_sigheader.img.encrypt'],
    ['kernel-dtb', 'kernel_tegra194-p3668-0000-p3509-0000_sigheader.dtb.encrypt'],
    ['recovery', 'recovery.img'],
    ['VER', 'qspi_bootblob_ver.txt'],
  ]),
];

const t234QspiNames = [
  'mb1',
  'psc_bl1',
  'MB1_BCT',
  'MEM_BCT',
  'tsec-fw',
  'nvdec',
  'mb2',
  'thermal-fw',
  'xusb-fw',
  'dce-fw',
  'spe-fw',
  'rce-fw',
  'mts-mce',
  'sc7',
  'pscrf',
  'mb2rf',
  'cpu-bootloader',
  'secure-os',
  'bpmp-fw',
  'bpmp-fw-dtb',
];

/** The QSPI of an Orin module: `bootloader/…/cfg/flash_t234_qspi.xml` (§2.2). */
export const t234Qspi: PartitionSpec[] = [
  ...plain([['BCT', 'br_bct_BR.bct']]),
  ...abPairs(t234QspiNames, (name) => `${name}_t234_sigheader.bin.encrypt`),
  ...plain([
    ['uefi_variables', 'uefi_variables.img'],
    ['uefi_ftpm', 'uefi_ftpm.img'],
    ['worm', 'worm.img'],
    ['BCT-boot-chain_backup', 'br_bct_b_BR.bct'],
    ['secondary_gpt_backup', 'gpt_secondary_3_0.bin'],
  ]),
];

/** The SD, eMMC or NVMe side of an Orin: kernels, recovery, ESP and the root file system. */
export const t234Rootfs: PartitionSpec[] = plain([
  ['master_boot_record', 'mbr_1_3.bin'],
  ['primary_gpt', 'gpt_primary_1_3.bin'],
  ['APP', 'system.img'],
  ['A_kernel', 'boot.img'],
  ['A_kernel-dtb', 'kernel_tegra234-p3768-0000+p3767-0005-nv.dtb'],
  ['A_reserved_on_user', 'reserved.img'],
  ['B_kernel', 'boot.img'],
  ['B_kernel-dtb', 'kernel_tegra234-p3768-0000+p3767-0005-nv.dtb'],
  ['recovery', 'recovery.img'],
  ['recovery-dtb', 'tegra234-p3768-0000+p3767-0005-nv.dtb.rec'],
  ['esp', 'esp.img'],
  ['esp_alt', 'esp.img'],
  ['UDA', 'uda.img'],
  ['secondary_gpt', 'gpt_secondary_1_3.bin'],
]);

export interface LayoutDevice {
  type: 'spi' | 'sdmmc_boot' | 'sdmmc_user' | 'sdcard' | 'external';
  partitions: PartitionSpec[];
}

/** The devices flash.sh writes for a chip and a storage (one XML may hold QSPI and SD, §2.3). */
export function layoutDevices(chip: Chip, storage: 'emmc' | 'sd'): LayoutDevice[] {
  const user: LayoutDevice['type'] = storage === 'sd' ? 'sdcard' : 'sdmmc_user';
  switch (chip) {
    case 't210':
      return [
        { type: storage === 'sd' ? 'spi' : 'sdmmc_boot', partitions: t210Boot },
        { type: user, partitions: rootfsPartitions },
      ];
    case 't186':
      return [
        { type: 'sdmmc_boot', partitions: t186Boot },
        { type: user, partitions: rootfsPartitions },
      ];
    case 't194':
      return [
        { type: storage === 'sd' ? 'spi' : 'sdmmc_boot', partitions: t194Boot },
        { type: user, partitions: rootfsPartitions },
      ];
    case 't234':
      return [
        { type: 'spi', partitions: t234Qspi },
        { type: user, partitions: t234Rootfs },
      ];
  }
}

export function layoutXml(devices: readonly LayoutDevice[]): string {
  const lines = [
    '<?xml version="1.0"?>',
    '',
    '<!-- Simulated by Jetson Workbench (src/sim/l4t): the shape of an NVIDIA layout. -->',
    '<partition_layout version="01.00.0000">',
  ];
  for (const device of devices) {
    lines.push(`    <device type="${device.type}" instance="0" sector_size="512" num_sectors="NUM_SECTORS">`);
    for (const partition of device.partitions) {
      lines.push(
        `        <partition name="${partition.name}" type="data">`,
        '            <allocation_policy> sequential </allocation_policy>',
        '            <filesystem_type> basic </filesystem_type>',
        '            <size> 262144 </size>',
        `            <filename> ${partition.file} </filename>`,
        '        </partition>',
      );
    }
    lines.push('    </device>');
  }
  lines.push('</partition_layout>', '');
  return lines.join('\n');
}
