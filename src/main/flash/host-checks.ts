/**
 * Is this computer ready to run NVIDIA's flash scripts? SDK Manager's STEP 01
 * checks, said out loud and each with its fix: the host OS
 * (flashing-and-installing.md §1.4), free disk (§1.4, §2.7), the
 * Linux_for_Tegra folder, the host tools (§2.2, §4.2), a VM (§1.4, §2.7),
 * udisks2 automount, IPv6 and the firewall for the initrd flasher (§2.2,
 * §2.7), and root or sudo. Every probe is an argv through the LocalLink: no
 * shell, no data in a command string.
 */
import { join } from 'node:path';
import type { Devkit, HostCheck } from '../../shared/flash/contract.ts';
import { initrdLayout, targetFor } from '../../shared/flash/devkits.ts';
import { isRoot, type LocalLink } from '../host/local-link.ts';
import { check, hostToolChecks, pathExists, probe, probeOutputLimit } from './host-tools.ts';

type Storage = Devkit['targets'][number]['storage'];

export interface HostCheckRequest {
  l4tDir: string;
  devkit: Devkit;
  storage: Storage;
  /** A first-boot config will be applied with l4t_create_default_user.sh (it needs qemu, §4.2). */
  firstBoot?: boolean;
}

export interface HostCheckOptions {
  /** Default /etc/os-release; tests point it at a file of their own. */
  osReleasePath?: string;
}

/** ≈40 GB for a modern JetPack flash (§1.4 "Resources", §2.7 "No space left on device"). */
export const recommendedFreeBytes = 40e9;

export async function checkHost(request: HostCheckRequest, link: LocalLink, options: HostCheckOptions = {}): Promise<HostCheck[]> {
  const target = targetFor(request.devkit, request.storage);
  if (target === undefined)
    return [check('target', 'Board and storage', 'missing', `${request.devkit.name} cannot be flashed to ${request.storage} here.`)];
  const initrd = target.script === 'l4t_initrd_flash.sh';
  const release = parseL4tRelease((await probe(link, ['cat', join(request.l4tDir, 'nv_tegra/bsp_version')]))?.stdout ?? '');
  const groups = await Promise.all([
    hostOsChecks(link, release, options.osReleasePath ?? '/etc/os-release'),
    diskCheck(link, request.l4tDir),
    folderChecks(link, request, target.boardConfig, initrd, release?.major),
    hostToolChecks(link, { initrd, firstBoot: request.firstBoot === true }),
    virtualizationCheck(link),
    initrd ? initrdHostChecks(link) : Promise.resolve([]),
    privilegeCheck(link),
  ]);
  return groups.flat();
}

export interface L4tRelease {
  major: number;
  minor: number;
  patch: number;
}

