import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { SshTestServer } from '../../../test/support/ssh-test-server.ts';
import { createKeyPair, ensureWorkbenchKey, installPublicKey, publicKeyFingerprint } from './keys.ts';
import { KnownHosts } from './known-hosts.ts';
import { SshLink, type SshTarget } from './ssh-link.ts';

let server: SshTestServer;
let dataDir: string;
let knownHosts: KnownHosts;

beforeEach(async () => {
  server = await SshTestServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-keys-'));
  knownHosts = new KnownHosts(join(dataDir, 'known-hosts.json'));
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect(overrides: Partial<SshTarget>): Promise<SshLink> {
  return SshLink.connect(
    { host: '127.0.0.1', port: server.port, username: server.user.username, agentSocket: null, ...overrides },
    { knownHosts, confirmNewHost: async () => true, readyTimeoutMs: 5_000 },
  );
}

describe('workbench key pair', () => {
  it('creates an ed25519 pair once, private key readable by the owner only', async () => {
    const key = await ensureWorkbenchKey(join(dataDir, 'ssh'), 'jwb-test');
    expect(statSync(key.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(key.publicKeyLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ jwb-test$/);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await ensureWorkbenchKey(join(dataDir, 'ssh'))).toEqual(key);
    const replaced = await createKeyPair(join(dataDir, 'ssh'), 'jwb-test');
    expect(replaced.fingerprint).not.toBe(key.fingerprint);
  });

  it('installs the public key like ssh-copy-id, idempotently, then logs in without a password', async () => {
    const key = await ensureWorkbenchKey(join(dataDir, 'ssh'), 'jwb-test');
    // Before installation the key alone is refused.
    const refused: unknown = await connect({ identityFiles: [key.privateKeyPath] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkbenchFailure);
    expect((refused as WorkbenchFailure).code).toBe('auth-failed');

    // An existing authorized_keys without a final newline must not get our line glued on.
    const sshDir = join(server.home, '.ssh');
    const withPassword = await connect({ password: server.user.password });
    await withPassword.exec(['mkdir', '-p', '.ssh']);
    writeFileSync(
      join(sshDir, 'authorized_keys'),
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKey0 someone',
    );
    expect(await installPublicKey(withPassword, key.publicKeyLine)).toEqual({ added: true });
    expect(await installPublicKey(withPassword, key.publicKeyLine)).toEqual({ added: false });
    await withPassword.close();

    const lines = readFileSync(join(sshDir, 'authorized_keys'), 'utf8').split('\n');
    expect(lines).toEqual([expect.stringContaining('someone'), key.publicKeyLine, '']);
    expect(statSync(sshDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(sshDir, 'authorized_keys')).mode & 0o777).toBe(0o600);

    const withKey = await connect({ identityFiles: [key.privateKeyPath] });
    expect((await withKey.exec(['echo', 'no password needed'])).stdout).toBe('no password needed\n');
    await withKey.close();
  });

  it.skipIf(!existsSync('/usr/bin/ssh-agent'))(
    'logs in through the SSH agent when one is running (agent first, no key file, no password)',
    async () => {
      const key = await ensureWorkbenchKey(join(dataDir, 'ssh'), 'jwb-agent');
      mkdirSync(join(server.home, '.ssh'), { recursive: true });
      writeFileSync(join(server.home, '.ssh', 'authorized_keys'), `${key.publicKeyLine}\n`);
      const socket = join(dataDir, 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        await expect.poll(() => existsSync(socket)).toBe(true);
        execFileSync('ssh-add', ['-q', key.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
        const link = await SshLink.connect(
          { host: '127.0.0.1', port: server.port, username: server.user.username },
          { knownHosts, confirmNewHost: async () => true, readyTimeoutMs: 5_000, env: { SSH_AUTH_SOCK: socket } },
        );
        expect((await link.exec(['echo', 'via agent'])).stdout).toBe('via agent\n');
        await link.close();
      } finally {
        const exited = new Promise((resolve) => agent.once('exit', resolve));
        agent.kill();
        await exited;
      }
    },
  );

  it('refuses something that is not a public key line', async () => {
    expect(() => publicKeyFingerprint('ssh-ed25519 AAAA; rm -rf ~')).toThrow(WorkbenchFailure);
    const link = await connect({ password: server.user.password });
    await expect(installPublicKey(link, 'ssh-ed25519 AAAA\nssh-rsa BBBB')).rejects.toMatchObject({ code: 'invalid-request' });
    await link.close();
  });
});
