/**
 * An ed25519 key pair in OpenSSH's formats (`openssh-key-v1` private key,
 * `ssh-ed25519 AAAA… comment` public line), from the JWK of a key Node's
 * `generateKeyPairSync('ed25519')` made (its raw 32-byte seed `d` and public
 * key `x`). The workbench's login key (src/main/link/ed25519.ts) and the
 * simulator's host keys are written by this one function: ssh2's own
 * generator drops leading zero bytes of the key (mscdex/ssh2#1390), and a
 * format written here from the raw bytes cannot. Pure: no Node.
 */
const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[index], bytes[index + 1], bytes[index + 2]];
    const chunk = (a << 16) | (b << 8) | c;
    const left = bytes.length - index;
    text += base64Alphabet[(chunk >> 18) & 63] ?? '';
    text += base64Alphabet[(chunk >> 12) & 63] ?? '';
    text += left > 1 ? (base64Alphabet[(chunk >> 6) & 63] ?? '') : '=';
    text += left > 2 ? (base64Alphabet[chunk & 63] ?? '') : '=';
  }
  return text;
}

/** UTF-8 bytes of `text` (shared code has no TextEncoder in its library). */
function utf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

/** SSH's `string`: a 4-byte length, then the bytes. */
function sshString(value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? utf8(value) : value;
  return concat([uint32(bytes.length), bytes]);
}

function fromBase64Url(text: string): Uint8Array {
  const bits = [...text].map((char) => base64Alphabet.indexOf(char === '-' ? '+' : char === '_' ? '/' : char));
  if (bits.some((value) => value < 0)) throw new Error('not base64url');
  const bytes: number[] = [];
  for (let index = 0; index + 1 < bits.length; index += 4) {
    const [a = 0, b = 0, c = 0, d = 0] = bits.slice(index, index + 4);
    const chunk = (a << 18) | (b << 12) | (c << 6) | d;
    bytes.push((chunk >> 16) & 255);
    if (index + 2 < bits.length) bytes.push((chunk >> 8) & 255);
    if (index + 3 < bits.length) bytes.push(chunk & 255);
  }
  return Uint8Array.from(bytes);
}

/** `check` is any 32-bit number (OpenSSH's decryption check, random there). */
export function openSshEd25519(jwk: { d?: string; x?: string }, comment: string, check: number): { private: string; public: string } {
  const seed = fromBase64Url(jwk.d ?? '');
  const publicKey = fromBase64Url(jwk.x ?? '');
  if (seed.length !== 32 || publicKey.length !== 32) throw new Error('an ed25519 seed and public key are 32 bytes each');
  const publicBlob = concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const secret = concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(publicKey),
    sshString(concat([seed, publicKey])),
    sshString(comment),
  ]);
  // Padded with 1, 2, 3… to the cipher's block size (8 for "none").
  const padding = Uint8Array.from({ length: (8 - (secret.length % 8)) % 8 }, (_, index) => index + 1);
  const body = concat([
    utf8('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(concat([secret, padding])),
  ]);
  const lines = base64(body).match(/.{1,70}/g) ?? [];
  return {
    private: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    public: `ssh-ed25519 ${base64(publicBlob)}${comment === '' ? '' : ` ${comment}`}`,
  };
}
