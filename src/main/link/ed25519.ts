import ssh2 from 'ssh2';
import { WorkbenchFailure } from '../../shared/errors.ts';

/**
 * ssh2 1.17 drops the leading zero bytes of an ed25519 public key, so about 1
 * pair in 256 comes out with a 31-byte key that ssh2 itself and OpenSSH
 * reject (mscdex/ssh2#1390, #1513; we measured 11 in 3000). Keep only a pair
 * that parses back whole.
 */
export function generateEd25519Pair(comment?: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 32; attempt++) {
    const pair = comment === undefined ? ssh2.utils.generateKeyPairSync('ed25519') : ssh2.utils.generateKeyPairSync('ed25519', { comment });
    if (parsesWhole(pair.private) && parsesWhole(pair.public)) return pair;
  }
  throw new WorkbenchFailure('internal', 'The workbench could not create a login key.', 'ed25519 generation kept failing');
}

function parsesWhole(key: string): boolean {
  const parsed = ssh2.utils.parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  // An ed25519 public blob is 51 bytes: "ssh-ed25519" and a 32-byte key, each with a 4-byte length.
  return first !== undefined && !(first instanceof Error) && first.getPublicSSH().length === 51;
}
