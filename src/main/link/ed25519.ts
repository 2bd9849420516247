import { generateKeyPairSync, randomInt } from 'node:crypto';
import { openSshEd25519 } from '../../shared/ssh-key-format.ts';

/**
 * A new ed25519 key pair in OpenSSH's formats, from Node's generator: ssh2
 * 1.17's own drops the leading zero bytes of the key, so about 1 pair in 256
 * came out with a 31-byte key that ssh2 itself and OpenSSH reject
 * (mscdex/ssh2#1390, #1513; we measured 11 in 3000).
 */
export function generateEd25519Pair(comment = ''): { private: string; public: string } {
  return openSshEd25519(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), comment, randomInt(2 ** 32));
}
