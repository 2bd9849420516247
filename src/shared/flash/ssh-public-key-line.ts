/**
 * One OpenSSH public key line (`ssh-ed25519 AAAA… comment`), the form a
 * student pastes from `~/.ssh/id_ed25519.pub` and `authorized_keys` holds.
 * Raspberry Pi Imager's "Remote access" step takes the same line
 * (/work/shared/reference/flashing-and-installing.md §3.3,
 * `RemoteAccessStep.qml`). Checked here so a typo never locks the student
 * out of a board that has just been configured. Pure: no Node.
 */

export const sshPublicKeyTypes = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'] as const;

/** Longest line accepted: an RSA-16384 key is about 2.8 KiB, so 16 KiB leaves room for any comment. */
export const sshPublicKeyMaxLength = 16 * 1024;

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const linePattern = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([^\r\n\0]*))?$/;

export interface SshPublicKeyLine {
  type: (typeof sshPublicKeyTypes)[number];
  /** The base64 key blob. */
  blob: string;
  comment: string;
}

/** The line split into its parts, or null when it is not one key of a type we take. */
export function parseSshPublicKeyLine(line: string): SshPublicKeyLine | null {
  if (line.length > sshPublicKeyMaxLength) return null;
  const match = linePattern.exec(line);
  const [, type = '', blob = '', comment = ''] = match ?? [];
  if (!isKeyType(type) || blob.length % 4 !== 0) return null;
  // The blob starts with its own type name (RFC 4253 §6.6): a key pasted under the wrong name, or cut short, is refused.
  const bytes = decodeBase64(blob.slice(0, 4 * Math.ceil((4 + type.length) / 3)));
  if (bytes === null || bytes.length < 4 + type.length) return null;
  const nameLength = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
  const name = String.fromCharCode(...bytes.slice(4, 4 + type.length));
  if (nameLength !== type.length || name !== type) return null;
  return { type, blob, comment: comment.trim() };
}

function isKeyType(type: string): type is SshPublicKeyLine['type'] {
  return (sshPublicKeyTypes as readonly string[]).includes(type);
}

function decodeBase64(text: string): number[] | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    if (char === '=') break;
    const digit = base64Alphabet.indexOf(char);
    if (digit < 0) return null;
    value = ((value << 6) | digit) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 255);
    }
  }
  return bytes;
}
