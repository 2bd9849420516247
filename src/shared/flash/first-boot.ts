/**
 * A Jetson's first boot decided before it happens, the way Raspberry Pi
 * Imager's customisation step does it (hostname, user, Wi-Fi, SSH key,
 * locale and time zone: /work/shared/reference/flashing-and-installing.md
 * §3.3). Three paths use the one config:
 * - NVIDIA's `tools/l4t_create_default_user.sh` before a recovery-mode flash
 *   (§4.2): `createDefaultUserArgv`;
 * - the workbench's own rootfs writer, which also does what that script
 *   cannot (SSH key, Wi-Fi, locale, time zone; §4.2 "Gaps for a lab"):
 *   src/writer/rootfs-config.ts;
 * - oem-config over the serial console when the image could not be
 *   pre-configured (§4.1): `oemConfigAnswer`.
 * Every message says what to type: the student reads them in the form.
 */
import { z } from 'zod';
import { parseSshPublicKeyLine, sshPublicKeyMaxLength } from './ssh-public-key-line.ts';

export { isSecretQuestion, oemConfigAnswer } from './oem-config-answers.ts';

/** C0 controls and DEL: a tty acts on them (Enter, Ctrl-C, Ctrl-U), and passwd/shadow lines would break. */
function hasControlCharacter(text: string): boolean {
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export const LinuxUserName = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'Use lower-case letters, digits, - and _ (at most 32), starting with a letter or _.')
  .refine((name) => name !== 'root', 'Pick a name other than root: the board keeps root for the system.');

export const FirstBootPassword = z
  .string()
  .min(1, 'Type a password.')
  .max(128, 'Use at most 128 characters for the password.')
  .refine((password) => !hasControlCharacter(password), 'Leave line breaks, tabs and other control characters out of the password.');

/** The comment field of `/etc/passwd` (GECOS): `:` separates fields and `,` its sub-fields. */
export const FullName = z
  .string()
  .max(64, 'Use at most 64 characters for the full name.')
  .refine((name) => !/[:,]/.test(name) && !hasControlCharacter(name), 'Leave : and , (and line breaks) out of the full name.');

/** One RFC 1123 label: what `hostname`, mDNS (`<name>.local`) and DHCP all take. */
export const HostLabel = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, 'Use letters, digits and - (1 to 63), not starting or ending with -.');

/** Trimmed first: a line copied from a `.pub` file ends with a newline. */
export const SshPublicKey = z
  .string()
  .trim()
  .max(sshPublicKeyMaxLength, { error: 'Paste one public key line (at most 16 KiB).', abort: true })
  .refine(
    (line) => parseSshPublicKeyLine(line) !== null,
    'Paste one public key line from your .pub file: ssh-ed25519 (or ssh-rsa, ecdsa-sha2-nistp256) AAAA… and an optional comment.',
  );

/** An 802.11 SSID is 1 to 32 bytes (IEEE 802.11 §9.4.2.2); UTF-8 letters outside ASCII take 2 to 4. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const WifiSettings = z
  .object({
    ssid: z
      .string()
      .refine(
        (ssid) => utf8Length(ssid) >= 1 && utf8Length(ssid) <= 32 && !hasControlCharacter(ssid),
        'Type the Wi-Fi network name as your devices show it (1 to 32 bytes; letters with accents count double).',
      ),
    // WPA2-Personal: a passphrase of 8 to 63 printable ASCII characters, or the 256-bit key as 64 hex digits (IEEE 802.11i).
    password: z
      .string()
      .refine(
        (psk) => /^[\x20-\x7e]{8,63}$/.test(psk) || /^[0-9A-Fa-f]{64}$/.test(psk),
        'Type the Wi-Fi password: 8 to 63 letters, digits, spaces or punctuation (no accents), or the 64-digit hex key.',
      ),
    country: z.string().regex(/^[A-Z]{2}$/, 'Type the two capital letters of the country the board is in (for example US, DE, IN).'),
  })
  .strict();

export const Locale = z
  .string()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?\.UTF-8$/, 'Type a locale like en_US.UTF-8 (language, _COUNTRY, then .UTF-8).');

export const TimeZone = z
  .string()
  .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/, 'Type a time zone like Europe/Berlin, America/New_York or Etc/UTC.')
  .refine((zone) => !zone.includes('..'), 'Type a time zone like Europe/Berlin, America/New_York or Etc/UTC.');

export const FirstBootConfig = z
  .object({
    user: LinuxUserName,
    password: FirstBootPassword,
    fullName: FullName.optional(),
    hostname: HostLabel,
    sshPublicKey: SshPublicKey.optional(),
    wifi: WifiSettings.optional(),
    locale: Locale.default('en_US.UTF-8'),
    timezone: TimeZone.default('Etc/UTC'),
    // oem-config shows NVIDIA's licence and cannot go on without it (§4.1, screen 2); skipping oem-config is
    // accepting it (`--accept-license`, §4.2), so the student must tick the box.
    acceptLicense: z.literal(true, { error: "Accept NVIDIA's software licence to set up the board (the box under the licence)." }),
  })
  .strict();
export type FirstBootConfig = z.infer<typeof FirstBootConfig>;
export type FirstBootConfigInput = z.input<typeof FirstBootConfig>;

/** What replaces every secret in a summary, a log line or an echoed question. */
export const redacted = '••••';

/** The config in lines a log or a confirmation screen can show: no password, no Wi-Fi password, no key body. */
export function firstBootSummary(config: FirstBootConfig): string {
  const key = config.sshPublicKey === undefined ? null : parseSshPublicKeyLine(config.sshPublicKey);
  const lines = [
    `User: ${config.user}${config.fullName ? ` (${config.fullName})` : ''}`,
    `Password: ${redacted}`,
    `Hostname: ${config.hostname}`,
    `SSH key: ${key === null ? 'none' : `${key.type} …${key.comment ? ` ${key.comment}` : ''}`}`,
    `Wi-Fi: ${config.wifi === undefined ? 'none' : `${JSON.stringify(config.wifi.ssid)} (country ${config.wifi.country}), password ${redacted}`}`,
    `Locale: ${config.locale}`,
    `Time zone: ${config.timezone}`,
    `NVIDIA licence: ${config.acceptLicense ? 'accepted' : 'not accepted'}`,
  ];
  return lines.join('\n');
}

/**
 * The command line of NVIDIA's `tools/l4t_create_default_user.sh` (§4.2
 * usage): user, password, hostname and `--accept-license`, never `-a`
 * (autologin would leave a logged-in console on a lab bench). Run it as root
 * with cwd = `Linux_for_Tegra`, before `flash.sh`. The script takes nothing
 * else (§4.2 "Gaps for a lab"): the key, Wi-Fi, locale and time zone go in
 * through src/writer/rootfs-config.ts. The password is an argument of the
 * script, so whoever can list this computer's processes can read it while it
 * runs: run it only on the student's own computer.
 */
export function createDefaultUserArgv(config: FirstBootConfig): string[] {
  return ['./tools/l4t_create_default_user.sh', '-u', config.user, '-p', config.password, '-n', config.hostname, '--accept-license'];
}
