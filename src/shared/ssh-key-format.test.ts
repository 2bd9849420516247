import { generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { openSshEd25519 } from './ssh-key-format.ts';

describe('openSshEd25519', () => {
  it('writes pairs ssh2 reads whole, public key matching, signatures verifying, whatever their leading bytes', () => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const pair = openSshEd25519(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), 'lab', attempt);
      const privateKey = ssh2.utils.parseKey(pair.private);
      const publicKey = ssh2.utils.parseKey(pair.public);
      if (privateKey instanceof Error || publicKey instanceof Error) throw new Error(`unreadable pair ${attempt}`);
      // An ed25519 public blob is 51 bytes: ssh2's own generator drops a leading zero about once in 256.
      expect(privateKey.getPublicSSH().length).toBe(51);
      expect(privateKey.getPublicSSH().equals(publicKey.getPublicSSH())).toBe(true);
      if (attempt === 0) expect(publicKey.verify(Buffer.from('x'), privateKey.sign(Buffer.from('x')))).toBe(true);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => openSshEd25519({ d: 'AAAA', x: 'AAAA' }, '', 1)).toThrow(/32 bytes/);
  });
});
