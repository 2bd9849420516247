/**
 * SHA-512-crypt (`$6$`), the hash glibc's crypt(3) and Ubuntu's shadow file
 * use, written from Ulrich Drepper's published specification "Unix crypt
 * using SHA-256 and SHA-512" (akkadia.org/drepper/SHA-crypt.txt). NVIDIA's
 * `l4t_create_default_user.sh` hashes with `openssl passwd -1` (MD5-crypt,
 * /work/shared/reference/flashing-and-installing.md §4.2); we write the
 * stronger hash Ubuntu's own `passwd` writes. Checked against the
 * specification's test vectors and `openssl passwd -6` (sha512-crypt.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';

const cryptAlphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const defaultRounds = 5000;
const minRounds = 1000;
const maxRounds = 999_999_999;
const saltMaxLength = 16;

/** The order in which the spec spreads the 64 digest bytes over 4-character groups (step 22e). */
const byteOrder: [number, number, number][] = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
];

/** 16 characters of the crypt alphabet from the system's random source (96 bits). */
export function randomSalt(): string {
  return [...randomBytes(saltMaxLength)].map((byte) => cryptAlphabet[byte & 63]).join('');
}

/**
 * `setting` is a salt (`saltstring`) or a crypt setting (`$6$saltstring`,
 * `$6$rounds=10000$saltstring`); the salt ends at `$` and is cut to 16
 * characters, rounds are clamped to 1000…999999999 as the spec says.
 */
export function sha512Crypt(password: string, setting: string = randomSalt()): string {
  const { salt, rounds, explicitRounds } = parseSetting(setting);
  const digest = sha512CryptDigest(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), rounds);
  return `$6$${explicitRounds ? `rounds=${rounds}$` : ''}${salt}$${encodeDigest(digest)}`;
}

function parseSetting(setting: string): { salt: string; rounds: number; explicitRounds: boolean } {
  let rest = setting.startsWith('$6$') ? setting.slice(3) : setting;
  let rounds = defaultRounds;
  let explicitRounds = false;
  const roundsMatch = /^rounds=(\d+)\$/.exec(rest);
  if (roundsMatch) {
    rounds = Math.min(maxRounds, Math.max(minRounds, Number(roundsMatch[1])));
    explicitRounds = true;
    rest = rest.slice(roundsMatch[0].length);
  }
  const end = rest.indexOf('$');
  const salt = (end >= 0 ? rest.slice(0, end) : rest).slice(0, saltMaxLength);
  return { salt, rounds, explicitRounds };
}

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `length` bytes of `block` repeated (steps 3, 16 and 20 of the spec). */
function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += block.length) block.copy(out, offset, 0, Math.min(block.length, length - offset));
  return out;
}

function sha512CryptDigest(password: Buffer, salt: Buffer, rounds: number): Buffer {
  // Steps 4-8: digest B of password, salt, password.
  const b = sha512(password, salt, password);
  // Steps 1-12: digest A of password, salt, B stretched to the password's length, then B or the password per length bit.
  const a = createHash('sha512').update(password).update(salt).update(repeatTo(b, password.length));
  for (let bits = password.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : password);
  let c = a.digest();
  // Steps 13-16: the P sequence, from the password repeated once per byte of it.
  const pSequence = repeatTo(sha512(...Array.from({ length: password.length }, () => password)), password.length);
  // Steps 17-20: the S sequence, from the salt repeated 16 + A[0] times.
  const sSequence = repeatTo(sha512(...Array.from({ length: 16 + (c[0] ?? 0) }, () => salt)), salt.length);
  // Step 21: the rounds.
  for (let round = 0; round < rounds; round += 1) {
    const hash = createHash('sha512');
    hash.update(round % 2 === 1 ? pSequence : c);
    if (round % 3 !== 0) hash.update(sSequence);
    if (round % 7 !== 0) hash.update(pSequence);
    hash.update(round % 2 === 1 ? c : pSequence);
    c = hash.digest();
  }
  return c;
}

/** Step 22e: 24 bits at a time, least significant 6 bits first, in the crypt alphabet. */
function encodeDigest(digest: Buffer): string {
  const group = (high: number, middle: number, low: number, characters: number): string => {
    let value = ((digest[high] ?? 0) << 16) | ((digest[middle] ?? 0) << 8) | (digest[low] ?? 0);
    let text = '';
    for (let index = 0; index < characters; index += 1) {
      text += cryptAlphabet[value & 63];
      value >>= 6;
    }
    return text;
  };
  return byteOrder.map(([high, middle, low]) => group(high, middle, low, 4)).join('') + group(-1, -1, 63, 2);
}
