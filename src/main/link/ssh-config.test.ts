import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSshConfig, matchesPatterns, parseSshConfig } from './ssh-config.ts';

const home = '/home/student';

const labConfig = `
# Lab boards
Host nano orin-nx
    HostName %h.lab.example
    User jetson
    IdentityFile ~/.ssh/id_jetson

Host orin-nx
    Port 2222
    User ignored-because-first-wins

Host xavier
    HostName=127.0.0.7
    Port = 22022
    User "lab user"
    ProxyJump gateway.example

Host *.lab.example !secret.lab.example
    User wildcard-only

Match host *
    User from-match-block

Host *
    IdentityFile ~/.ssh/id_ed25519
    User default-user
`;

describe('parseSshConfig', () => {
  it('turns concrete Host aliases into hosts, first value winning, wildcard blocks filling the rest', () => {
    const hosts = parseSshConfig(labConfig, { home });
    expect(hosts.map((host) => host.alias)).toEqual(['nano', 'orin-nx', 'xavier']);
    expect(hosts[0]).toEqual({
      alias: 'nano',
      hostName: 'nano.lab.example',
      user: 'jetson',
      identityFiles: ['/home/student/.ssh/id_jetson', '/home/student/.ssh/id_ed25519'],
      warnings: [],
    });
    expect(hosts[1]).toMatchObject({ alias: 'orin-nx', hostName: 'orin-nx.lab.example', user: 'jetson', port: 2222 });
    expect(hosts[2]).toMatchObject({
      alias: 'xavier',
      hostName: '127.0.0.7',
      port: 22_022,
      user: 'lab user',
      proxyJump: 'gateway.example',
    });
    expect(hosts[2]?.warnings.join(' ')).toMatch(/cannot connect through a jump host yet/);
  });

  it('skips wildcard-only entries, Match blocks and unknown keywords', () => {
    const hosts = parseSshConfig('Host *\n  User a\nHost dev-?\n  Port 1\nMatch all\n  HostName nope\nHost real\n  Compression yes\n', {
      home,
    });
    expect(hosts).toEqual([{ alias: 'real', hostName: 'real', user: 'a', identityFiles: [], warnings: [] }]);
  });

  it('applies settings before the first Host line to every host and reads Include text', () => {
    const text = 'User early\nInclude boards.conf\nHost solo\n';
    const included = new Map([['/home/student/.ssh/boards.conf', ['Host lab-1\n  HostName 127.0.0.3\n']]]);
    const hosts = parseSshConfig(text, { home, include: (path) => included.get(path) ?? [] });
    expect(hosts.map((host) => [host.alias, host.hostName, host.user])).toEqual([
      ['lab-1', '127.0.0.3', 'early'],
      ['solo', 'solo', 'early'],
    ]);
  });
});

describe('matchesPatterns', () => {
  it('follows ssh_config PATTERNS', () => {
    expect(matchesPatterns('orin.lab', ['*.lab'])).toBe(true);
    expect(matchesPatterns('ORIN.lab', ['orin.*'])).toBe(true);
    expect(matchesPatterns('secret.lab', ['*.lab', '!secret.lab'])).toBe(false);
    expect(matchesPatterns('nano2', ['nano?'])).toBe(true);
    expect(matchesPatterns('nano22', ['nano?'])).toBe(false);
    expect(matchesPatterns('a', ['b,a'])).toBe(true);
    expect(matchesPatterns('a', ['!b'])).toBe(false);
  });
});

describe('loadSshConfig', () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('reads the file with plain and globbed Includes, and treats a missing file as empty', async () => {
    folder = mkdtempSync(join(tmpdir(), 'jwb-sshconfig-'));
    mkdirSync(join(folder, '.ssh', 'conf.d'), { recursive: true });
    writeFileSync(join(folder, '.ssh', 'config'), 'Include conf.d/*.conf\nInclude ~/extra\nHost main\n  Port 2200\n');
    writeFileSync(join(folder, '.ssh', 'conf.d', 'a.conf'), 'Host board-a\n  User a\n');
    writeFileSync(join(folder, '.ssh', 'conf.d', 'b.conf'), 'Host board-b\n  IdentityFile keys/b\n');
    writeFileSync(join(folder, '.ssh', 'conf.d', 'skip.txt'), 'Host not-included\n');
    writeFileSync(join(folder, 'extra'), 'Host extra-board\n');
    const hosts = await loadSshConfig(undefined, folder);
    expect(hosts.map((host) => host.alias)).toEqual(['board-a', 'board-b', 'extra-board', 'main']);
    expect(hosts[1]?.identityFiles).toEqual([join(folder, 'keys/b')]);
    expect(await loadSshConfig(join(folder, 'missing'), folder)).toEqual([]);
  });
});
