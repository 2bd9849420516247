import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's real OpenSSH server on 127.0.0.1, configured from a temporary
 * folder (ssh2's test-integration-openssh.js idea): key login only, host key
 * generated per start, `authorized_keys` and `$HOME` inside the folder so a
 * test never touches the real user's ~/.ssh.
 */
export const sshdPath = '/usr/sbin/sshd';

/** Why the real-sshd suite cannot run here, or undefined when it can. */
export function opensshUnavailableReason(): string | undefined {
  if (!existsSync(sshdPath)) return `${sshdPath} is missing (apt-get install openssh-server)`;
  // sshd can only log in other users when it runs as root; run as someone else, it can
  // only serve that same user and needs privilege separation off, which Debian's build refuses.
  if (process.getuid?.() !== 0) return `the tests run as ${userInfo().username}, not root, so sshd cannot switch to a login user`;
  if (!existsSync('/usr/bin/ssh-keygen')) return '/usr/bin/ssh-keygen is missing (apt-get install openssh-client)';
  return undefined;
}

export class OpenSshServer {
  readonly folder: string;
  /** `$HOME` of sessions (SetEnv), and the folder of the authorized_keys sshd reads. */
  readonly home: string;
  readonly username = userInfo().username;
  port = 0;
  #process: ChildProcess | undefined;

  private constructor() {
    this.folder = mkdtempSync(join(tmpdir(), 'jwb-sshd-'));
    this.home = join(this.folder, 'home');
    mkdirSync(join(this.home, '.ssh'), { recursive: true, mode: 0o700 });
  }

  static async start(): Promise<OpenSshServer> {
    const server = new OpenSshServer();
    server.port = await freePort();
    server.newHostKey();
    await server.#run();
    return server;
  }

  get authorizedKeysPath(): string {
    return join(this.home, '.ssh', 'authorized_keys');
  }

  get hostPublicKeyPath(): string {
    return join(this.folder, 'host_ed25519.pub');
  }

  /** A re-flashed board: a new host key, applied at the next `restart`. */
  newHostKey(): void {
    const keyPath = join(this.folder, 'host_ed25519');
    rmSync(keyPath, { force: true });
    rmSync(`${keyPath}.pub`, { force: true });
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.#run();
  }

  async stop(): Promise<void> {
    this.dropSessions();
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  /**
   * A reboot cuts every session at once. Stopping the listener alone would not:
   * each session has its own sshd process, so end those (and what they run) too.
   */
  dropSessions(): void {
    const pid = this.#process?.pid;
    if (pid === undefined) return;
    // Parents first: a session sshd killed after its command would still report the exit.
    for (const descendant of descendantsOf(pid)) {
      try {
        process.kill(descendant, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.folder, { recursive: true, force: true });
  }

  async #run(): Promise<void> {
    mkdirSync('/run/sshd', { recursive: true });
    const configPath = join(this.folder, 'sshd_config');
    writeFileSync(
      configPath,
      [
        'ListenAddress 127.0.0.1',
        `Port ${this.port}`,
        `HostKey ${join(this.folder, 'host_ed25519')}`,
        `AuthorizedKeysFile ${this.authorizedKeysPath}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        `PidFile ${join(this.folder, 'sshd.pid')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        `SetEnv HOME=${this.home}`,
        'Subsystem sftp internal-sftp',
        `LogLevel ${process.env.JWB_SSHD_LOG ?? 'VERBOSE'}`,
        '',
      ].join('\n'),
    );
    const child = spawn(sshdPath, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        if (process.env.JWB_SSHD_LOG) process.stderr.write(chunk);
        log += chunk.toString();
        if (log.includes(`Server listening on 127.0.0.1 port ${this.port}`)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sshd exited with ${String(code)}: ${log}`)));
    });
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Every process below `pid`, parents before children (from `ps`; the procps on Debian's images). */
function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of table.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() ?? 0;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}
