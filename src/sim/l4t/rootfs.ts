/**
 * A minimal Ubuntu-like `Linux_for_Tegra/rootfs` as apply_binaries leaves it:
 * accounts without a login user (oem-config creates one at first boot), the
 * groups NVIDIA's user script adds its user to (§4.2), hostname and hosts,
 * `/etc/nv_tegra_release`, and `default.target` → `nv-oem-config.target`, the
 * symlink `l4t_create_default_user.sh` removes (flashing-and-installing.md §4.2).
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const passwd = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'man:x:6:12:man:/var/cache/man:/usr/sbin/nologin',
  'messagebus:x:102:105::/nonexistent:/usr/sbin/nologin',
  'systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin',
  'sshd:x:110:65534::/run/sshd:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
];

const group = [
  'root:x:0:',
  'daemon:x:1:',
  'bin:x:2:',
  'sys:x:3:',
  'adm:x:4:syslog',
  'tty:x:5:',
  'sudo:x:27:',
  'audio:x:29:pulse',
  'video:x:44:',
  'users:x:100:',
  'systemd-network:x:102:',
  'messagebus:x:105:',
  'render:x:109:',
  'weston-launch:x:117:',
  'nogroup:x:65534:',
];

/** Locked accounts: `*` is no password at all. */
const shadow = passwd.map((line) => `${line.split(':')[0]}:*:19000:0:99999:7:::`);

export interface RootfsFacts {
  /** The text of `/etc/nv_tegra_release` for the release (src/sim/profiles/releases.ts). */
  nvTegraRelease: string;
  /** `Ubuntu 20.04.6 LTS`. */
  ubuntu: string;
}

export async function writeRootfs(rootfsDir: string, facts: RootfsFacts): Promise<void> {
  const etc = join(rootfsDir, 'etc');
  for (const folder of ['etc/systemd/system', 'home', 'root', 'usr/bin', 'usr/sbin', 'lib/systemd/system', 'var/log']) {
    await mkdir(join(rootfsDir, folder), { recursive: true });
  }
  const lines = (entries: readonly string[]): string => `${entries.join('\n')}\n`;
  await writeFile(join(etc, 'passwd'), lines(passwd), { mode: 0o644 });
  await writeFile(join(etc, 'group'), lines(group), { mode: 0o644 });
  await writeFile(join(etc, 'shadow'), lines(shadow), { mode: 0o640 });
  await writeFile(join(etc, 'hostname'), 'localhost\n');
  await writeFile(join(etc, 'hosts'), '127.0.0.1\tlocalhost\n127.0.1.1\tlocalhost\n::1\tip6-localhost ip6-loopback\n');
  await writeFile(join(etc, 'nv_tegra_release'), facts.nvTegraRelease);
  const version = /\d+\.\d+(\.\d+)?/.exec(facts.ubuntu)?.[0] ?? '';
  await writeFile(
    join(etc, 'os-release'),
    `NAME="Ubuntu"\nVERSION_ID="${version.split('.').slice(0, 2).join('.')}"\nPRETTY_NAME="${facts.ubuntu}"\nID=ubuntu\n`,
  );
  await writeFile(join(rootfsDir, 'lib/systemd/system/nv-oem-config.target'), '[Unit]\nDescription=NVIDIA OEM config\n');
  // Absolute, as on the board: from the host it dangles, which is what a rootfs symlink does.
  await symlink('/lib/systemd/system/nv-oem-config.target', join(etc, 'systemd/system/default.target'));
}
