/**
 * The devkits the workbench can flash in Force Recovery Mode, and the argv of
 * NVIDIA's script for each (SDK Manager's flash step, said out loud). Every
 * fact is from /work/shared/reference/flashing-and-installing.md: board
 * configs and rootdevs §2.3, recovery steps §2.4, APX ids §2.5, the scripts
 * and the NVMe command §2.1–§2.2. Pure data and functions: no Node.
 */
import type { Devkit } from './contract.ts';
import { normalizeUsbId, recoveryProducts } from '../usb-ids.ts';

type Storage = Devkit['targets'][number]['storage'];
type Target = Devkit['targets'][number];
type Step = Devkit['recoverySteps'][number];

function step(text: string, detail: string | null = null): Step {
  return { text, detail };
}

/** The APX ids of a module, checked against the one table in usb-ids.ts so a typo cannot slip in. */
function apx(...productIds: string[]): string[] {
  for (const id of productIds) if (recoveryProducts[id] === undefined) throw new Error(`Not a recovery product id: ${id}`);
  return productIds;
}

function flashSh(storage: Storage, boardConfig: string, rootdev: string): Target {
  return { storage, boardConfig, rootdev, script: 'flash.sh' };
}

/** NVMe goes through the initrd flasher (§2.2); rootdev is the NVMe partition given to `--external-device`. */
function initrdNvme(boardConfig: string): Target {
  return { storage: 'nvme', boardConfig, rootdev: 'nvme0n1p1', script: 'l4t_initrd_flash.sh' };
}

// §2.4: "sudo reboot forced-recovery" works on many L4T releases, for a board that already runs Linux.
const rebootForced = step(
  'Or, if the board already runs Linux: open a terminal on it and run `sudo reboot forced-recovery`.',
  'Works on many L4T releases; if it only reboots normally, use the buttons or the jumper above.',
);
// §2.5: the board in recovery shows as NVIDIA 0955:<id>, often named "APX".
const seeItOnUsb = step(
  'The workbench then sees the board on USB as NVIDIA 0955:xxxx ("APX"): that means it is in recovery mode.',
  'A board that booted Linux shows as 0955:7020 instead: it is not in recovery mode yet.',
);
const jumperOff = 'Take the jumper off once flashing has started, or the board enters recovery mode again at the next power-on.';

// §2.4, TX1 / TX2 on the P2597 carrier.
const p2597Steps = [
  step('Connect the micro-USB port (the Recovery port) of the devkit to this computer.'),
  step('Power the board on.'),
  step('Press and hold RECOVERY FORCE (REC, S3).'),
  step('While holding it, press and release RESET (RST, S1).'),
  step('Wait 2 seconds, then release REC.'),
  seeItOnUsb,
  rebootForced,
];

function jumperSteps(pins: string, header: string, where: string, usb: string, powerNote: string | null = null): Step[] {
  return [
    step('Power the board off and unplug its power supply.'),
    step(`Put a jumper on pins ${pins} of ${header}`, `${where}. ${jumperOff}`),
    step(`Connect the ${usb} port of the devkit to this computer.`),
    step('Plug the power supply in.', powerNote),
    seeItOnUsb,
    rebootForced,
  ];
}

const nanoB01Steps = jumperSteps('9 (GND) and 10 (FC REC)', 'J12', 'On the carrier edge, under the module', 'micro-USB');
const xavierNxSteps = jumperSteps(
  '9 (GND) and 10 (FC REC)',
  'J14',
  'Under the module',
  'micro-USB',
  'Power goes into J16; the board powers on in Force Recovery Mode by itself.',
);
const orinNanoSteps = jumperSteps('9 (GND) and 10 (FC REC)', 'J14', 'Under the module', 'USB-C');

