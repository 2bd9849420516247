/**
 * The text of the files rootfs-config.ts writes in a Jetson image: pure
 * functions, old text in, new text out, so each rule is testable alone.
 */
import { pbkdf2Sync } from 'node:crypto';

/** `text` with the first line matching `pattern` replaced by `line` (and later matches dropped), or `line` appended. */
export function setLine(text: string | null, pattern: RegExp, line: string): string {
  const lines = (text ?? '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = lines.findIndex((candidate) => pattern.test(candidate));
  if (first < 0) return [...lines, line].join('\n') + '\n';
  const kept = lines.filter((candidate, index) => index <= first || !pattern.test(candidate));
  kept[first] = line;
  return kept.join('\n') + '\n';
}

/** `/etc/hosts` naming the board as Ubuntu's installer does: `127.0.1.1 <hostname>` (§4.2, what the script's sed does). */
export function hostsWithName(hosts: string | null, hostname: string): string {
  return setLine(hosts ?? '127.0.0.1\tlocalhost\n', /^127\.0\.1\.1(\s|$)/, `127.0.1.1\t${hostname}`);
}

/**
 * The gid of `name` in a group file, or null. rootfs-config.ts gives shadow
 * and gshadow to the `shadow` group (0640) as Debian does, when the image has it.
 */
export function groupId(group: string, name: string): number | null {
  const row = group.split('\n').find((line) => line.split(':')[0] === name);
  const id = Number(row?.split(':')[2]);
  return row !== undefined && Number.isInteger(id) ? id : null;
}

/**
 * The mode `useradd -m` gives a home: login.defs HOME_MODE when set (0750 on
 * Ubuntu 22.04, JetPack 6), else 0777 less UMASK, which is 022 on Ubuntu
 * 20.04 (JetPack 5): 0755.
 */
export function homeMode(loginDefs: string | null): number {
  const setting = (name: string): number | null => {
    const match = new RegExp(`^\\s*${name}\\s+([0-7]{3,4})\\s*$`, 'm').exec(loginDefs ?? '');
    return match?.[1] === undefined ? null : parseInt(match[1], 8) & 0o777;
  };
  return setting('HOME_MODE') ?? 0o777 & ~(setting('UMASK') ?? 0o022);
}

/** A file name NetworkManager takes for the network: letters, digits, - and _ of the SSID. */
export function connectionFileName(ssid: string): string {
  const safe = ssid.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return `${safe === '' ? 'wifi' : safe}.nmconnection`;
}

/**
 * The WPA2 key of a passphrase: PBKDF2-HMAC-SHA1 of it, salted with the SSID,
 * 4096 rounds, 32 bytes (IEEE 802.11i annex H.4). Raspberry Pi Imager writes
 * this instead of the passphrase (reference §3.3), and so do we: the card
 * never holds the password the student typed. A 64-digit key is already it.
 */
export function wpaPsk(ssid: string, password: string): string {
  if (/^[0-9A-Fa-f]{64}$/.test(password)) return password.toLowerCase();
  return pbkdf2Sync(password, Buffer.from(ssid, 'utf8'), 4096, 32, 'sha1').toString('hex');
}

/** A GLib key-file string value: `\` doubled, spaces at either end as `\s` (GLib would trim them). */
function keyFileString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/^ +| +$/g, (spaces) => '\\s'.repeat(spaces.length));
}

/**
 * NetworkManager's `ssid=`: the name itself, or its bytes as `72;105;` when
 * it could be misread (NetworkManager takes a name of only digits, or one
 * with `;`, `\` or spaces at an end, for a byte list or an escape).
 */
function keyFileSsid(ssid: string): string {
  if (/^[^;\\ ](?:[^;\\]*[^;\\ ])?$/.test(ssid) && !/^[\d\s]+$/.test(ssid)) return ssid;
  return [...Buffer.from(ssid, 'utf8')].map((byte) => `${byte};`).join('');
}

/** A NetworkManager keyfile for a WPA2-Personal network that connects by itself at boot. */
export function nmConnection(ssid: string, password: string, uuid: string): string {
  return [
    '[connection]',
    `id=${keyFileString(ssid)}`,
    `uuid=${uuid}`,
    'type=wifi',
    'autoconnect=true',
    '',
    '[wifi]',
    'mode=infrastructure',
    `ssid=${keyFileSsid(ssid)}`,
    '',
    '[wifi-security]',
    'key-mgmt=wpa-psk',
    `psk=${wpaPsk(ssid, password)}`,
    '',
    '[ipv4]',
    'method=auto',
    '',
    '[ipv6]',
    'addr-gen-mode=default',
    'method=auto',
    '',
  ].join('\n');
}
