import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { SshTestServer } from '../../../test/support/ssh-test-server.ts';
import { KnownHosts, type NewHostRequest } from './known-hosts.ts';
import { SshLink } from './ssh-link.ts';

let server: SshTestServer;
let dataDir: string;
let knownHostsPath: string;

beforeEach(async () => {
  server = await SshTestServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-trust-'));
  knownHostsPath = join(dataDir, 'known-hosts.json');
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function connectWith(knownHosts: KnownHosts, confirmNewHost?: (request: NewHostRequest) => Promise<boolean>): Promise<SshLink> {
  const options =
    confirmNewHost === undefined ? { knownHosts, readyTimeoutMs: 5_000 } : { knownHosts, confirmNewHost, readyTimeoutMs: 5_000 };
  return SshLink.connect(
    { host: '127.0.0.1', port: server.port, username: server.user.username, password: server.user.password, agentSocket: null },
    options,
  );
}

async function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkbenchFailure)) throw error;
  return error;
}

describe('host key trust on first use', () => {
  it('asks once, stores the fingerprint, then connects silently', async () => {
    const asked: NewHostRequest[] = [];
    const confirm = async (request: NewHostRequest): Promise<boolean> => {
      asked.push(request);
      return true;
    };
    const first = await connectWith(new KnownHosts(knownHostsPath), confirm);
    await first.close();
    expect(asked).toEqual([
      { host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) },
    ]);

    const stored = JSON.parse(readFileSync(knownHostsPath, 'utf8')) as {
      hosts: Record<string, { fingerprint: string; firstSeen: string }>;
    };
    expect(stored.hosts[`127.0.0.1:${server.port}`]).toEqual({
      keyType: 'ssh-ed25519',
      fingerprint: asked[0]?.fingerprint,
      firstSeen: expect.any(String),
    });

    // A fresh KnownHosts reads the file: same key, no question.
    const second = await connectWith(new KnownHosts(knownHostsPath), confirm);
    await second.close();
    expect(asked).toHaveLength(1);
  });

  it('refuses an unknown board without a way to ask, and when the person says no', async () => {
    const knownHosts = new KnownHosts(knownHostsPath);
    expect((await failureOf(connectWith(knownHosts))).code).toBe('forbidden');
    expect((await failureOf(connectWith(knownHosts, async () => false))).code).toBe('cancelled');
    expect(await knownHosts.list()).toEqual([]);
  });

  it('blocks a changed key with both fingerprints, until the person trusts the new one', async () => {
    const knownHosts = new KnownHosts(knownHostsPath);
    await (await connectWith(knownHosts, async () => true)).close();
    const old = await knownHosts.get('127.0.0.1', server.port);

    server.changeHostKey();
    let askedAgain = false;
    const failure = await failureOf(
      connectWith(knownHosts, async () => {
        askedAgain = true;
        return true;
      }),
    );
    expect(askedAgain).toBe(false);
    expect(failure.code).toBe('host-key-changed');
    expect(failure.message).toMatch(/re-flashed/);
    expect(failure.message).toMatch(/someone may be in between/);
    expect(failure.detail).toContain(old?.fingerprint);
    const offered = /offered (SHA256:\S+)/.exec(failure.detail ?? '')?.[1];
    expect(offered).toBeDefined();
    expect(offered).not.toBe(old?.fingerprint);

    await knownHosts.trustNewKey('127.0.0.1', server.port, offered ?? '');
    const link = await connectWith(knownHosts);
    expect((await link.exec(['echo', 'trusted again'])).stdout).toBe('trusted again\n');
    await link.close();
    expect((await knownHosts.get('127.0.0.1', server.port))?.fingerprint).toBe(offered);
  });

  it('says so when the trust file is damaged, instead of connecting or failing vaguely', async () => {
    writeFileSync(knownHostsPath, '{ not json');
    const failure = await failureOf(connectWith(new KnownHosts(knownHostsPath), async () => true));
    expect(failure.code).toBe('internal');
    expect(failure.message).toMatch(/trusted boards is damaged/);
  });

  it('does not let a reconnect slip past a changed key', async () => {
    const knownHosts = new KnownHosts(knownHostsPath);
    const link = await SshLink.connect(
      { host: '127.0.0.1', port: server.port, username: server.user.username, password: server.user.password, agentSocket: null },
      { knownHosts, confirmNewHost: async () => true, reconnect: { initialDelayMs: 20 }, readyTimeoutMs: 5_000 },
    );
    const closed = new Promise((resolve) => link.onDidClose(resolve));
    server.changeHostKey();
    server.dropConnections();
    expect(await closed).toEqual(expect.objectContaining({ code: 'host-key-changed' }));
    expect(link.state).toBe('closed');
  });
});
