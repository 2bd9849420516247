import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthContext, type Connection, type ServerChannel } from 'ssh2';
import { generateEd25519Pair } from '../../src/main/link/keys.ts';
import { serveSftp, type SftpSwitches } from './sftp-test-handler.ts';

/**
 * A real ssh2 Server on 127.0.0.1 for the link's tests (ssh2's own
 * test/common.js pattern). Exec runs the command line under a real
 * `/bin/sh -c` in the server's home folder, so quoting is judged by a real
 * shell, with a few scripts on PATH as the "board's" command table:
 *
 *   stream N   prints "line 1" … "line N", 20 ms apart
 *   fail       prints "partial", then "something broke" on stderr, exits 3
 *   hang       prints "started" and sleeps until signalled
 *   argv …     prints each argument followed by a NUL (argv round trips)
 *   sudo -k -S -p '' -- CMD …   reads a password line from stdin, runs CMD if it matches
 *
 * plus whatever the machine has (echo, cat, sha256sum, df, mkdir, grep).
 * We own the TCP listener and inject sockets, so a test can drop every
 * connection, take the "board" off the network, bring it back on the same
 * port, or give it a new host key (a re-flashed board).
 */
export interface TestUser {
  username: string;
  password: string;
}

export interface SshTestServerOptions {
  user?: TestUser;
  sudoPassword?: string;
}

/** The board's extra programs, installed as scripts on PATH so nested shells (sudo, the link's watchdog) find them too. */
const programs: Record<string, string> = {
  stream: 'n=${1:-3}; i=1; while [ "$i" -le "$n" ]; do echo "line $i"; i=$((i+1)); sleep 0.02; done',
  fail: 'echo partial; echo "something broke" >&2; exit 3',
  hang: 'echo started; exec sleep 1000',
  argv: 'printf \'%s\\0\' "$@"',
  sudo: [
    'while [ "$#" -gt 0 ]; do case "$1" in -k|-S) shift;; -p) shift 2;; --) shift; break;; *) break;; esac; done',
    'IFS= read -r password',
    'if [ "$password" != "$TEST_SUDO_PASSWORD" ]; then echo "Sorry, try again." >&2; echo "sudo: 1 incorrect password attempt" >&2; exit 1; fi',
    'exec "$@"',
  ].join('\n'),
};

/** POSIX `df -Pk` output for a full eMMC root (the columns the link reads). */
const fullDiskDf = 'echo "Filesystem 1024-blocks Used Available Capacity Mounted on"; echo "/dev/mmcblk0p1 14339080 14339080 0 100% /"';

