/**
 * applyFirstBoot on a small fake Jetson root filesystem in a temporary folder:
 * the real files it leaves (accounts, modes and owners, key, Wi-Fi, locale,
 * time zone, oem-config skipped) and its refusals (a link aimed at this
 * computer's files, a user that exists), which must leave the image and
 * this computer as they were. Root only: it sets owners.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FirstBootConfig } from '../shared/flash/first-boot.ts';
import { applyFirstBoot } from './rootfs-config.ts';
import { connectionFileName, homeMode, nmConnection } from './rootfs-config-text.ts';
import { sha512Crypt } from './sha512-crypt.ts';

const isRoot = process.getuid?.() === 0;
const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGfiiJXQz6Wl1cFmNdZPdCzEzZsuBaerwlY7ceeBDahi student@laptop';
/** IEEE 802.11i-2004 annex H.4.2, first vector: passphrase "password", SSID "IEEE". */
const ieeePsk = 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e';

const config: FirstBootConfig = {
  user: 'student',
  password: 'jetson-lab',
  fullName: 'Ada Student',
  hostname: 'bench-07',
  sshPublicKey: sshKey,
  wifi: { ssid: 'IEEE', password: 'password', country: 'DE' },
  locale: 'fr_FR.UTF-8',
  timezone: 'Europe/Berlin',
  acceptLicense: true,
};

const fixture: Record<string, string> = {
  'etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\nsshd:x:110:65534::/run/sshd:/usr/sbin/nologin\nnvidia-old:x:1000:1000::/home/nvidia-old:/bin/bash\n',
  'etc/group': 'root:x:0:\nshadow:x:42:\nadm:x:4:syslog\nsudo:x:27:\nvideo:x:44:\nnvidia-old:x:1000:\n',
  'etc/shadow': 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\nnvidia-old:*:19000:0:99999:7:::\n',
  'etc/gshadow': 'root:*::\nshadow:*::\nadm:*::syslog\nsudo:*::\nvideo:*::\nnvidia-old:!::\n',
  'etc/hostname': 'localhost\n',
  'etc/hosts': '127.0.0.1\tlocalhost\n127.0.1.1\tlocalhost\n::1\tip6-localhost ip6-loopback\n',
  'etc/login.defs': 'UMASK\t\t022\nHOME_MODE\t0750\n',
  'etc/default/locale': 'LANG=en_US.UTF-8\n',
  'etc/default/crda': '# Set REGDOMAIN to a ISO/IEC 3166-1 alpha2 country code\nREGDOMAIN=\n',
  'etc/locale.gen': '# en_US.UTF-8 UTF-8\n# fr_FR.UTF-8 UTF-8\n',
  'etc/timezone': 'Etc/UTC\n',
  'etc/skel/.bashrc': '# ~/.bashrc\n',
  'etc/skel/.config/autostart/hello.desktop': '[Desktop Entry]\n',
  'lib/systemd/system/nv-oem-config.target': '[Unit]\nDescription=NVIDIA OEM config\n',
  'usr/share/zoneinfo/Etc/UTC': 'TZif2 UTC\n',
  'usr/share/zoneinfo/Europe/Berlin': 'TZif2 Berlin\n',
};

