import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import ssh2, { type AuthContext, type Connection, type ParsedKey, type ServerChannel, type Session } from 'ssh2';
import type { SimBoard } from './board.ts';
import { findCommand } from './commands/index.ts';
import { serveSftp } from './sftp.ts';
import { createSession, type Output } from './shell/context.ts';
import { Input } from './shell/input.ts';
import { runCommandLine } from './shell/interpreter.ts';
import { TerminalShell } from './shell/terminal-shell.ts';

const { Server, utils } = ssh2;

/**
 * The board's sshd: an ssh2 Server on the board's 127.0.0.x address with
 * password and public-key auth (`~/.ssh/authorized_keys` in the sandbox),
 * exec, a pty shell, env requests and sftp. A reboot closes the listener and
 * every connection; it listens again when the board comes back.
 */
export class SimSshServer {
  readonly #board: SimBoard;
  #server: InstanceType<typeof Server> | null = null;
  #clients = new Set<Connection>();
  #port: number;
  #disposers: (() => void)[] = [];
  #disposed = false;

  constructor(board: SimBoard) {
    this.#board = board;
    this.#port = board.options.port;
    this.#disposers.push(
      board.onDidStartReboot(() => void this.#stop()),
      board.onDidComeBack(() => void this.listen()),
      board.onDidRotateHostKey(() => void this.#stop().then(() => this.listen())),
    );
  }

  get port(): number {
    return this.#port;
  }

  async listen(): Promise<void> {
    if (this.#disposed || this.#server) return;
    const server = new Server({ hostKeys: [this.#board.hostKey], ident: 'OpenSSH_8.9p1 Ubuntu-3ubuntu0.10' }, (client) =>
      this.#accept(client),
    );
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#board.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.#port = address.port;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const dispose of this.#disposers) dispose();
    await this.#stop();
  }

  /** Drops every connection (a fault, or a reboot). */
  dropAll(): void {
    for (const client of this.#clients) client.end();
    for (const client of this.#clients) (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
    this.#clients.clear();
  }

  async #stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(client: Connection): void {
    const board = this.#board;
    this.#clients.add(client);
    client.on('close', () => this.#clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (context) => void this.#authenticate(context));
    client.on('ready', () => {
      const dropAfterMs = board.faults.settings.dropAfterMs;
      if (dropAfterMs !== null) {
        const timer = setTimeout(() => (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy(), dropAfterMs);
        client.on('close', () => clearTimeout(timer));
      }
      const sent = { bytes: 0 };
      client.on('session', (acceptSession) => this.#session(acceptSession(), client, sent));
    });
  }

  async #authenticate(context: AuthContext): Promise<void> {
    const board = this.#board;
    await board.faults.delay();
    if (board.faults.settings.refuseAuth || board.rebooting || context.username !== board.user)
      return context.reject(['password', 'publickey']);
    if (context.method === 'password') {
      const expected = Buffer.from(board.state.password);
      const given = Buffer.from(context.password);
      return expected.length === given.length && timingSafeEqual(expected, given)
        ? context.accept()
        : context.reject(['password', 'publickey']);
    }
    if (context.method === 'publickey') {
      const match = this.#authorizedKeys().find((key) => key.getPublicSSH().equals(context.key.data));
      if (!match) return context.reject(['password', 'publickey']);
      if (!context.signature || !context.blob) return context.accept();
      return match.verify(context.blob, context.signature, context.hashAlgo) === true ? context.accept() : context.reject();
    }
    context.reject(['password', 'publickey']);
  }

  #authorizedKeys(): ParsedKey[] {
    const board = this.#board;
    let text: string;
    try {
      text = readFileSync(join(board.fsRoot, 'home', board.user, '.ssh', 'authorized_keys'), 'utf8');
    } catch {
      return [];
    }
    const keys: (ParsedKey | undefined)[] = [];
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) continue;
      const parsed = utils.parseKey(trimmed);
      if (!(parsed instanceof Error)) keys.push(Array.isArray(parsed) ? parsed[0] : parsed);
    }
    return keys.filter((key): key is ParsedKey => key !== undefined);
  }

  #session(session: Session, client: Connection, sent: { bytes: number }): void {
    const board = this.#board;
    const env: Record<string, string> = {};
    let pty = false;
    let terminal: TerminalShell | null = null;
    const controller = new AbortController();
    let exitSignal: string | null = null;

    session.on('env', (accept, _reject, info) => {
      env[info.key] = info.val;
      accept?.();
    });
    session.on('pty', (accept) => {
      pty = true;
      accept?.();
    });
    session.on('window-change', (accept) => accept?.());
    session.on('signal', (accept, _reject, info) => {
      accept?.();
      exitSignal = info.name;
      controller.abort();
      terminal?.input('\x03');
    });

    const writer = (channel: ServerChannel, stderr: boolean): Output => ({
      write: (data) => {
        const text = pty && !stderr ? Buffer.from(data.toString().replaceAll(/\r?\n/g, '\r\n')) : Buffer.from(data);
        sent.bytes += text.length;
        const limit = board.faults.settings.dropAfterBytes;
        if (limit !== null && sent.bytes > limit) {
          (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
          return;
        }
        if (stderr && !pty) channel.stderr.write(text);
        else channel.write(text);
      },
    });

    session.on('exec', (accept, _reject, info) => {
      const channel = accept();
      channel.on('close', () => controller.abort());
      const shell = createSession(board, board.user);
      Object.assign(shell.env, env);
      const stdin = new Input(channel);
      const run = async (): Promise<void> => {
        await board.faults.delay(controller.signal);
        const status = await runCommandLine(
          info.command,
          shell,
          { stdin, stdout: writer(channel, false), stderr: writer(channel, true), signal: controller.signal },
          findCommand,
        );
        stdin.close();
        if (exitSignal !== null) channel.exit(exitSignal.replace(/^SIG/, ''), false, '');
        else channel.exit(status);
        channel.end();
      };
      run().catch(() => channel.destroy());
    });

    session.on('shell', (accept) => {
      const channel = accept();
      const out = writer(channel, false);
      terminal = new TerminalShell(
        board,
        board.user,
        (text) => out.write(text),
        (status) => {
          channel.exit(status);
          channel.end();
        },
      );
      Object.assign(terminal.session.env, env);
      channel.on('data', (data: Buffer) => terminal?.input(data));
      channel.on('close', () => terminal?.close());
      terminal.start();
    });

    session.on('sftp', (accept) => serveSftp(accept(), board, `/home/${board.user}`));
  }
}
