/**
 * A Jetson's first boot set up on its mounted root filesystem, the way
 * Raspberry Pi Imager customises a card (user, hostname, SSH key, Wi-Fi,
 * locale, time zone: /work/shared/reference/flashing-and-installing.md
 * §3.3) and NVIDIA's `tools/l4t_create_default_user.sh` prepares a rootfs
 * (§4.2), which cannot be run on a downloaded SD image and sets no key,
 * Wi-Fi, locale or time zone ("Gaps for a lab").
 *
 * Two passes: everything is read and checked first (a user that exists, a
 * link where a file should be, a time zone the image lacks), and only then
 * is anything written, so a refusal leaves the card as it was. Every file
 * goes through RootfsFiles: a link in the image never leads to this
 * computer's files. The config was validated by the writer protocol
 * (src/shared/writer-protocol.ts); secrets go into the image only, hashed
 * where the board allows it, never into a message or the returned list.
 */
import { randomUUID } from 'node:crypto';
import type { FirstBootConfig } from '../shared/flash/first-boot.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { addAccount } from './rootfs-accounts.ts';
import { connectionFileName, groupId, homeMode, hostsWithName, nmConnection, setLine } from './rootfs-config-text.ts';
import { type Ownership, RootfsFiles, rootOwned } from './rootfs-files.ts';
import { sha512Crypt } from './sha512-crypt.ts';

type Step =
  | { kind: 'write'; path: string; content: string; owner: Ownership }
  | { kind: 'directory'; path: string; owner: Ownership; skeleton?: string }
  | { kind: 'link'; path: string; target: string }
  | { kind: 'remove'; path: string };

const dayMs = 86_400_000;

/** Applies `config` to the root filesystem at `rootDir`; returns the image-relative paths it changed. */
export async function applyFirstBoot(rootDir: string, config: FirstBootConfig): Promise<string[]> {
  const files = await RootfsFiles.open(rootDir);
  const steps = await plan(files, config);
  for (const step of steps) await apply(files, step);
  return steps.map((step) => step.path);
}

