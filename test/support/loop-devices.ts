/**
 * Real drives for the writer's tests and benchmark: sparse files attached as
 * loop devices (`losetup`), and a small Jetson-like SD image (a GPT whose
 * first partition is an ext4 filesystem named and labelled APP, holding the
 * /etc files first boot edits), compressed with the real xz and zip. Needs
 * root and util-linux, fdisk (sfdisk), e2fsprogs, xz-utils and zip.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const tools = ['losetup', 'sfdisk', 'mkfs.ext4', 'xz', 'zip', 'partx', 'blkid', 'mount', 'umount', 'blockdev', 'lsblk'];

/** Why these tests cannot run here, or null when they can. */
export function loopDevicesUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (loop devices, mount)';
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length > 0) return `needs ${missing.join(', ')} (apt-get install util-linux fdisk e2fsprogs xz-utils zip)`;
  try {
    execFileSync('losetup', ['--find'], { stdio: 'pipe' });
  } catch {
    return 'no free loop device (/dev/loop-control missing?)';
  }
  return null;
}

function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'pipe', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    return true;
  } catch {
    return false;
  }
}

export function run(argv: readonly string[], input?: string | Buffer): string {
  const [program, ...args] = argv;
  return execFileSync(program!, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** A sparse file of `bytes`, attached to a free loop device; returns the device. */
export function attachLoop(file: string, bytes?: number): string {
  if (bytes !== undefined) run(['truncate', '--size', String(bytes), file]);
  return run(['losetup', '--find', '--show', file]).trim();
}

/** Unmounts what is mounted from the device, drops its partitions and detaches it; never throws. */
export function detachLoop(device: string): void {
  for (const mountpoint of mountpointsOf(device)) quietly(['umount', '--lazy', mountpoint]);
  quietly(['partx', '--delete', device]);
  quietly(['losetup', '--detach', device]);
}

/** Mount points of the device and its partitions (from /proc/mounts). */
export function mountpointsOf(device: string): string[] {
  const mounts = run(['cat', '/proc/self/mounts']).split('\n');
  return mounts
    .map((line) => line.split(' '))
    .filter(([source]) => source === device || source?.startsWith(`${device}p`))
    .map(([, target]) => target!.replace(/\\040/g, ' '));
}

function quietly(argv: readonly string[]): void {
  try {
    run(argv);
  } catch {
    // Already gone.
  }
}

export interface TestImage {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * A Jetson-like SD image of `megabytes` MiB: GPT, partition 1 named APP with
 * an ext4 filesystem labelled APP (the rootfs: /etc files, a home folder,
 * some random data), partition 2 a small raw one.
 */
export function buildJetsonImage(folder: string, megabytes = 64): TestImage {
  const root = join(folder, 'rootfs');
  writeRootfs(root);
  const app = join(folder, 'app.ext4');
  const appMegabytes = megabytes - 8;
  run(['truncate', '--size', `${appMegabytes}M`, app]);
  run(['mkfs.ext4', '-q', '-F', '-L', 'APP', '-d', root, app]);
  const image = join(folder, 'sd-blob.img');
  run(['truncate', '--size', `${megabytes}M`, image]);
  run(
    ['sfdisk', '--quiet', image],
    `label: gpt\nstart=2048, size=${appMegabytes * 2048}, type=L, name=APP\nsize=4096, type=L, name=DATA\n`,
  );
  run(['dd', `if=${app}`, `of=${image}`, 'bs=1M', 'seek=1', 'conv=notrunc,fsync', 'status=none']);
  return describe(image);
}

function writeRootfs(root: string): void {
  for (const folder of [
    'etc/ssh',
    'etc/NetworkManager/system-connections',
    'etc/systemd/system',
    'etc/default',
    'home',
    'root',
    'usr/share/zoneinfo/Etc',
    'usr/share/zoneinfo/Europe',
    'var/lib',
  ]) {
    mkdirSync(join(root, folder), { recursive: true });
  }
  const files: Record<string, string> = {
    'etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsshd:x:110:65534::/run/sshd:/usr/sbin/nologin\n',
    'etc/group':
      'root:x:0:\nadm:x:4:syslog\nsudo:x:27:\naudio:x:29:pulse\nvideo:x:44:\nplugdev:x:46:\ngdm:x:125:\ni2c:x:108:\ngpio:x:999:\n',
    'etc/shadow': 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n',
    'etc/gshadow': 'root:*::\nadm:*::syslog\nsudo:*::\naudio:*::pulse\nvideo:*::\nplugdev:*::\ngdm:!::\ni2c:!::\ngpio:!::\n',
    'etc/hostname': 'localhost\n',
    'etc/hosts': '127.0.0.1\tlocalhost\n127.0.1.1\tlocalhost\n::1\tip6-localhost ip6-loopback\n',
    'etc/timezone': 'Etc/UTC\n',
    'etc/default/locale': 'LANG=en_US.UTF-8\n',
    'etc/locale.gen': '# en_US.UTF-8 UTF-8\n',
    'etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\n',
    'etc/nv_tegra_release':
      '# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64, DATE: Wed Jan  8 01:49:37 UTC 2025\n',
    'usr/share/zoneinfo/Etc/UTC': 'TZif2 test zone\n',
    'usr/share/zoneinfo/Europe/Berlin': 'TZif2 test zone Berlin\n',
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  symlinkSync('/usr/share/zoneinfo/Etc/UTC', join(root, 'etc/localtime'));
  // Data that does not compress away, so a write moves real bytes.
  writeFileSync(join(root, 'var/lib/payload.bin'), randomBytes(4 * 1024 * 1024));
}

/** A raw image of `bytes` (any size, odd ones too): random blocks between zeros, so xz and zip have work. */
export function buildRawImage(path: string, bytes: number): TestImage {
  const data = Buffer.alloc(bytes);
  for (let at = 0; at < bytes; at += 256 * 1024) randomBytes(Math.min(64 * 1024, bytes - at)).copy(data, at);
  writeFileSync(path, data);
  return describe(path);
}

export function compressXz(image: string): string {
  run(['xz', '--keep', '--force', '--threads=2', '-1', image]);
  return `${image}.xz`;
}

export type ZipVariant = 'deflate' | 'stored' | 'data-descriptor' | 'zip64';

/** The image in a zip: plain deflate, stored, written to a pipe (sizes in a data descriptor after the data), or forced zip64. */
export function compressZip(image: string, variant: ZipVariant = 'deflate'): string {
  const folder = image.slice(0, image.lastIndexOf('/'));
  const name = image.slice(folder.length + 1);
  const archive = join(folder, `${name}.${variant}.zip`);
  run(['rm', '-f', archive]);
  const flags = { deflate: ['-1'], stored: ['-0'], 'data-descriptor': ['-1'], zip64: ['-1', '-fz'] }[variant];
  if (variant === 'data-descriptor') {
    // To a pipe, zip cannot seek back to fill in the sizes: it writes them after the data instead.
    writeFileSync(archive, execFileSync('zip', ['-q', ...flags, '-', name], { cwd: folder, maxBuffer: 1024 ** 3 }));
  } else {
    execFileSync('zip', ['-q', ...flags, archive, name], { cwd: folder });
  }
  return archive;
}

/** SHA-256 of the first `bytes` of a file or device (a device's cache is dropped first, so the bytes come from it). */
export function sha256Of(path: string, bytes: number): string {
  if (path.startsWith('/dev/loop')) run(['blockdev', '--flushbufs', path]);
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(4 * 1024 * 1024);
  const fd = openSync(path, 'r');
  try {
    for (let position = 0; position < bytes;) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, bytes - position), position);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      position += read;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** SHA-256 of `bytes` zeros: what an untouched sparse drive reads as. */
export function zerosSha256(bytes: number): string {
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(1024 * 1024);
  for (let left = bytes; left > 0; left -= zeros.length) hash.update(zeros.subarray(0, Math.min(left, zeros.length)));
  return hash.digest('hex');
}

function describe(path: string): TestImage {
  const bytes = Number(run(['stat', '--format=%s', path]).trim());
  return { path, bytes, sha256: sha256Of(path, bytes) };
}
