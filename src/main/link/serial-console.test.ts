import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkbenchFailure } from '../../shared/errors.ts';
import { SerialConsole } from './serial-console.ts';
import type { SerialBinding } from './serial-port-open.ts';

/**
 * SerialConsole over serialport's MockBinding, with a scripted board behind
 * it that answers the way a Linux console does: it echoes what is typed
 * (`\r` as `\r\n`), colours its prompt, turns `\n` into `\r\n`, and sends
 * everything in odd chunk sizes so every parser boundary gets hit.
 */
const MockBinding = SerialPortMock.binding;
type MockPort = Awaited<ReturnType<typeof MockBinding.open>>;

const path = '/dev/ttyACM0';
const prompt = '\x1b[?2004h\x1b]0;jetson@nano: ~\x07\x1b[01;32mjetson@nano\x1b[00m:\x1b[01;34m~\x1b[00m$ ';
const framed = /^ echo JWB0_''(\w+); (.*) <\/dev\/null; echo JWB1_''\w+:\$\?$/;

class ScriptedBoard {
  /** What the board prints when the port opens. */
  opening = '[    4.212830] systemd[1]: Hostname set to <nano>.\n[  OK  ] Reached target Multi-User System.\n\nnano login: ';
  answers = new Map<string, { output: string; code: number }>();
  /** Everything typed at the board, raw. */
  typed = '';
  #port: MockPort | null = null;
  #initialStage: 'login' | 'shell' | 'wizard' = 'login';
  #stage: 'login' | 'password' | 'shell' | 'wizard' = 'login';
  #line = '';
  #sending: Promise<void> = Promise.resolve();
  #chunk = 0;
  #commandWaiters: ((command: string) => void)[] = [];

  /** Resolves with the next framed command the board receives. */
  nextCommand(): Promise<string> {
    return new Promise((resolve) => this.#commandWaiters.push(resolve));
  }

  binding(): SerialBinding {
    return {
      ...MockBinding,
      open: async (options: Parameters<typeof MockBinding.open>[0]) => {
        const port = await MockBinding.open(options);
        this.#attach(port);
        return port;
      },
    };
  }

  startIn(stage: 'shell' | 'wizard', screen: string): void {
    this.#initialStage = stage;
    this.opening = screen;
  }

  /** Prints on the console now (a boot log the test scrolls). */
  print(text: string): void {
    this.#send(text);
  }

  /** The USB device disappears: the pending read fails as a real one does (EIO). */
  unplug(): void {
    const port = this.#port as unknown as { pendingRead: ((error?: Error) => void) | null; read: () => Promise<never> };
    port.read = () => Promise.reject(new Error('EIO: i/o error'));
    port.pendingRead?.(new Error('EIO: i/o error'));
  }

  #attach(port: MockPort): void {
    this.#port = port;
    // Every (re)open finds the board freshly booted.
    this.#stage = this.#initialStage;
    const write = port.write.bind(port);
    port.write = async (buffer: Buffer) => {
      await write(buffer);
      this.#typedText(buffer.toString());
    };
    this.#send(this.opening);
  }

  #typedText(text: string): void {
    this.typed += text;
    for (const char of text) {
      if (char === '\x03') {
        this.#line = '';
        this.#send(`^C\n${prompt}`);
      } else if (char === '\r') {
        const line = this.#line;
        this.#line = '';
        this.#send('\n');
        this.#enter(line);
      } else {
        this.#line += char;
        if (this.#stage !== 'password') this.#send(char);
      }
    }
  }