async function plan(files: RootfsFiles, config: FirstBootConfig): Promise<Step[]> {
  const steps: Step[] = [];
  /** Reads the file first, so a link there is refused (RootfsFiles.read) before anything is written. */
  const write = async (path: string, content: (old: string | null) => string, owner: Ownership = rootOwned(0o644)): Promise<void> => {
    steps.push({ kind: 'write', path, content: content((await files.read(path))?.text ?? null), owner });
  };
  const required = async (path: string): Promise<string> => {
    const file = await files.read(path);
    if (file === null) throw new WorkbenchFailure('not-found', `The image has no ${path}: is it a Jetson SD card image?`, path);
    return file.text;
  };

  // 1. The account, as `useradd -m -G sudo,video,…` in the script's chroot makes it (§4.2, rootfs-accounts.ts).
  const account = addAccount(
    {
      passwd: await required('etc/passwd'),
      group: await required('etc/group'),
      shadow: await required('etc/shadow'),
      gshadow: (await files.read('etc/gshadow'))?.text ?? null,
    },
    {
      user: config.user,
      fullName: config.fullName ?? '',
      passwordHash: sha512Crypt(config.password),
      changedDay: Math.floor(Date.now() / dayMs),
    },
  );
  const home = account.home.slice(1);
  // Checked now, not when the folder is made: a home link leading nowhere in the image would fail after the accounts were written.
  if (!(await files.exists('home')))
    throw new WorkbenchFailure('not-found', 'The image has no /home folder: is it a Jetson SD card image?', 'home');
  if ((await files.entry(home)) !== null) {
    throw new WorkbenchFailure('conflict', `The image already has a folder ${account.home}: pick another user name.`, home);
  }
  // Debian's modes: the hashes readable by group shadow only (0640), or by root alone on an image without that group.
  const shadowGid = groupId(account.files.group, 'shadow');
  const secret: Ownership = shadowGid === null ? rootOwned(0o600) : { mode: 0o640, uid: 0, gid: shadowGid };
  const user = (mode: number): Ownership => ({ mode, uid: account.uid, gid: account.gid });
  await write('etc/group', () => account.files.group);
  const { gshadow } = account.files;
  if (gshadow !== null) await write('etc/gshadow', () => gshadow, secret);
  await write('etc/shadow', () => account.files.shadow, secret);
  await write('etc/passwd', () => account.files.passwd);
  const loginDefs = await files.read('etc/login.defs');
  steps.push({ kind: 'directory', path: home, owner: user(homeMode(loginDefs?.text ?? null)), skeleton: 'etc/skel' });

  // 2. The name, as the script writes it (§4.2 `-n`): etc/hostname and the 127.0.1.1 line of etc/hosts.
  await write('etc/hostname', () => `${config.hostname}\n`);
  await write('etc/hosts', (hosts) => hostsWithName(hosts, config.hostname));

  // 3. The key the script cannot set (§4.2 "Gaps for a lab"), as Pi Imager's "Remote access" step does (§3.3).
  if (config.sshPublicKey !== undefined) {
    const key = config.sshPublicKey.trim();
    steps.push({ kind: 'directory', path: `${home}/.ssh`, owner: user(0o700) });
    steps.push({ kind: 'write', path: `${home}/.ssh/authorized_keys`, content: `${key}\n`, owner: user(0o600) });
  }

  // 4. Wi-Fi: NetworkManager ignores a keyfile that is not root's and 0600; the key is stored hashed (§3.3).
  if (config.wifi !== undefined) {
    const { ssid, password, country } = config.wifi;
    await write(
      `etc/NetworkManager/system-connections/${connectionFileName(ssid)}`,
      () => nmConnection(ssid, password, randomUUID()),
      rootOwned(0o600),
    );
    // The reference names no Jetson way to set the regulatory country: crda's file where the image has crda
    // (Ubuntu 20.04, JetPack 5), and cfg80211's own option, which Ubuntu 22.04 (JetPack 6, no crda) reads.
    if ((await files.read('etc/default/crda')) !== null)
      await write('etc/default/crda', (old) => setLine(old, /^REGDOMAIN=/, `REGDOMAIN=${country}`));
    await write('etc/modprobe.d/jwb-wifi-country.conf', () => `options cfg80211 ieee80211_regdom=${country}\n`);
  }

  // 5. Locale and time zone, what oem-config asks on screens 3-5 (§4.1).
  await write('etc/default/locale', (old) => setLine(old, /^LANG=/, `LANG=${config.locale}`));
  const localeGen = await files.read('etc/locale.gen');
  const commented = new RegExp(`^#\\s*${config.locale.replace(/\./g, '\\.')} UTF-8\\s*$`);
  if (localeGen !== null && localeGen.text.split('\n').some((line) => commented.test(line))) {
    // Marks it wanted; the board compiles it the next time locale-gen runs.
    await write('etc/locale.gen', (old) => setLine(old, commented, `${config.locale} UTF-8`));
  }
  const zone = `usr/share/zoneinfo/${config.timezone}`;
  if (!(await files.exists(zone)))
    throw new WorkbenchFailure('not-found', `The image has no time zone ${config.timezone}: pick another.`, zone);
  await write('etc/timezone', () => `${config.timezone}\n`);
  steps.push({ kind: 'link', path: 'etc/localtime', target: `/${zone}` });

  // 6. No oem-config: the script's "remove default.target symlink to bypass oem config setup" (§4.2), which
  // points at nv-oem-config.target; systemd then boots the image's usual target, to a login. Skipping it is
  // accepting NVIDIA's licence, which FirstBootConfig.acceptLicense requires (`--accept-license`).
  const defaultTarget = 'etc/systemd/system/default.target';
  const target = await files.entry(defaultTarget);
  if (target !== null && !target.isDirectory()) steps.push({ kind: 'remove', path: defaultTarget });
  return steps;
}

async function apply(files: RootfsFiles, step: Step): Promise<void> {
  switch (step.kind) {
    case 'write':
      return files.write(step.path, step.content, step.owner);
    case 'link':
      return files.link(step.path, step.target);
    case 'remove':
      return files.remove(step.path);
    case 'directory':
      // A skeleton may already hold the folder (etc/skel/.ssh): then it stays as copied, owned by the user.
      if ((await files.entry(step.path))?.isDirectory() && step.skeleton === undefined) return;
      await files.makeDirectory(step.path, step.owner);
      if (step.skeleton !== undefined) await files.copyTree(step.skeleton, step.path, step.owner);
  }
}