export const devkits: readonly Devkit[] = [
  {
    id: 'jetson-tx1-devkit',
    name: 'Jetson TX1 devkit',
    methods: ['recovery'],
    recoverySteps: p2597Steps,
    recoveryProductIds: apx('7721'),
    targets: [flashSh('emmc', 'jetson-tx1-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-tx1-devkit, R32), §2.4 (P2597), §2.5 (0955:7721)',
  },
  {
    id: 'jetson-tx2-devkit',
    name: 'Jetson TX2 devkit',
    methods: ['recovery'],
    recoverySteps: p2597Steps,
    recoveryProductIds: apx('7c18'),
    targets: [flashSh('emmc', 'jetson-tx2-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3, §2.4 (P2597), §2.5 (0955:7c18)',
  },
  {
    id: 'jetson-tx2-4gb',
    name: 'Jetson TX2 4GB on the TX2 devkit',
    methods: ['recovery'],
    recoverySteps: p2597Steps,
    recoveryProductIds: apx('7418'),
    targets: [flashSh('emmc', 'jetson-tx2-4GB', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-tx2-4GB), §2.5 (0955:7418)',
  },
  {
    id: 'jetson-tx2i',
    name: 'Jetson TX2i on the TX2 devkit',
    methods: ['recovery'],
    recoverySteps: p2597Steps,
    recoveryProductIds: apx('7018'),
    targets: [flashSh('emmc', 'jetson-tx2i', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-tx2i), §2.5 (0955:7018)',
  },
  {
    id: 'jetson-nano-devkit-b01',
    name: 'Jetson Nano devkit B01 (SD card)',
    methods: ['sd', 'recovery'],
    recoverySteps: nanoB01Steps,
    recoveryProductIds: apx('7f21'),
    targets: [flashSh('sd', 'jetson-nano-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-nano-devkit, P3448-0000), §2.4 (J12 pins 9–10), §2.5 (0955:7f21)',
  },
  {
    id: 'jetson-nano-devkit-a02',
    name: 'Jetson Nano devkit A02 (SD card)',
    methods: ['sd', 'recovery'],
    recoverySteps: jumperSteps('3 (FC REC) and 4 (GND)', 'J40', 'Near the camera header', 'micro-USB'),
    recoveryProductIds: apx('7f21'),
    targets: [flashSh('sd', 'jetson-nano-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3, §2.4 (J40 pins 3–4), §2.5 (0955:7f21)',
  },
  {
    id: 'jetson-nano-2gb-devkit',
    name: 'Jetson Nano 2GB devkit (SD card)',
    methods: ['sd', 'recovery'],
    recoverySteps: nanoB01Steps,
    recoveryProductIds: apx('7f21'),
    targets: [flashSh('sd', 'jetson-nano-2gb-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-nano-2gb-devkit), §2.4 (J12 pins 9–10), §2.5',
  },
  {
    id: 'jetson-nano-emmc',
    name: 'Jetson Nano eMMC module',
    methods: ['recovery'],
    // §2.4 gives the jumper of NVIDIA's B01 carrier; a vendor carrier has its own FC REC button or pins.
    recoverySteps: [
      step('On a vendor carrier, use its Force Recovery button or pins (see its manual); on the NVIDIA Nano carrier (B01):'),
      ...nanoB01Steps,
    ],
    recoveryProductIds: apx('7f21'),
    targets: [flashSh('emmc', 'jetson-nano-emmc', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-nano-emmc; §2.6 b shows that name), §2.4, §2.5',
  },
  {
    id: 'jetson-xavier-nx-devkit',
    name: 'Jetson Xavier NX devkit (SD card)',
    methods: ['sd', 'recovery'],
    recoverySteps: xavierNxSteps,
    recoveryProductIds: apx('7e19'),
    targets: [flashSh('sd', 'jetson-xavier-nx-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-xavier-nx-devkit), §2.4 (J14 pins 9–10), §2.5 (0955:7e19)',
  },
  {
    id: 'jetson-xavier-nx-devkit-emmc',
    name: 'Jetson Xavier NX devkit (eMMC module)',
    methods: ['recovery'],
    recoverySteps: xavierNxSteps,
    recoveryProductIds: apx('7e19'),
    targets: [flashSh('emmc', 'jetson-xavier-nx-devkit-emmc', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-xavier-nx-devkit-emmc), §2.4, §2.5',
  },
  {
    id: 'jetson-agx-xavier-devkit',
    name: 'Jetson AGX Xavier devkit',
    methods: ['recovery'],
    recoverySteps: [
      step('Power the board off and connect its USB-C port to this computer.'),
      step('Press and hold the Force Recovery button.'),
      step('While holding it, press and hold the Power button.'),
      step('Release both buttons.'),
      seeItOnUsb,
      rebootForced,
    ],
    recoveryProductIds: apx('7019'),
    targets: [flashSh('emmc', 'jetson-agx-xavier-devkit', 'mmcblk0p1')],
    source: 'flashing-and-installing.md §2.3 (jetson-agx-xavier-devkit), §2.4, §2.5 (0955:7019)',
  },
  {
    id: 'jetson-agx-orin-devkit',
    name: 'Jetson AGX Orin devkit',
    methods: ['recovery'],
    recoverySteps: [
      step('Connect the USB-C port next to the 40-pin header to this computer: that one carries data.'),
      step('Press and hold the middle button (Force Recovery).'),
      step('While holding it, insert the USB-C power plug (the port above the DC jack).', 'Then release the button.'),
      seeItOnUsb,
      rebootForced,
    ],
    recoveryProductIds: apx('7023', '7223'),
    targets: [flashSh('emmc', 'jetson-agx-orin-devkit', 'internal')],
    source: 'flashing-and-installing.md §2.3 (jetson-agx-orin-devkit internal), §2.4, §2.5 (0955:7023, 7223), §2.6 d',
  },
  orinCarrierDevkit('jetson-orin-nano-devkit', 'Jetson Orin Nano devkit', apx('7523', '7623'), 'jetson-orin-nano-devkit'),
  orinCarrierDevkit(
    'jetson-orin-nx-devkit',
    'Jetson Orin NX on the Orin Nano devkit carrier',
    apx('7323', '7423'),
    'jetson-orin-nano-devkit',
  ),
  // §2.2: with JetPack 6.2 "Super" kits the board name takes `-super`.
  orinCarrierDevkit(
    'jetson-orin-nano-devkit-super',
    'Jetson Orin Nano Super devkit (JetPack 6.2 or later)',
    apx('7523', '7623'),
    'jetson-orin-nano-devkit-super',
  ),
];

/** Orin Nano and Orin NX share the Orin Nano devkit carrier and its board configs (§2.3). */
function orinCarrierDevkit(id: string, name: string, productIds: string[], boardConfig: string): Devkit {
  return {
    id,
    name,
    methods: ['sd', 'recovery'],
    recoverySteps: orinNanoSteps,
    recoveryProductIds: productIds,
    targets: [
      // §2.3: SD is mmcblk0p1 (QSPI + SD); `internal` writes the QSPI firmware only (the §2.8 firmware fix).
      flashSh('sd', boardConfig, 'mmcblk0p1'),
      flashSh('qspi', boardConfig, 'internal'),
      initrdNvme(boardConfig),
    ],
    source: 'flashing-and-installing.md §2.2 (NVMe command), §2.3, §2.4 (J14 pins 9–10), §2.5, §2.8',
  };
}

export function findDevkit(id: string): Devkit | undefined {
  return devkits.find((devkit) => devkit.id === id);
}

/** The devkits a board seen in recovery with this APX product id can be (one module may sit on several carriers). */
export function devkitForProductId(productId: string): Devkit[] {
  const normalized = normalizeUsbId(productId);
  if (normalized === undefined) return [];
  return devkits.filter((devkit) => devkit.recoveryProductIds.includes(normalized));
}

/** The layout files l4t_initrd_flash.sh takes for NVMe: R35 names them after t186ref, R36 after generic (§2.2). */
export function initrdLayout(l4tMajor: number | undefined): { externalXml: string; qspiConfig: string } {
  if (l4tMajor !== undefined && l4tMajor >= 36) {
    return { externalXml: 'tools/kernel_flash/flash_l4t_t234_nvme.xml', qspiConfig: 'bootloader/generic/cfg/flash_t234_qspi.xml' };
  }
  return { externalXml: 'tools/kernel_flash/flash_l4t_external.xml', qspiConfig: 'bootloader/t186ref/cfg/flash_t234_qspi.xml' };
}

export interface FlashArgvOptions {
  /** `busnum-devpath` of the board (`1-3`), for `--usb-instance` when several boards are on USB (§2.1, §2.5). */
  usbInstance?: string;
  /** The L4T major release of the folder (35, 36): picks the NVMe layout names. Default: R35's. */
  l4tMajor?: number;
}

const usbInstancePattern = /^\d{1,3}-\d{1,3}(\.\d{1,3}){0,6}$/;

export function targetFor(devkit: Devkit, storage: Storage): Target | undefined {
  return devkit.targets.find((target) => target.storage === storage);
}

/**
 * The script's argv, run from the Linux_for_Tegra folder (with sudo): flash.sh
 * `[--usb-instance X] <board> <rootdev>` (§2.1), or the §2.2 NVMe command.
 */
export function flashArgv(devkit: Devkit, storage: Storage, options: FlashArgvOptions = {}): string[] {
  const target = targetFor(devkit, storage);
  if (target === undefined) throw new Error(`${devkit.name} cannot be flashed to ${storage} with NVIDIA's scripts.`);
  const { usbInstance } = options;
  // A value starting with '-' would be read as an option by the script: only a sysfs port string passes.
  if (usbInstance !== undefined && !usbInstancePattern.test(usbInstance)) throw new Error(`Not a USB port like 1-3: ${usbInstance}`);
  const instance = usbInstance === undefined ? [] : ['--usb-instance', usbInstance];
  if (target.script === 'flash.sh') return ['./flash.sh', ...instance, target.boardConfig, target.rootdev];
  const layout = initrdLayout(options.l4tMajor);
  return [
    './tools/kernel_flash/l4t_initrd_flash.sh',
    ...instance,
    '--external-device',
    target.rootdev,
    '-c',
    layout.externalXml,
    '-p',
    `-c ${layout.qspiConfig}`,
    '--showlogs',
    '--network',
    'usb0',
    target.boardConfig,
    'internal',
  ];
}