  #enter(line: string): void {
    if (this.#stage === 'login' && line === '') {
      this.#send('nano login: ');
    } else if (this.#stage === 'login') {
      this.#stage = 'password';
      this.#send('Password: ');
    } else if (this.#stage === 'password') {
      const ok = line === 'secret';
      this.#stage = ok ? 'shell' : 'login';
      this.#send(ok ? `Welcome to Ubuntu 22.04.5 LTS (GNU/Linux 5.15.148-tegra aarch64)\n\n${prompt}` : '\nLogin incorrect\nnano login: ');
    } else if (this.#stage === 'shell') {
      const match = framed.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) {
        this.#send(prompt);
        return;
      }
      for (const wake of this.#commandWaiters.splice(0)) wake(match[2]);
      const answer = this.answers.get(match[2]);
      // No answer: the command runs until Ctrl-C or the cable goes.
      if (answer !== undefined) this.#send(`\x1b[?2004l\rJWB0_${match[1]}\n${answer.output}JWB1_${match[1]}:${answer.code}\n${prompt}`);
    }
  }

  /** Sends in chunks of 1, 5, 3, 17, … bytes, each in its own read, in order. */
  #send(text: string): void {
    const raw = Buffer.from(text.replaceAll('\n', '\r\n'));
    this.#sending = this.#sending.then(async () => {
      for (let at = 0; at < raw.length;) {
        const size = [1, 5, 3, 17][this.#chunk++ % 4] ?? 1;
        if (!this.#port?.isOpen) return;
        this.#port.emitData(raw.subarray(at, at + size));
        at += size;
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }
}

function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as WorkbenchFailure,
  );
}

const opened: SerialConsole[] = [];

async function openOn(board: ScriptedBoard, credentials: { user?: string; password?: string } = {}, settleMs = 50): Promise<SerialConsole> {
  MockBinding.createPort(path, { echo: false, record: true, vendorId: '0955', productId: '7020' });
  const link = await SerialConsole.open(path, { ...credentials, settleMs, binding: board.binding() });
  opened.push(link);
  return link;
}

afterEach(async () => {
  for (const link of opened.splice(0)) await link.close();
  MockBinding.reset();
});

