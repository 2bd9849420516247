/**
 * The programs NVIDIA's flash scripts need on this computer, each with its
 * `sudo apt-get install …`: the initrd flasher's prerequisites
 * (flashing-and-installing.md §2.2: libxml2-utils, simg2img, abootimg,
 * sshpass, nfs-kernel-server, zstd, xmlstarlet; it stops with
 * `ERROR <tool> not found!`) and qemu-user-static, which
 * l4t_create_default_user.sh needs to run useradd in the arm64 rootfs (§4.2).
 */
import type { HostCheck } from '../../shared/flash/contract.ts';
import type { LocalLink } from '../host/local-link.ts';

/** Most characters read from any probe's output: these answers are a few lines. */
export const probeOutputLimit = 64 * 1024;
const probeTimeoutMs = 15_000;

export interface Probe {
  code: number | null;
  stdout: string;
}

/** Runs one probe; null when the program is not there (or could not start). */
export async function probe(link: LocalLink, argv: readonly string[]): Promise<Probe | null> {
  try {
    const result = await link.exec(argv, { timeoutMs: probeTimeoutMs });
    return { code: result.code, stdout: result.stdout.slice(0, probeOutputLimit) };
  } catch {
    return null;
  }
}

export async function pathExists(link: LocalLink, flag: '-e' | '-f' | '-d' | '-x', path: string): Promise<boolean> {
  return (await probe(link, ['test', flag, path]))?.code === 0;
}

export function check(id: string, title: string, state: HostCheck['state'], detail: string, fix: string | null = null): HostCheck {
  return { id, title, state, detail, fix };
}

interface HostTool {
  program: string;
  /** The apt-get install line (Ubuntu). */
  install: string;
  why: string;
}

const prerequisitesScript = 'sudo ./tools/l4t_flash_prerequisites.sh';

const initrdTools: readonly HostTool[] = [
  { program: 'sshpass', install: 'sudo apt-get install sshpass', why: 'logs in to the flashing kernel on the board' },
  { program: 'abootimg', install: 'sudo apt-get install abootimg', why: 'builds the flashing kernel image' },
  { program: 'xmlstarlet', install: 'sudo apt-get install xmlstarlet', why: 'reads the partition layouts' },
  { program: 'xmllint', install: 'sudo apt-get install libxml2-utils', why: 'checks the partition layouts' },
  { program: 'zstd', install: 'sudo apt-get install zstd', why: 'compresses the images it sends' },
  // Ubuntu 22.04 and later ship simg2img in android-sdk-libsparse-utils.
  {
    program: 'simg2img',
    install: 'sudo apt-get install simg2img (android-sdk-libsparse-utils on newer Ubuntu)',
    why: 'unpacks sparse images',
  },
];

const nfsServer: HostTool = {
  program: 'exportfs',
  install: 'sudo apt-get install nfs-kernel-server',
  why: 'shares the images with the board over NFS',
};

async function hasProgram(link: LocalLink, program: string): Promise<boolean | null> {
  const found = await probe(link, ['which', program]);
  if (found === null) return null;
  // root's PATH has the sbin folders; a user's may not (exportfs lives in /usr/sbin).
  return found.code === 0 || (await pathExists(link, '-x', `/usr/sbin/${program}`));
}

async function toolCheck(link: LocalLink, tool: HostTool, required: boolean): Promise<HostCheck> {
  const present = await hasProgram(link, tool.program);
  const title = `${tool.program} (${tool.why})`;
  if (present === true) return check(`tool-${tool.program}`, title, 'ok', `${tool.program} is installed.`);
  if (present === null)
    return check(`tool-${tool.program}`, title, 'warning', `Could not look for ${tool.program} ('which' is not available).`, tool.install);
  const state = required ? 'missing' : 'warning';
  return check(
    `tool-${tool.program}`,
    title,
    state,
    `${tool.program} is not installed.`,
    `${tool.install}, or ${prerequisitesScript} for all of them`,
  );
}

async function qemuCheck(link: LocalLink, firstBoot: boolean): Promise<HostCheck> {
  const title = 'qemu-aarch64-static (runs arm64 programs inside the rootfs)';
  const [program, binfmt] = await Promise.all([
    hasProgram(link, 'qemu-aarch64-static'),
    pathExists(link, '-e', '/proc/sys/fs/binfmt_misc/qemu-aarch64'),
  ]);
  if (program === true || binfmt) return check('tool-qemu-aarch64-static', title, 'ok', 'qemu user emulation for arm64 is installed.');
  const why = firstBoot
    ? 'l4t_create_default_user.sh needs it to create the user ("ERROR: please install qemu-user-static package").'
    : 'Not needed for this flash; l4t_create_default_user.sh and apply_binaries.sh need it.';
  return check(
    'tool-qemu-aarch64-static',
    title,
    firstBoot ? 'missing' : 'warning',
    `qemu-user-static is not installed. ${why}`,
    'sudo apt-get install qemu-user-static',
  );
}

/**
 * The initrd flasher refuses to start without its tools: missing. flash.sh
 * alone needs few of them, so for it they are listed in one warning.
 */
export async function hostToolChecks(link: LocalLink, options: { initrd: boolean; firstBoot: boolean }): Promise<HostCheck[]> {
  const qemu = qemuCheck(link, options.firstBoot);
  if (options.initrd) {
    return Promise.all([...[...initrdTools, nfsServer].map((tool) => toolCheck(link, tool, true)), qemu]);
  }
  const present = await Promise.all(
    initrdTools.map(async (tool) => ((await hasProgram(link, tool.program)) === true ? null : tool.program)),
  );
  const absent = present.filter((program): program is string => program !== null);
  const title = "NVIDIA's flashing prerequisites";
  const tools =
    absent.length === 0
      ? check('tool-prerequisites', title, 'ok', 'The tools tools/l4t_flash_prerequisites.sh installs are there.')
      : check(
          'tool-prerequisites',
          title,
          'warning',
          `Not installed: ${absent.join(', ')}. flash.sh uses few of them; NVMe flashing needs them all.`,
          prerequisitesScript,
        );
  return [tools, await qemu];
}
