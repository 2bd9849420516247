import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519Pair } from './keys.ts';
import { fingerprintOf, KnownHosts, keyTypeOf } from './known-hosts.ts';

function hostKeyBlob(): Buffer {
  const parsed = ssh2.utils.parseKey(generateEd25519Pair().public);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('no key');
  return parsed.getPublicSSH();
}

let folder: string;
let path: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jwb-known-'));
  path = join(folder, 'data', 'known-hosts.json');
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('fingerprintOf', () => {
  it('prints SHA256 like OpenSSH: unpadded base64 of the blob hash', () => {
    // The all-zero ed25519 key; expected value printed by OpenSSH 9 `ssh-keygen -lf zero.pub`.
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32)]);
    expect(fingerprintOf(blob)).toBe('SHA256:kmYcvdi2GkPeWxB6XLjrZB8JHsy2Hm8luHMFp9GMvqk');
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(Buffer.from([0, 0, 1]))).toBe('unknown');
  });
});

describe('KnownHosts', () => {
  it('calls a never-seen host unknown, a remembered one trusted, a different key changed', async () => {
    const knownHosts = new KnownHosts(path);
    const key = hostKeyBlob();
    const other = hostKeyBlob();
    expect(await knownHosts.check('127.0.0.2', 22, key)).toEqual({
      kind: 'unknown',
      keyType: 'ssh-ed25519',
      fingerprint: fingerprintOf(key),
    });
    await knownHosts.remember('127.0.0.2', 22, 'ssh-ed25519', fingerprintOf(key));
    expect(await knownHosts.check('127.0.0.2', 22, key)).toEqual({ kind: 'trusted' });
    // Same host, another port: another board (simulators share an address).
    expect((await knownHosts.check('127.0.0.2', 2222, key)).kind).toBe('unknown');
    const changed = await knownHosts.check('127.0.0.2', 22, other);
    expect(changed).toMatchObject({ kind: 'changed', fingerprint: fingerprintOf(other), known: { fingerprint: fingerprintOf(key) } });
    // remember() never overwrites a different key: only trustNewKey does.
    await expect(knownHosts.remember('127.0.0.2', 22, 'ssh-ed25519', fingerprintOf(other))).rejects.toMatchObject({
      code: 'host-key-changed',
    });
    await knownHosts.trustNewKey('127.0.0.2', 22, fingerprintOf(other));
    expect(await knownHosts.check('127.0.0.2', 22, other)).toEqual({ kind: 'trusted' });
    expect((await knownHosts.get('127.0.0.2', 22))?.keyType).toBe('ssh-ed25519');
  });

  it('persists to a JSON file only its owner can read, and survives concurrent writes', async () => {
    const knownHosts = new KnownHosts(path);
    const keys = Array.from({ length: 5 }, () => hostKeyBlob());
    await Promise.all(keys.map((key, index) => knownHosts.remember(`127.0.0.${index + 2}`, 22, 'ssh-ed25519', fingerprintOf(key))));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const reread = new KnownHosts(path);
    expect((await reread.list()).map((entry) => entry.host).sort()).toEqual([
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.4',
      '127.0.0.5',
      '127.0.0.6',
    ]);
    await reread.forget('127.0.0.2', 22);
    expect(JSON.parse(readFileSync(path, 'utf8')).hosts['127.0.0.2:22']).toBeUndefined();
  });

  it('refuses a fingerprint that is not one, and reports a damaged file', async () => {
    await expect(new KnownHosts(path).trustNewKey('127.0.0.2', 22, 'SHA256:short')).rejects.toMatchObject({ code: 'invalid-request' });
    writeFileSync(join(folder, 'bad.json'), '{"hosts": 3}');
    await expect(new KnownHosts(join(folder, 'bad.json')).get('127.0.0.2', 22)).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('generateEd25519Pair', () => {
  it('never returns one of the ssh2 pairs with a truncated public key', () => {
    // At ~1/256 per pair, 1000 pairs all but guarantee that the workaround is exercised.
    for (let index = 0; index < 1000; index++) {
      const parsed = ssh2.utils.parseKey(generateEd25519Pair().public);
      if (parsed instanceof Error || Array.isArray(parsed)) throw new Error(`pair ${index} does not parse`);
      expect(parsed.getPublicSSH().length).toBe(51);
    }
  });
});