describe('SerialConsole over MockBinding', () => {
  it('waits out the boot log, logs in, and proves the shell with a framed command', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    expect(link.state).toBe('ready');
    expect(link.stage).toMatchObject({ kind: 'shell', prompt: 'jetson@nano:~$' });
    expect(board.typed).toMatch(/^jetson\rsecret\r echo JWB0_''\w+; true <\/dev\/null; echo JWB1_''\w+:\$\?\r$/);
  });

  it('returns output without echo, ANSI noise or \\r, and the exit code', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    // '=' is quoted by commandLine (shell-quote.ts), so that is the line the board sees.
    board.answers.set("ls '--color=always'", { output: '\x1b[01;34mDesktop\x1b[0m  notes.txt\n', code: 0 });
    board.answers.set("cat 'no such'", { output: "cat: 'no such': No such file or directory\n", code: 1 });
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    expect(await link.exec(['ls', '--color=always'])).toEqual({ code: 0, stdout: 'Desktop  notes.txt\n', stderr: '' });
    expect(await link.exec(['cat', 'no such'])).toEqual({ code: 1, stdout: "cat: 'no such': No such file or directory\n", stderr: '' });
  });

  it('wakes a console that shows nothing with Enter', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    board.opening = '';
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    expect(link.state).toBe('ready');
    expect(board.typed.startsWith('\rjetson\rsecret\r')).toBe(true);
  });

  it('types nothing while a boot log scrolls, then logs in at the prompt', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    board.opening = '';
    const opening = openOn(board, { user: 'jetson', password: 'secret' }, 250);
    // A boot log for about a second, one line every 20 ms: never quiet for the 250 ms settle time.
    for (let line = 0; line < 50; line += 1) {
      board.print(`[    ${line}.000000] tegra-xusb 3610000.usb: Firmware timestamp: 2023-02-10 03:48:10 UTC\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    board.print('\nnano login: ');
    const link = await opening;
    expect(link.state).toBe('ready');
    expect(board.typed.startsWith('jetson\rsecret\r')).toBe(true);
  });

  it('fails with auth-failed when the board says "Login incorrect"', async () => {
    const failure = await failureOf(openOn(new ScriptedBoard(), { user: 'jetson', password: 'nope' }));
    expect(failure.code).toBe('auth-failed');
    expect(failure.message).toContain('"jetson"');
  });

  it('stops at a login prompt without credentials', async () => {
    const link = await openOn(new ScriptedBoard());
    expect(link.state).toBe('connecting');
    expect(link.stage.kind).toBe('login');
    expect((await failureOf(link.exec(['true']))).code).toBe('unavailable');
  });

  it('uses a shell that is already logged in', async () => {
    const board = new ScriptedBoard();
    board.startIn('shell', prompt);
    board.answers.set('true', { output: '', code: 0 });
    const link = await openOn(board);
    expect(link.state).toBe('ready');
  });

  it('reports oem-config as first-boot with its question and types nothing into it', async () => {
    const board = new ScriptedBoard();
    board.startIn(
      'wizard',
      'Welcome to Jetson Initial Configuration\n\nLicense For Customer Use of NVIDIA Software\n\nDo you accept the terms of this license? [yes/no]: ',
    );
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    expect(link.stage).toMatchObject({ kind: 'first-boot', question: 'Do you accept the terms of this license? [yes/no]:' });
    expect(board.typed).toBe('');
  });

  it('sends Ctrl-C when a command is aborted', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    const controller = new AbortController();
    const typed = board.nextCommand();
    const running = link.exec(['sleep', '100'], { signal: controller.signal });
    expect(await typed).toBe('sleep 100');
    controller.abort();
    expect((await failureOf(running)).code).toBe('cancelled');
    // The next command waits for the prompt that follows the Ctrl-C.
    await link.exec(['true']);
    const afterSleep = board.typed.slice(board.typed.indexOf('sleep 100'));
    expect(afterSleep).toMatch(/^sleep 100 <\/dev\/null; echo JWB1_''\w+:\$\?\r/);
    expect(afterSleep).toContain("\x03 echo JWB0_''");
    expect(afterSleep.indexOf('\x03')).toBeLessThan(afterSleep.indexOf(' true '));
  });

  it('cancels a queued command at once, without ever typing it', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    const typed = board.nextCommand();
    const first = link.exec(['sleep', '100'], { timeoutMs: 300 });
    const controller = new AbortController();
    const queued = failureOf(link.exec(['echo', 'never'], { signal: controller.signal }));
    await typed;
    controller.abort();
    expect((await queued).code).toBe('cancelled');
    expect((await failureOf(first)).code).toBe('timeout');
    expect(board.typed).not.toContain('never');
  });

  it('fails pending and queued commands with unavailable when unplugged, and closes once', async () => {
    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    const link = await openOn(board, { user: 'jetson', password: 'secret' });
    const reasons: unknown[] = [];
    link.onDidClose((reason) => reasons.push(reason));
    const typed = board.nextCommand();
    const running = failureOf(link.exec(['sleep', '100']));
    const queued = failureOf(link.exec(['true']));
    await typed;
    board.unplug();
    expect((await running).message).toContain('serial console was unplugged');
    expect((await queued).code).toBe('unavailable');
    expect(link.state).toBe('closed');
    expect(reasons).toEqual([expect.objectContaining({ code: 'unavailable' })]);
  });

  it('says the port is missing, and reopen() polls until it comes back', async () => {
    const failure = await failureOf(SerialConsole.open('/dev/ttyACM9', { binding: MockBinding }));
    expect(failure).toMatchObject({ code: 'unavailable', message: expect.stringContaining('/dev/ttyACM9') });

    const board = new ScriptedBoard();
    board.answers.set('true', { output: '', code: 0 });
    const first = await openOn(board, { user: 'jetson', password: 'secret' });
    board.unplug();
    MockBinding.reset();
    const again = first.reopen({ initialDelayMs: 10, maxDelayMs: 40 });
    setTimeout(() => MockBinding.createPort(path), 100);
    const link = await again;
    opened.push(link);
    expect(link.state).toBe('ready');
  });

  it('refuses upload and download with unsupported', async () => {
    const link = await openOn(new ScriptedBoard());
    expect((await failureOf(link.upload('/tmp/model.onnx', '/home/jetson/model.onnx'))).code).toBe('unsupported');
    expect((await failureOf(link.download('/home/jetson/log.txt', '/tmp/log.txt'))).code).toBe('unsupported');
  });
});