function installPrograms(folder: string, scripts: Record<string, string>): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, body] of Object.entries(scripts)) writeFileSync(join(folder, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

export class SshTestServer {
  readonly home: string;
  readonly user: TestUser;
  readonly sudoPassword: string;
  readonly sftpSwitches: SftpSwitches = { corruptUploads: false, failWrites: false, diskFull: false };
  /** Command lines exactly as they arrived, for assertions about quoting. */
  readonly commandLines: string[] = [];
  port = 0;
  readonly #root: string;
  #listener: NetServer | undefined;
  #ssh: ssh2.Server;
  readonly #sockets = new Set<Socket>();
  readonly #children = new Set<ChildProcess>();
  #commandStarted: Array<() => void> = [];

  private constructor(options: SshTestServerOptions) {
    this.#root = mkdtempSync(join(tmpdir(), 'jwb-ssh-board-'));
    this.home = join(this.#root, 'home');
    mkdirSync(this.home);
    installPrograms(join(this.#root, 'bin'), programs);
    installPrograms(join(this.#root, 'full-disk-bin'), { df: fullDiskDf });
    this.user = options.user ?? { username: 'student', password: 'jetson-lab' };
    this.sudoPassword = options.sudoPassword ?? this.user.password;
    this.#ssh = this.#makeSshServer(newHostKey());
  }

  static async start(options: SshTestServerOptions = {}): Promise<SshTestServer> {
    const server = new SshTestServer(options);
    await server.listen();
    return server;
  }

  /** Commands still running on the "board" (a cancelled one must disappear from here). */
  get runningCommands(): number {
    return this.#children.size;
  }

  /** Resolves when the next command starts running (to act mid-command without sleeping). */
  nextCommandStarted(): Promise<void> {
    return new Promise((resolve) => this.#commandStarted.push(resolve));
  }

  /** A re-flashed board: same address, new identity. Applies to new connections. */
  changeHostKey(): void {
    this.#ssh = this.#makeSshServer(newHostKey());
  }

  /** The cable is pulled: every connection dies at once, without an SSH goodbye. */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** The cable is pulled with no TCP goodbye: sockets stay open but nothing is read or answered. */
  freezeConnections(): void {
    for (const socket of this.#sockets) socket.pause();
  }

  /** The board reboots: drop everything and stop listening (connections are refused until `listen`). */
  async goOffline(): Promise<void> {
    this.dropConnections();
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener !== undefined) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  /** Listens on the same port as before (or a free one the first time). */
  async listen(): Promise<void> {
    const listener = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      this.#ssh.injectSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = listener.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    this.port = address.port;
    this.#listener = listener;
  }

  async close(): Promise<void> {
    await this.goOffline();
    for (const child of this.#children) killGroup(child, 'SIGKILL');
    this.#children.clear();
    rmSync(this.#root, { recursive: true, force: true });
  }

  #makeSshServer(hostKey: string): ssh2.Server {
    return new ssh2.Server({ hostKeys: [hostKey] }, (connection) => this.#onConnection(connection));
  }

  #onConnection(connection: Connection): void {
    connection.on('error', () => undefined);
    connection.on('authentication', (context) => this.#authenticate(context));
    connection.on('ready', () => {
      connection.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => this.#exec(accept(), info.command, session));
        session.on('sftp', (accept) => serveSftp(accept(), this.home, this.sftpSwitches));
      });
    });
  }

  #authenticate(context: AuthContext): void {
    if (context.username !== this.user.username) return context.reject(['password', 'publickey']);
    if (context.method === 'password' && context.password === this.user.password) return context.accept();
    if (context.method === 'publickey') {
      const authorized = this.#authorizedKeys().find((key) => key.type === context.key.algo && key.getPublicSSH().equals(context.key.data));
      if (authorized !== undefined) {
        // No signature yet: the client only asks whether this key would do.
        if (context.signature === undefined || context.blob === undefined) return context.accept();
        if (authorized.verify(context.blob, context.signature, context.hashAlgo) === true) return context.accept();
      }
    }
    context.reject(['password', 'publickey']);
  }

  /** Reads ~/.ssh/authorized_keys on every attempt, as sshd does, so installing a key takes effect at once. */
  #authorizedKeys(): ssh2.ParsedKey[] {
    let text: string;
    try {
      text = readFileSync(join(this.home, '.ssh', 'authorized_keys'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .map((line) => ssh2.utils.parseKey(line.trim()))
      .flatMap((parsed) => (parsed instanceof Error ? [] : Array.isArray(parsed) ? parsed : [parsed]));
  }

  #exec(channel: ServerChannel, command: string, session: ssh2.Session): void {
    this.commandLines.push(command);
    mkdirSync(this.home, { recursive: true });
    const path = [
      join(this.#root, 'bin'),
      ...(this.sftpSwitches.diskFull ? [join(this.#root, 'full-disk-bin')] : []),
      process.env.PATH ?? '/usr/bin:/bin',
    ];
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: this.home,
      env: { PATH: path.join(':'), HOME: this.home, TEST_SUDO_PASSWORD: this.sudoPassword, LC_ALL: 'C' },
      detached: true,
    });
    this.#children.add(child);
    session.on('signal', (accept, _reject, info) => {
      accept?.();
      killGroup(child, `SIG${info.name}` as NodeJS.Signals);
    });
    channel.on('data', (chunk: Buffer) => child.stdin.write(chunk));
    channel.on('end', () => child.stdin.end());
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (chunk: Buffer) => channel.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => channel.stderr.write(chunk));
    // The client closed the channel (cancelled, or gone): nothing may keep running.
    channel.on('close', () => killGroup(child, 'SIGKILL'));
    child.on('close', (code, signal) => {
      this.#children.delete(child);
      try {
        if (signal !== null) channel.exit(signal.replace(/^SIG/, ''), false, '');
        else channel.exit(code ?? 0);
        channel.end();
      } catch {
        // The connection is already gone.
      }
    });
    const started = this.#commandStarted;
    this.#commandStarted = [];
    for (const resolve of started) resolve();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function newHostKey(): string {
  return generateEd25519Pair().private;
}