describe.runIf(isRoot)('applyFirstBoot', () => {
  let folder: string;
  let root: string;
  const at = (path: string): string => join(root, path);
  const text = (path: string): string => readFileSync(at(path), 'utf8');
  const owner = (path: string): { mode: number; uid: number; gid: number } => {
    const stat = lstatSync(at(path));
    return { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-rootfs-config-'));
    root = join(folder, 'rootfs');
    for (const [path, content] of Object.entries(fixture)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content, { mode: 0o644 });
    }
    mkdirSync(at('home'));
    mkdirSync(at('etc/systemd/system'), { recursive: true });
    symlinkSync('/usr/share/zoneinfo/Etc/UTC', at('etc/localtime'));
    symlinkSync('.bashrc', at('etc/skel/.bash_aliases'));
    // Absolute, as on a Jetson image: from this computer it dangles.
    symlinkSync('/lib/systemd/system/nv-oem-config.target', at('etc/systemd/system/default.target'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** Every file of the image with its text (or link target) and mode, to show a refusal changed nothing. */
  function snapshot(): string[] {
    return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((path) => {
      const stat = lstatSync(at(path));
      const content = stat.isSymbolicLink() ? `-> ${readlinkSync(at(path))}` : stat.isFile() ? text(path) : 'dir';
      return `${path} ${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid} ${content}`;
    });
  }

  it('adds the account with a hash of the password, and a home from etc/skel owned by the user', async () => {
    const changed = await applyFirstBoot(root, config);
    expect(text('etc/passwd')).toContain('\nstudent:x:1001:1001:Ada Student:/home/student:/bin/bash\n');
    expect(text('etc/group')).toMatch(/^sudo:x:27:student$/m);
    expect(text('etc/group')).toMatch(/^adm:x:4:syslog,student$/m);
    expect(text('etc/gshadow')).toMatch(/^student:!::$/m);
    const [, hash = '', day] = /^student:([^:]*):(\d+):0:99999:7:::$/m.exec(text('etc/shadow')) ?? [];
    expect(hash).toMatch(/^\$6\$/);
    expect(sha512Crypt('jetson-lab', hash)).toBe(hash);
    expect(Number(day)).toBe(Math.floor(Date.now() / 86_400_000));
    expect(owner('etc/passwd')).toEqual({ mode: 0o644, uid: 0, gid: 0 });
    expect(owner('etc/group')).toEqual({ mode: 0o644, uid: 0, gid: 0 });
    expect(owner('etc/shadow')).toEqual({ mode: 0o640, uid: 0, gid: 42 });
    expect(owner('etc/gshadow')).toEqual({ mode: 0o640, uid: 0, gid: 42 });
    // HOME_MODE 0750 in the image's login.defs, as on Ubuntu 22.04.
    expect(owner('home/student')).toEqual({ mode: 0o750, uid: 1001, gid: 1001 });
    expect(text('home/student/.bashrc')).toBe('# ~/.bashrc\n');
    expect(owner('home/student/.bashrc')).toMatchObject({ uid: 1001, gid: 1001 });
    expect(owner('home/student/.config/autostart/hello.desktop')).toMatchObject({ uid: 1001, gid: 1001 });
    expect(readlinkSync(at('home/student/.bash_aliases'))).toBe('.bashrc');
    expect(changed).toEqual(expect.arrayContaining(['etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow', 'home/student']));
    expect(changed.join('\n')).not.toContain('jetson-lab');
  });

  it('sets the hostname, the SSH key, the locale and the time zone', async () => {
    await applyFirstBoot(root, config);
    expect(text('etc/hostname')).toBe('bench-07\n');
    expect(text('etc/hosts')).toBe('127.0.0.1\tlocalhost\n127.0.1.1\tbench-07\n::1\tip6-localhost ip6-loopback\n');
    expect(text('home/student/.ssh/authorized_keys')).toBe(`${sshKey}\n`);
    expect(owner('home/student/.ssh')).toEqual({ mode: 0o700, uid: 1001, gid: 1001 });
    expect(owner('home/student/.ssh/authorized_keys')).toEqual({ mode: 0o600, uid: 1001, gid: 1001 });
    expect(text('etc/default/locale')).toBe('LANG=fr_FR.UTF-8\n');
    expect(text('etc/locale.gen')).toBe('# en_US.UTF-8 UTF-8\nfr_FR.UTF-8 UTF-8\n');
    expect(text('etc/timezone')).toBe('Europe/Berlin\n');
    expect(readlinkSync(at('etc/localtime'))).toBe('/usr/share/zoneinfo/Europe/Berlin');
  });

  it('writes a Wi-Fi keyfile for NetworkManager with the hashed key, and the country', async () => {
    const changed = await applyFirstBoot(root, config);
    const path = 'etc/NetworkManager/system-connections/IEEE.nmconnection';
    expect(changed).toContain(path);
    const keyfile = text(path);
    expect(keyfile).toMatch(/^\[connection\]\nid=IEEE\nuuid=[0-9a-f-]{36}\ntype=wifi\nautoconnect=true\n/);
    expect(keyfile).toContain('\n[wifi]\nmode=infrastructure\nssid=IEEE\n');
    expect(keyfile).toContain(`\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=${ieeePsk}\n`);
    expect(keyfile).not.toContain('password');
    expect(owner(path)).toEqual({ mode: 0o600, uid: 0, gid: 0 });
    expect(text('etc/default/crda')).toMatch(/^REGDOMAIN=DE$/m);
    expect(text('etc/modprobe.d/jwb-wifi-country.conf')).toBe('options cfg80211 ieee80211_regdom=DE\n');
  });

  it('names odd networks safely', () => {
    expect(connectionFileName('Café Wi-Fi 5G')).toBe('Caf_Wi-Fi_5G.nmconnection');
    expect(connectionFileName('../..')).toBe('wifi.nmconnection');
    const uuid = '00000000-0000-4000-8000-000000000000';
    // A name of digits would be read as bytes by NetworkManager: it is written as bytes.
    expect(nmConnection('123', 'password', uuid)).toContain('\nssid=49;50;51;\n');
    expect(nmConnection(' lab;1', 'password', uuid)).toContain('\nid=\\slab;1\nuuid=');
    expect(nmConnection('lab', 'ABCDEF'.repeat(10) + 'ABCD', uuid)).toContain(`\npsk=${'abcdef'.repeat(10)}abcd\n`);
    expect(homeMode(null)).toBe(0o755);
    expect(homeMode('UMASK 027\n')).toBe(0o750);
  });

  it('skips oem-config as l4t_create_default_user.sh does: default.target is gone', async () => {
    const changed = await applyFirstBoot(root, config);
    expect(() => lstatSync(at('etc/systemd/system/default.target'))).toThrow(/ENOENT/);
    expect(changed).toContain('etc/systemd/system/default.target');
    expect(statSync(at('lib/systemd/system/nv-oem-config.target')).isFile()).toBe(true);
  });

  it('works on a minimal image: no gshadow, no shadow group, no skel, no key, no Wi-Fi', async () => {
    for (const path of ['etc/gshadow', 'etc/login.defs', 'etc/default/crda']) rmSync(at(path));
    rmSync(at('etc/skel'), { recursive: true });
    writeFileSync(at('etc/group'), 'root:x:0:\nsudo:x:27:\n');
    const { sshPublicKey: _key, wifi: _wifi, ...bare } = config;
    const changed = await applyFirstBoot(root, bare);
    expect(owner('etc/shadow')).toEqual({ mode: 0o600, uid: 0, gid: 0 });
    expect(owner('home/student')).toEqual({ mode: 0o755, uid: 1001, gid: 1001 });
    expect(readdirSync(at('home/student'))).toEqual([]);
    expect(changed.some((path) => path.includes('NetworkManager') || path.includes('.ssh'))).toBe(false);
  });

  it('refuses etc/hostname → /etc/shadow before writing anything, here or in the image', async () => {
    rmSync(at('etc/hostname'));
    symlinkSync('/etc/shadow', at('etc/hostname'));
    const hostShadow = lstatSync('/etc/shadow', { throwIfNoEntry: false });
    const before = snapshot();
    await expect(applyFirstBoot(root, config)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/etc\/hostname.*link/),
    });
    expect(snapshot()).toEqual(before);
    const after = lstatSync('/etc/shadow', { throwIfNoEntry: false });
    expect(after?.mtimeMs).toBe(hostShadow?.mtimeMs);
    expect(after?.size).toBe(hostShadow?.size);
  });

  it('keeps a home link aimed out of the image inside it', async () => {
    const outside = join(folder, 'outside');
    mkdirSync(outside);
    rmSync(at('home'), { recursive: true });
    symlinkSync('../outside', at('home'));
    const before = snapshot();
    // On the board, /home → ../outside is /outside, which the image does not have.
    await expect(applyFirstBoot(root, config)).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/no \/home/) });
    expect(readdirSync(outside)).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a user the image already has, changing nothing', async () => {
    const before = snapshot();
    await expect(applyFirstBoot(root, { ...config, user: 'nvidia-old' })).rejects.toMatchObject({ code: 'conflict' });
    expect(snapshot()).toEqual(before);
  });

  it('refuses a time zone the image lacks, changing nothing', async () => {
    const before = snapshot();
    await expect(applyFirstBoot(root, { ...config, timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'not-found' });
    expect(snapshot()).toEqual(before);
  });
});