/** `nv_tegra/bsp_version` (BSP_BRANCH=35, BSP_MAJOR=4, BSP_MINOR=1: flash.sh prints it as `# R35 , REVISION: 4.1`, §2.6 b). */
export function parseL4tRelease(text: string): L4tRelease | null {
  const value = (name: string): number | undefined => {
    const match = new RegExp(`^${name}=["']?(\\d+)`, 'm').exec(text.slice(0, probeOutputLimit));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const major = value('BSP_BRANCH');
  if (major === undefined) return null;
  return { major, minor: value('BSP_MAJOR') ?? 0, patch: value('BSP_MINOR') ?? 0 };
}

/** The Ubuntu versions a release's flash tools are run on (§1.4); R32 and unknown: what the brief lists. */
function supportedUbuntu(release: L4tRelease | null): string[] {
  if (release === null || release.major < 35) return ['18.04', '20.04', '22.04'];
  if (release.major === 35) return ['18.04', '20.04'];
  // JetPack 6.1 (R36.4) added flashing from Ubuntu 24.04 (SDK Manager 2.2.0 release notes, §1.4).
  return release.minor >= 4 ? ['20.04', '22.04', '24.04'] : ['20.04', '22.04'];
}

async function hostOsChecks(link: LocalLink, release: L4tRelease | null, osReleasePath: string): Promise<HostCheck[]> {
  const [osRelease, machine] = await Promise.all([probe(link, ['cat', osReleasePath]), probe(link, ['uname', '-m'])]);
  const field = (name: string): string => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(osRelease?.stdout ?? '')?.[1]?.trim() ?? '';
  const supported = supportedUbuntu(release);
  const name = field('PRETTY_NAME') || field('NAME') || 'an unknown Linux';
  const fix = `Use an x86_64 computer with Ubuntu ${supported.join(' or ')} for this Linux_for_Tegra release (a native install, not a VM).`;
  const checks: HostCheck[] = [];
  if (field('ID') !== 'ubuntu') {
    checks.push(
      check(
        'host-os',
        'Host operating system',
        'warning',
        `This computer runs ${name}; NVIDIA supports its flash scripts on Ubuntu only. They often work elsewhere.`,
        fix,
      ),
    );
  } else if (!supported.includes(field('VERSION_ID'))) {
    checks.push(
      check(
        'host-os',
        'Host operating system',
        'warning',
        `${name} is not one NVIDIA lists for this release (Ubuntu ${supported.join(', ')}).`,
        fix,
      ),
    );
  } else {
    checks.push(check('host-os', 'Host operating system', 'ok', `${name}: supported for this release.`));
  }
  const arch = machine?.stdout.trim() ?? '';
  if (arch !== '' && arch !== 'x86_64') {
    checks.push(
      check('host-arch', 'Processor', 'warning', `This computer is ${arch}; NVIDIA's flash tools are built for x86_64 (§1.4).`, fix),
    );
  }
  return checks;
}

async function diskCheck(link: LocalLink, l4tDir: string): Promise<HostCheck[]> {
  const result = await probe(link, ['df', '-B1', '--output=avail', l4tDir]);
  const bytes = Number(result?.code === 0 ? result.stdout.trim().split('\n').at(-1) : NaN);
  const title = 'Free disk space';
  if (!Number.isFinite(bytes))
    return [check('disk-space', title, 'warning', `Could not read the free space of ${l4tDir}.`, 'Make sure the folder exists.')];
  const gb = (bytes / 1e9).toFixed(1);
  if (bytes >= recommendedFreeBytes) return [check('disk-space', title, 'ok', `${gb} GB free where the Linux_for_Tegra folder is.`)];
  return [
    check(
      'disk-space',
      title,
      'warning',
      `Only ${gb} GB free where the Linux_for_Tegra folder is; a full flash builds images of about 40 GB.`,
      'Free some space, or move the Linux_for_Tegra folder to a bigger disk (a live USB system runs out quickly).',
    ),
  ];
}

async function folderChecks(
  link: LocalLink,
  request: HostCheckRequest,
  boardConfig: string,
  initrd: boolean,
  l4tMajor: number | undefined,
): Promise<HostCheck[]> {
  const at = (path: string): string => join(request.l4tDir, path);
  const choose = 'Choose the Linux_for_Tegra folder you extracted from the Jetson Linux BSP download (it holds flash.sh).';
  const wanted: Array<[id: string, title: string, path: string, fix: string]> = [
    ['l4t-flash-sh', 'Linux_for_Tegra folder', 'flash.sh', choose],
    [
      'l4t-board-config',
      `Board configuration ${boardConfig}.conf`,
      `${boardConfig}.conf`,
      `This BSP release does not support ${request.devkit.name}: download the Jetson Linux release for it.`,
    ],
    [
      'l4t-rootfs',
      'Root file system',
      'rootfs/etc/passwd',
      'Extract the sample root file system into Linux_for_Tegra/rootfs, then run `sudo ./apply_binaries.sh` in Linux_for_Tegra.',
    ],
  ];
  if (initrd) {
    const layout = initrdLayout(l4tMajor);
    wanted.push(['l4t-initrd', 'Initrd flasher', 'tools/kernel_flash/l4t_initrd_flash.sh', choose]);
    wanted.push([
      'l4t-nvme-layout',
      'NVMe partition layout',
      layout.externalXml,
      'This BSP release lacks the NVMe layout the workbench passes; use a complete Jetson Linux download.',
    ]);
    wanted.push([
      'l4t-qspi-layout',
      'QSPI partition layout',
      layout.qspiConfig,
      'This BSP release lacks the QSPI layout the workbench passes; use a complete Jetson Linux download.',
    ]);
  }
  if (request.firstBoot === true) wanted.push(['l4t-create-user', 'User creation script', 'tools/l4t_create_default_user.sh', choose]);
  return Promise.all(
    wanted.map(async ([id, title, path, fix]) =>
      (await pathExists(link, '-f', at(path)))
        ? check(id, title, 'ok', `${path} is there.`)
        : check(id, title, 'missing', `${at(path)} is missing.`, fix),
    ),
  );
}

const containers = new Set(['docker', 'podman', 'lxc', 'lxc-libvirt', 'systemd-nspawn', 'rkt', 'openvz', 'proot', 'pouch']);

async function virtualizationCheck(link: LocalLink): Promise<HostCheck[]> {
  const result = await probe(link, ['systemd-detect-virt']);
  const kind = result?.stdout.trim().split('\n')[0] ?? '';
  const title = 'Virtual machine';
  if (result === null || kind === '')
    return [check('virtualization', title, 'ok', 'Could not tell (systemd-detect-virt is not available).')];
  if (kind === 'none') return [check('virtualization', title, 'ok', 'Runs directly on the computer, not in a VM.')];
  if (containers.has(kind)) {
    const detail = `Runs in a ${kind} container: the board's USB device must be passed in, and it changes id while flashing.`;
    return [
      check(
        'virtualization',
        title,
        'warning',
        detail,
        'Run the container privileged with /dev/bus/usb mounted (balena jetson-flash does, §2.9), or flash from the host.',
      ),
    ];
  }
  return [
    check(
      'virtualization',
      title,
      'warning',
      `Runs in a virtual machine (${kind}). USB passthrough often loses the board while it re-enumerates ("Boot Rom communication failed").`,
      'Flash from Ubuntu installed on the computer itself; if you must use the VM, pass the whole USB controller through, not the device.',
    ),
  ];
}

/** The initrd flasher mounts NFS over a USB network: udisks2, IPv6 and UFW matter (§2.2, §2.7). */
async function initrdHostChecks(link: LocalLink): Promise<HostCheck[]> {
  const [udisks, ipv6, ufw] = await Promise.all([
    probe(link, ['systemctl', 'is-active', 'udisks2']),
    probe(link, ['cat', '/proc/sys/net/ipv6/conf/all/disable_ipv6']),
    probe(link, ['ufw', 'status']),
  ]);
  const checks: HostCheck[] = [];
  checks.push(
    udisks?.stdout.trim() === 'active'
      ? check(
          'udisks2',
          'Disk automount (udisks2)',
          'warning',
          "udisks2 mounts the board's disks while it flashes; NVIDIA says to turn it off.",
          'sudo systemctl stop udisks2 (and start it again afterwards)',
        )
      : check('udisks2', 'Disk automount (udisks2)', 'ok', 'udisks2 is not running.'),
  );
  const ipv6Off = ipv6 === null || ipv6.code !== 0 || ipv6.stdout.trim() === '1';
  checks.push(
    ipv6Off
      ? check(
          'ipv6',
          'IPv6',
          'missing',
          'IPv6 is disabled; the initrd flasher talks to the board over IPv6 ("IPv6 is disabled. Please enable ipv6").',
          'sudo sysctl -w net.ipv6.conf.all.disable_ipv6=0',
        )
      : check('ipv6', 'IPv6', 'ok', 'IPv6 is on.'),
  );
  if (ufw?.code === 0 && /^Status: active/m.test(ufw.stdout)) {
    checks.push(
      check(
        'firewall',
        'Firewall (UFW)',
        'warning',
        'UFW is active and may block NFS ("NFS port is blocked by UFW").',
        'sudo ufw disable while flashing, sudo ufw enable afterwards',
      ),
    );
  }
  return checks;
}

async function privilegeCheck(link: LocalLink): Promise<HostCheck[]> {
  const title = 'Administrator rights';
  if (isRoot()) return [check('privileges', title, 'ok', 'The workbench runs as root.')];
  if ((await probe(link, ['which', 'sudo']))?.code === 0) {
    return [
      check(
        'privileges',
        title,
        'ok',
        "NVIDIA's scripts run with sudo: the workbench asks for this computer's password when flashing starts.",
      ),
    ];
  }
  return [
    check(
      'privileges',
      title,
      'missing',
      "NVIDIA's scripts need root, and sudo is not installed.",
      'Install sudo and add your user to the sudo group, or run the workbench as root.',
    ),
  ];
}
