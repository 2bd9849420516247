import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { SimBoard } from './board.ts';
import { runFirstBoot, type LineIo } from './first-boot.ts';
import { TerminalShell } from './shell/terminal-shell.ts';

/**
 * The board's serial console (ttyTCU0 / the USB ACM gadget at 115200 8N1) on a
 * pseudo-terminal pair made by socat. The sim holds one end with serialport's
 * real SerialPort; users and tests open `path`. It prints a boot log, runs
 * oem-config on a first boot, then a getty-style login and the same shell.
 */
export class SerialConsole {
  readonly #board: SimBoard;
  readonly path: string;
  readonly #simPath: string;
  #socat: ChildProcess | null = null;
  #port: SerialPort | null = null;
  #shell: TerminalShell | null = null;
  /** A pending line read (login, password, wizard) and its echo setting. */
  #lineWaiter: { resolve: (line: string | null) => void; secret: boolean } | null = null;
  #line = '';
  #generation = 0;
  #disposers: (() => void)[] = [];

  constructor(board: SimBoard) {
    this.#board = board;
    this.path = join(board.root, 'console-user');
    this.#simPath = join(board.root, 'console-sim');
  }

  async start(): Promise<void> {
    await this.#startSocat();
    const port = new SerialPort({ path: this.#simPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.#port = port;
    port.on('data', (data: Buffer) => this.#input(data));
    port.on('error', () => undefined);
    this.#disposers.push(
      this.#board.onDidStartReboot(() => this.#shutdownMessages()),
      this.#board.onDidComeBack(() => void this.#session()),
    );
    void this.#session();
  }

  async dispose(): Promise<void> {
    for (const dispose of this.#disposers) dispose();
    this.#generation += 1;
    this.#shell?.close();
    this.#lineWaiter?.resolve(null);
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    const socat = this.#socat;
    this.#socat = null;
    if (socat && socat.exitCode === null) {
      await new Promise<void>((resolve) => {
        socat.once('exit', () => resolve());
        socat.kill('SIGTERM');
      });
    }
  }

  #startSocat(): Promise<void> {
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.#simPath}`, `pty,raw,echo=0,link=${this.path}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#socat = socat;
    return new Promise((resolve, reject) => {
      let text = '';
      socat.stderr?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('starting data transfer loop')) resolve();
      });
      socat.once('error', reject);
      socat.once('exit', (code) => reject(new Error(`socat exited (${code}) before the console was ready: ${text.trim()}`)));
    });
  }

  #write(text: string): void {
    this.#port?.write(text.replaceAll(/\r?\n/g, '\r\n'));
  }

  #input(data: Buffer): void {
    if (this.#shell) {
      this.#shell.input(data);
      return;
    }
    for (const char of data.toString('utf8')) {
      const waiter = this.#lineWaiter;
      if (!waiter) continue;
      if (char === '\r' || char === '\n') {
        const line = this.#line;
        this.#line = '';
        this.#lineWaiter = null;
        this.#write('\n');
        waiter.resolve(line);
      } else if (char === '\x7f' || char === '\b') {
        if (this.#line.length > 0 && !waiter.secret) this.#write('\b \b');
        this.#line = this.#line.slice(0, -1);
      } else if (char >= ' ') {
        this.#line += char;
        if (!waiter.secret) this.#write(char);
      }
    }
  }

  #readLine(options: { secret?: boolean } = {}): Promise<string | null> {
    this.#line = '';
    return new Promise((resolve) => (this.#lineWaiter = { resolve, secret: options.secret ?? false }));
  }

  #bootLog(): void {
    const board = this.#board;
    const release = board.profile.uname.split(' ')[2] ?? '';
    const lines = [
      '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd421]',
      `[    0.000000] Linux version ${release} (buildbrain@mobile-u64) (aarch64-buildroot-linux-gnu-gcc) #1 SMP PREEMPT`,
      `[    0.000000] Machine model: ${board.profile.model}`,
      '[    0.000000] efi: EFI v2.70 by EDK II',
      `[    1.804122] Run /init as init process`,
      `[    4.212830] systemd[1]: Hostname set to <${board.hostname}>.`,
    ];
    if (!board.state.firstBootDone) {
      lines.push(
        "[   24.092716] Please complete system configuration setup on the serial port provided by Jetson's USB device mode connection. e.g. /dev/ttyACMx where x can 0, 1, 2 etc.",
      );
    }
    lines.push('[  OK  ] Started OpenBSD Secure Shell server.', '[  OK  ] Reached target Multi-User System.', '');
    this.#write(lines.join('\n'));
  }

  #shutdownMessages(): void {
    this.#generation += 1;
    this.#shell?.close();
    this.#shell = null;
    this.#lineWaiter?.resolve(null);
    this.#lineWaiter = null;
    this.#write(
      '\n[  OK  ] Stopped target Multi-User System.\n[  OK  ] Reached target Reboot.\n[ 1234.567890] reboot: Restarting system\n',
    );
  }

  /** Boot log, first boot if needed, then login prompts until the board reboots or the console closes. */
  async #session(): Promise<void> {
    const generation = ++this.#generation;
    const board = this.#board;
    this.#bootLog();
    const io: LineIo = { write: (text) => this.#write(text), readLine: (options) => this.#readLine(options) };
    if (!board.state.firstBootDone && !(await runFirstBoot(board, io))) return;
    while (generation === this.#generation) {
      const os = board.profile.ubuntu;
      this.#write(`\n${os} ${board.hostname} ttyTCU0\n\n${board.hostname} login: `);
      const user = await this.#readLine();
      if (user === null || generation !== this.#generation) return;
      this.#write('Password: ');
      const password = await this.#readLine({ secret: true });
      if (password === null || generation !== this.#generation) return;
      if (user.trim() !== board.user || password !== board.state.password) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        this.#write('\nLogin incorrect\n');
        continue;
      }
      const release = board.profile.uname.split(' ')[2] ?? '';
      this.#write(`Welcome to ${os} (GNU/Linux ${release} ${board.profile.arch})\n\n`);
      const status = await new Promise<number>((resolve) => {
        this.#shell = new TerminalShell(board, board.user, (text) => this.#write(text), resolve);
        this.#shell.start();
      });
      void status;
      this.#shell = null;
    }
  }
}
