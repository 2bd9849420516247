import { describe, expect, it } from 'vitest';
import type { SimBoard } from '../../sim/board.ts';
import { runFirstBoot } from '../../sim/first-boot.ts';
import {
  createDefaultUserArgv,
  FirstBootConfig,
  firstBootSummary,
  isSecretQuestion,
  oemConfigAnswer,
  type FirstBootConfigInput,
} from './first-boot.ts';
import { parseSshPublicKeyLine } from './ssh-public-key-line.ts';

const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFW1gAARrIzTuC2Zf2piJ9eZPmGkrI0xaNIeHDD77OKI ada@laptop';
const ecdsa384 =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBBnTBFZ81H1lblT68cbCdO62DNwQlkNqvr759JDzI/AZtGSEaVqV+fMVXbizhmDIQC/r4b0bvf3VlKgZnF7eawMf4CzStP8u3aplJg9suOaG3zXIbb++orCn7YwDkf7dlA==';

const minimal: FirstBootConfigInput = { user: 'ada', password: 's3cret pass', hostname: 'lab-07', acceptLicense: true };
const full: FirstBootConfigInput = {
  ...minimal,
  fullName: 'Ada Lovelace',
  sshPublicKey: ed25519,
  wifi: { ssid: 'Lab Net', password: 'correct horse', country: 'DE' },
  locale: 'de_DE.UTF-8',
  timezone: 'Europe/Berlin',
};

