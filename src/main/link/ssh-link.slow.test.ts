import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { SshTestServer } from '../../../test/support/ssh-test-server.ts';
import { KnownHosts } from './known-hosts.ts';
import { SshLink, type SshLinkOptions, type SshTarget } from './ssh-link.ts';

let server: SshTestServer;
let dataDir: string;
let links: SshLink[];

beforeEach(async () => {
  server = await SshTestServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-link-'));
  links = [];
});

afterEach(async () => {
  await Promise.all(links.map((link) => link.close()));
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function target(overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: '127.0.0.1',
    port: server.port,
    username: server.user.username,
    password: server.user.password,
    agentSocket: null,
    ...overrides,
  };
}

async function connect(overrides: Partial<SshTarget> = {}, options: Partial<SshLinkOptions> = {}): Promise<SshLink> {
  const link = await SshLink.connect(target(overrides), {
    knownHosts: new KnownHosts(join(dataDir, 'known-hosts.json')),
    confirmNewHost: async () => true,
    readyTimeoutMs: 5_000,
    ...options,
  });
  links.push(link);
  return link;
}

async function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkbenchFailure)) throw error;
  return error;
}

describe('SshLink exec', () => {
  it('returns stdout, stderr and the exit code, streaming as it goes', async () => {
    const link = await connect();
    expect(link.state).toBe('ready');
    expect(await link.exec(['echo', 'hello', 'board'])).toEqual({ code: 0, stdout: 'hello board\n', stderr: '' });

    const failed = await link.exec(['fail']);
    expect(failed).toEqual({ code: 3, stdout: 'partial\n', stderr: 'something broke\n' });

    const chunks: string[] = [];
    const streamed = await link.exec(['stream', '4'], { onStdout: (chunk) => chunks.push(chunk) });
    expect(streamed.stdout).toBe('line 1\nline 2\nline 3\nline 4\n');
    expect(chunks.join('')).toBe(streamed.stdout);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('feeds stdin and closes it', async () => {
    const link = await connect();
    expect((await link.exec(['cat'], { stdin: 'from the workbench\n' })).stdout).toBe('from the workbench\n');
    expect((await link.exec(['cat'], { stdin: Buffer.from([0x68, 0x69]) })).stdout).toBe('hi');
    // No stdin given: the command still sees end-of-file rather than hanging.
    expect(await link.exec(['cat'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('keeps hostile arguments verbatim through the remote shell', async () => {
    const link = await connect();
    const hostile = [
      "it's",
      '"double"',
      '; rm -rf ~',
      '$(id)',
      '`id`',
      'a\nb',
      '$HOME',
      '*',
      '',
      ' lead',
      'tab\there',
      '\\',
      "'",
      '!!',
      '--',
      '-n',
      'ünïcödé',
    ];
    const result = await link.exec(['argv', ...hostile]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile);
  });

  it('round-trips random strings', async () => {
    const link = await connect();
    const alphabet = [
      'a',
      ' ',
      "'",
      '"',
      '\\',
      '$',
      '`',
      ';',
      '|',
      '&',
      '\n',
      '(',
      ')',
      '{',
      '}',
      '<',
      '>',
      '*',
      '?',
      '~',
      '#',
      '!',
      '\t',
      'é',
    ];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const words = Array.from({ length: 40 }, () =>
      Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
    );
    const result = await link.exec(['argv', ...words]);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
  });

  it('cancels a running command and stops it on the board', async () => {
    const link = await connect();
    const controller = new AbortController();
    const running = link.exec(['hang'], { signal: controller.signal, onStdout: () => controller.abort() });
    const failure = await failureOf(running);
    expect(failure.code).toBe('cancelled');
    await expect.poll(() => server.runningCommands).toBe(0);
    // The link stays usable.
    expect((await link.exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('times out a command that runs too long', async () => {
    const link = await connect();
    const started = Date.now();
    const failure = await failureOf(link.exec(['hang'], { timeoutMs: 300 }));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => server.runningCommands).toBe(0);
  });

  it('keeps exit codes and streams when the command is cancellable (watchdog wrapper)', async () => {
    const link = await connect();
    const controller = new AbortController();
    expect(await link.exec(['fail'], { signal: controller.signal, timeoutMs: 5_000 })).toEqual({
      code: 3,
      stdout: 'partial\n',
      stderr: 'something broke\n',
    });
    const hostile = ['$(id)', "it's", 'a\nb'];
    expect((await link.exec(['argv', ...hostile], { timeoutMs: 5_000 })).stdout.split('\0').slice(0, -1)).toEqual(hostile);
    expect(server.commandLines.at(-1)).toMatch(/^sh -c '.*' jwb-watchdog argv /s);
  });

  it('runs sudo with the password on stdin, never on the command line', async () => {
    const link = await connect();
    const result = await link.exec(['cat'], { sudoPassword: server.sudoPassword, stdin: 'payload' });
    expect(result).toEqual({ code: 0, stdout: 'payload', stderr: '' });
    expect(server.commandLines.at(-1)).toBe("sudo -k -S -p '' -- cat");
    expect(server.commandLines.join('\n')).not.toContain(server.sudoPassword);

    const refused = await failureOf(link.exec(['cat'], { sudoPassword: 'not-it' }));
    expect(refused.code).toBe('auth-failed');
    expect(refused.message).not.toContain('not-it');

    // sudo and the watchdog together: the password line goes to sudo, the rest stays the watchdog's wire.
    expect(await link.exec(['echo', 'as root'], { sudoPassword: server.sudoPassword, timeoutMs: 5_000 })).toMatchObject({
      code: 0,
      stdout: 'as root\n',
    });
  });

  it('leaves no password in the data folder after a session that used one', async () => {
    const link = await connect();
    await link.exec(['cat'], { sudoPassword: server.sudoPassword, stdin: 'x' });
    await link.close();
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((entry) => entry.name)).toContain('known-hosts.json');
    for (const entry of files) expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toContain(server.user.password);
  });
});

describe('SshLink connection failures', () => {
  it('reports a wrong password as auth-failed, in words', async () => {
    const failure = await failureOf(connect({ password: 'Hunter2-secret' }));
    expect(failure.code).toBe('auth-failed');
    expect(failure.message).toContain(`127.0.0.1:${server.port}`);
    expect(failure.message).toMatch(/password is wrong/);
    expect(`${failure.message} ${failure.detail ?? ''}`).not.toContain('Hunter2-secret');
  });

  it('reports a refused port as unavailable naming host:port', async () => {
    const port = server.port;
    await server.goOffline();
    const failure = await failureOf(connect({ port }));
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports a silent host as a timeout', async () => {
    // A TCP listener that never speaks SSH: the handshake cannot finish.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const failure = await failureOf(connect({ port }, { readyTimeoutMs: 300 }));
      expect(failure.code).toBe('timeout');
      expect(failure.message).toContain(`127.0.0.1:${port}`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails a command quickly when the board drops mid-command, and closes', async () => {
    const link = await connect();
    const reasons: unknown[] = [];
    link.onDidClose((reason) => reasons.push(reason));
    const running = link.exec(['hang'], { onStdout: () => server.dropConnections() });
    const started = Date.now();
    const failure = await failureOf(running);
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toMatch(/unplugged or rebooted/);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => link.state).toBe('closed');
    expect(reasons).toEqual([expect.objectContaining({ code: 'unavailable' })]);
    expect((await failureOf(link.exec(['echo']))).code).toBe('unavailable');
  });

  it('notices a silently dead connection through keep-alives', async () => {
    const link = await connect({}, { keepaliveIntervalMs: 100, keepaliveCountMax: 2 });
    const running = link.exec(['hang'], { onStdout: () => server.freezeConnections() });
    const started = Date.now();
    const failure = await failureOf(running);
    expect(failure.code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(link.state).toBe('closed');
  });

  it('reconnects with back-off after the board comes back', async () => {
    const link = await connect({}, { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const states: string[] = [];
    link.onDidChangeState((state) => states.push(state));
    await server.goOffline();
    await expect.poll(() => link.state).toBe('reconnecting');
    // A command issued while the board is away waits for it rather than failing at once.
    const waiting = link.exec(['echo', 'back'], { timeoutMs: 10_000 });
    await server.listen();
    expect((await waiting).stdout).toBe('back\n');
    expect(link.state).toBe('ready');
    expect(states).toEqual(['reconnecting', 'ready']);
  });

  it('closes cleanly when asked, cancelling what runs, and says so once', async () => {
    const link = await connect();
    const reasons: unknown[] = [];
    link.onDidClose((reason) => reasons.push(reason));
    const running = link.exec(['hang']);
    await server.nextCommandStarted();
    await link.close();
    expect((await failureOf(running)).code).toBe('cancelled');
    await link.close();
    expect(link.state).toBe('closed');
    expect(reasons).toEqual([undefined]);
  });
});