/** The one message zod gives for `config` with `field` replaced by `value`. */
function messageFor(field: string, value: unknown, base: FirstBootConfigInput = minimal): string[] {
  const result = FirstBootConfig.safeParse({ ...base, [field]: value });
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('FirstBootConfig', () => {
  it('takes a minimal config and fills in the locale and time zone', () => {
    expect(FirstBootConfig.parse(minimal)).toEqual({ ...minimal, locale: 'en_US.UTF-8', timezone: 'Etc/UTC' });
  });

  it('takes every field', () => {
    expect(FirstBootConfig.parse(full)).toEqual(full);
    expect(
      FirstBootConfig.parse({ ...full, sshPublicKey: ecdsa384, wifi: { ssid: 'Ünïcødé✓', password: 'a'.repeat(64), country: 'US' } }),
    ).toBeTruthy();
    expect(
      FirstBootConfig.parse({ ...minimal, user: '_x-1', timezone: 'America/Argentina/Buenos_Aires', locale: 'ast.UTF-8' }),
    ).toBeTruthy();
    expect(FirstBootConfig.parse({ ...minimal, timezone: 'Etc/GMT+5', hostname: 'A'.repeat(63) })).toBeTruthy();
  });

  it('trims the newline a key pasted from its .pub file ends with', () => {
    expect(FirstBootConfig.parse({ ...minimal, sshPublicKey: `${ed25519}\n` }).sshPublicKey).toBe(ed25519);
  });

  it('says what to type for a bad user name, and refuses root', () => {
    const expected = 'user: Use lower-case letters, digits, - and _ (at most 32), starting with a letter or _.';
    for (const user of ['', 'Ada', '1ada', 'ada lovelace', 'a'.repeat(33), 'ada;id', 'ädä'])
      expect(messageFor('user', user)).toEqual([expected]);
    expect(messageFor('user', 'root')).toEqual(['user: Pick a name other than root: the board keeps root for the system.']);
  });

  it('says what is wrong with a password', () => {
    expect(messageFor('password', '')).toEqual(['password: Type a password.']);
    expect(messageFor('password', 'x'.repeat(129))).toEqual(['password: Use at most 128 characters for the password.']);
    for (const password of ['a\nb', 'a\rb', 'a\0b', 'a\tb', 'a\u007fb'])
      expect(messageFor('password', password)).toEqual([
        'password: Leave line breaks, tabs and other control characters out of the password.',
      ]);
    expect(messageFor('password', 'x'.repeat(128))).toEqual([]);
  });

  it('refuses a full name that would break /etc/passwd', () => {
    for (const fullName of ['Ada: Lovelace', 'Lovelace, Ada', 'Ada\nroot::0:0'])
      expect(messageFor('fullName', fullName)).toEqual(['fullName: Leave : and , (and line breaks) out of the full name.']);
    expect(messageFor('fullName', 'x'.repeat(65))).toEqual(['fullName: Use at most 64 characters for the full name.']);
  });

  it('takes a hostname that is one RFC 1123 label', () => {
    const expected = 'hostname: Use letters, digits and - (1 to 63), not starting or ending with -.';
    for (const hostname of ['', '-lab', 'lab-', 'lab.local', 'lab_07', 'a'.repeat(64)])
      expect(messageFor('hostname', hostname)).toEqual([expected]);
  });

  it('takes one OpenSSH public key line and refuses anything else', () => {
    const expected =
      'sshPublicKey: Paste one public key line from your .pub file: ssh-ed25519 (or ssh-rsa, ecdsa-sha2-nistp256) AAAA… and an optional comment.';
    const [type, blob] = ed25519.split(' ') as [string, string];
    for (const key of [
      'ssh-ed25519',
      `ssh-dss ${blob}`,
      // The blob says ed25519: named rsa it is a mistake.
      `ssh-rsa ${blob} me`,
      `${type} ${blob.slice(0, 12)} me`,
      `${type} ${blob}\n${ed25519}`,
      `${type} ${blob} me\0`,
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ])
      expect(messageFor('sshPublicKey', key), key).toEqual([expected]);
    expect(messageFor('sshPublicKey', `${ed25519} ${'x'.repeat(16 * 1024)}`)).toEqual([
      'sshPublicKey: Paste one public key line (at most 16 KiB).',
    ]);
    expect(parseSshPublicKeyLine(ed25519)).toEqual({ type: 'ssh-ed25519', blob, comment: 'ada@laptop' });
    expect(parseSshPublicKeyLine(ecdsa384)).toMatchObject({ type: 'ecdsa-sha2-nistp384', comment: '' });
  });

  it('checks the Wi-Fi settings the way WPA2-Personal does', () => {
    const wifi = (change: object): string[] => messageFor('wifi', { ssid: 'Lab', password: '12345678', country: 'US', ...change });
    expect(wifi({})).toEqual([]);
    expect(wifi({ ssid: '' })[0]).toMatch(/^wifi\.ssid: Type the Wi-Fi network name .*1 to 32 bytes/);
    expect(wifi({ ssid: 'x'.repeat(33) })).toHaveLength(1);
    // 16 two-byte letters are 32 bytes, 17 are too many.
    expect(wifi({ ssid: 'é'.repeat(16) })).toEqual([]);
    expect(wifi({ ssid: 'é'.repeat(17) })).toHaveLength(1);
    expect(wifi({ ssid: 'a\nb' })).toHaveLength(1);
    const passwordMessage =
      'wifi.password: Type the Wi-Fi password: 8 to 63 letters, digits, spaces or punctuation (no accents), or the 64-digit hex key.';
    for (const password of ['1234567', 'x'.repeat(64), 'naïve password', 'g'.repeat(64), 'a\tbcdefgh'])
      expect(wifi({ password })).toEqual([passwordMessage]);
    expect(wifi({ password: 'x'.repeat(63) })).toEqual([]);
    expect(wifi({ password: 'aB09'.repeat(16) })).toEqual([]);
    for (const country of ['us', 'USA', 'U', ''])
      expect(wifi({ country })).toEqual([
        'wifi.country: Type the two capital letters of the country the board is in (for example US, DE, IN).',
      ]);
    expect(wifi({ band: '5GHz' })).toHaveLength(1);
  });

  it('says what a locale and a time zone look like', () => {
    for (const locale of ['en_US', 'en_US.utf8', 'EN_us.UTF-8', 'en_US.UTF-8\nLC_ALL=C', 'C.UTF-8'])
      expect(messageFor('locale', locale)).toEqual(['locale: Type a locale like en_US.UTF-8 (language, _COUNTRY, then .UTF-8).']);
    for (const timezone of ['../../etc/passwd', '/etc/UTC', 'Europe/../../x', 'Europe/Berlin/', 'Europe Berlin', 'a/b/c/d', ''])
      expect(messageFor('timezone', timezone)).toContain('timezone: Type a time zone like Europe/Berlin, America/New_York or Etc/UTC.');
  });

  it("requires NVIDIA's licence to be accepted", () => {
    const expected = "acceptLicense: Accept NVIDIA's software licence to set up the board (the box under the licence).";
    expect(messageFor('acceptLicense', false)).toEqual([expected]);
    expect(messageFor('acceptLicense', undefined)).toEqual([expected]);
    expect(messageFor('acceptLicense', 'yes')).toEqual([expected]);
  });

  it('refuses fields it does not know (the renderer is untrusted)', () => {
    expect(FirstBootConfig.safeParse({ ...minimal, autologin: true }).success).toBe(false);
  });
});

describe('firstBootSummary', () => {
  it('shows every setting but the secrets', () => {
    const summary = firstBootSummary(FirstBootConfig.parse(full));
    expect(summary).toBe(
      [
        'User: ada (Ada Lovelace)',
        'Password: ••••',
        'Hostname: lab-07',
        'SSH key: ssh-ed25519 … ada@laptop',
        'Wi-Fi: "Lab Net" (country DE), password ••••',
        'Locale: de_DE.UTF-8',
        'Time zone: Europe/Berlin',
        'NVIDIA licence: accepted',
      ].join('\n'),
    );
    expect(summary).not.toContain('s3cret');
    expect(summary).not.toContain('correct horse');
    expect(summary).not.toContain('AAAAC3');
  });

  it('says none for what is not set', () => {
    const summary = firstBootSummary(FirstBootConfig.parse(minimal));
    expect(summary).toContain('User: ada\n');
    expect(summary).toContain('SSH key: none');
    expect(summary).toContain('Wi-Fi: none');
  });
});

describe('createDefaultUserArgv', () => {
  it("builds NVIDIA's script line with user, password, hostname and the licence, never autologin", () => {
    const argv = createDefaultUserArgv(FirstBootConfig.parse(full));
    expect(argv).toEqual(['./tools/l4t_create_default_user.sh', '-u', 'ada', '-p', 's3cret pass', '-n', 'lab-07', '--accept-license']);
    expect(argv).not.toContain('-a');
  });
});

describe('oemConfigAnswer', () => {
  const config = FirstBootConfig.parse(full);

  it('answers every question the simulated board asks, verbatim', () => {
    const answers: [string, string][] = [
      ['Press <Enter> to continue:', ''],
      ['Do you accept the terms of this license? [yes/no]:', 'yes'],
      ['Language [English]:', 'German'],
      ['Country, territory or area [United States]:', 'Germany'],
      ['Time zone [America/Los_Angeles]:', 'Europe/Berlin'],
      ['Is the system clock set to UTC? [Yes/no]:', 'yes'],
      ['Your name:', 'Ada Lovelace'],
      ['Pick a username:', 'ada'],
      ['Choose a password:', 's3cret pass'],
      ['Re-enter password to verify:', 's3cret pass'],
      ['Please enter desired size of APP partition in Megabytes (MB). Enter 0 or leave blank to use the maximum size value [0]:', '0'],
      ['Create SWAP File (Recommended)? [Yes/no]:', 'yes'],
      ['Primary network interface [eth0]:', 'wlan0'],
      ['Hostname:', 'lab-07'],
    ];
    for (const [question, answer] of answers) expect(oemConfigAnswer(question, config), question).toBe(answer);
  });

  it("answers the real wizard's wording (reference §4.1)", () => {
    expect(oemConfigAnswer('Press space to start', config)).toBe(' ');
    expect(oemConfigAnswer('Use weak password?', config)).toBe('yes');
    expect(oemConfigAnswer('Username for your account:', config)).toBe('ada');
    expect(oemConfigAnswer('Full name for the new user:', config)).toBe('Ada Lovelace');
    expect(oemConfigAnswer('Wireless network (SSID):', config)).toBe('Lab Net');
    expect(oemConfigAnswer('WPA passphrase for the wireless network:', config)).toBe('correct horse');
    expect(oemConfigAnswer("Your computer's name:", config)).toBe('lab-07');
  });

  it('falls back to what the config has: the user name for a full name, eth0 without Wi-Fi, the country of the Wi-Fi', () => {
    const plain = FirstBootConfig.parse({ ...minimal, locale: 'eo.UTF-8', wifi: { ssid: 'x', password: '12345678', country: 'IN' } });
    expect(oemConfigAnswer('Your name:', plain)).toBe('ada');
    expect(oemConfigAnswer('Country, territory or area [United States]:', plain)).toBe('India');
    expect(oemConfigAnswer('Primary network interface [eth0]:', FirstBootConfig.parse(minimal))).toBe('eth0');
    expect(oemConfigAnswer('Wireless network (SSID):', FirstBootConfig.parse(minimal))).toBeUndefined();
  });

  it('leaves a question it does not know to the student', () => {
    expect(oemConfigAnswer('Install Chromium Browser? [Yes/no]:', config)).toBeUndefined();
    expect(oemConfigAnswer('Keyboard layout [us]:', config)).toBeUndefined();
    expect(oemConfigAnswer('', config)).toBeUndefined();
  });

  it('completes the simulated wizard with the answers alone', async () => {
    const board = {
      user: 'nvidia',
      hostname: 'tegra-ubuntu',
      state: { user: 'nvidia', password: 'nvidia', hostname: 'tegra-ubuntu', firstBootDone: false },
      applyAccountChange: async () => undefined,
    };
    let screen = '';
    const asked: string[] = [];
    const io = {
      write: (text: string) => void (screen += text),
      readLine: async () => {
        const question = screen.trim().split('\n').at(-1)?.trim() ?? '';
        screen = '';
        asked.push(question);
        // Stop a wizard that keeps asking: an answer it refuses would repeat forever.
        if (asked.length > 40) return null;
        return oemConfigAnswer(question, config) ?? null;
      },
    };
    expect(await runFirstBoot(board as unknown as SimBoard, io)).toBe(true);
    expect(board.state).toMatchObject({ user: 'ada', password: 's3cret pass', hostname: 'lab-07', firstBootDone: true });
    expect(asked).toHaveLength(14);
  });
});

describe('isSecretQuestion', () => {
  it('flags the password questions, not a yes/no question about a password', () => {
    for (const question of ['Choose a password:', 'Re-enter password to verify:', 'WPA passphrase for the wireless network:'])
      expect(isSecretQuestion(question), question).toBe(true);
    for (const question of ['Use weak password?', 'Use weak password? [yes/No]:', 'Pick a username:', 'Hostname:'])
      expect(isSecretQuestion(question), question).toBe(false);
  });
});
