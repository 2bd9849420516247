import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoard, type RunningBoard } from '../../sim/fleet.ts';
import { SerialConsole as SimSerialConsole } from '../../sim/serial-console.ts';
import type { WorkbenchFailure } from '../../shared/errors.ts';
import { SerialConsole } from './serial-console.ts';
import { identifyOverSerial } from './serial-identify.ts';

/**
 * The console link against real parts: serialport on the simulated board's
 * socat pty pair, and (like serialport's `testSerialPortClass`) the same
 * command suite against a real board when JWB_TEST_SERIAL names its port.
 */

const hostile = `it's "$HOME" \`id\` $(id) ; | & > < * ? \\ ~ é ✓ JWB1_x:0 '' "" !!`;

function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as WorkbenchFailure,
  );
}

/** Commands every Linux console answers the same way: run against the sim and a real board. */
function commandSuite(link: () => SerialConsole): void {
  it('runs uname -a and returns its output and exit code', async () => {
    const result = await link().exec(['uname', '-a']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Linux \S+ \S+ .*\n$/);
    expect(result.stdout).not.toMatch(/\r|JWB[01]_/);
    expect(result.stderr).toBe('');
  });

  it('reports a non-zero exit code with the merged output', async () => {
    const result = await link().exec(['ls', '/definitely-not-here']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('definitely-not-here');
  });

  it('passes a hostile argument through unchanged', async () => {
    const result = await link().exec(['echo', hostile]);
    expect(result).toEqual({ code: 0, stdout: `${hostile}\n`, stderr: '' });
  });

  it('runs queued commands one at a time, each with its own answer', async () => {
    const results = await Promise.all(['one', 'two', 'three'].map((word) => link().exec(['echo', word])));
    expect(results.map((result) => result.stdout)).toEqual(['one\n', 'two\n', 'three\n']);
  });

  it('stops a command with Ctrl-C when aborted, and the next command still works', async () => {
    const controller = new AbortController();
    const running = link().exec(['sleep', '30'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const startedAt = Date.now();
    expect((await failureOf(running)).code).toBe('cancelled');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect((await link().exec(['echo', 'after'])).stdout).toBe('after\n');
  });

  it('times a command out and stays usable', async () => {
    expect((await failureOf(link().exec(['sleep', '30'], { timeoutMs: 200 }))).code).toBe('timeout');
    expect((await link().exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('refuses transfers and stdin with a sentence pointing to the network link', async () => {
    const upload = await failureOf(link().upload('/tmp/a', '/tmp/b'));
    expect(upload.code).toBe('unsupported');
    expect(upload.message).toMatch(/network \(SSH\)/);
    expect((await failureOf(link().exec(['cat'], { stdin: 'x' }))).code).toBe('unsupported');
    // A tab would be read by readline as "complete", a newline as Enter.
    expect((await failureOf(link().exec(['echo', 'a\tb']))).code).toBe('unsupported');
    expect((await failureOf(link().exec(['echo', 'a\nb']))).code).toBe('unsupported');
  });
}

let root = '';
const boards: RunningBoard[] = [];
const consoles: SerialConsole[] = [];

async function board(options: { firstBoot?: boolean } = {}): Promise<RunningBoard> {
  root ||= mkdtempSync(join(tmpdir(), 'jwb-serial-link-'));
  const running = await startBoard({
    name: `console-${boards.length + 1}`,
    profile: 'orin-nano',
    dataRoot: root,
    host: '127.0.0.2',
    port: 0,
    serial: true,
    firstBoot: options.firstBoot ?? false,
  });
  boards.push(running);
  return running;
}

async function open(running: RunningBoard, options: { user?: string; password?: string } = {}): Promise<SerialConsole> {
  const path = running.descriptor().serialPath as string;
  const link = await SerialConsole.open(path, options);
  consoles.push(link);
  return link;
}

afterAll(async () => {
  for (const link of consoles) await link.close();
  for (const running of boards) {
    await running.serial?.dispose();
    await running.ssh.dispose();
    running.board.dispose();
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('SerialConsole on the simulated board', () => {
  let shared: SerialConsole;
  let running: RunningBoard;

  beforeAll(async () => {
    running = await board();
    shared = await open(running, { user: 'jetson', password: 'jetson' });
  });

  it('logs in at the login prompt and reaches a shell', () => {
    expect(shared.state).toBe('ready');
    expect(shared.stage).toMatchObject({ kind: 'shell', prompt: 'jetson@console-1:~$' });
  });

  it('reads the module name from the device tree', async () => {
    const result = await shared.exec(['cat', '/proc/device-tree/model']);
    expect(result.stdout.replaceAll('\0', '')).toBe(running.descriptor().modelName);
  });

  it('streams output through onStdout as it arrives', async () => {
    const chunks: string[] = [];
    const result = await shared.exec(['uname', '-a'], { onStdout: (chunk) => chunks.push(chunk) });
    expect(chunks.join('')).toBe(result.stdout);
  });

  it('identifies the board over the console', async () => {
    expect(await identifyOverSerial(shared)).toEqual({
      model: running.descriptor().modelName,
      l4t: expect.stringMatching(/^36\.\d+\.\d+$/),
      jetpack: expect.stringMatching(/^6\./),
      hostname: 'console-1',
      addresses: ['127.0.0.2/8'],
    });
  });

  commandSuite(() => shared);
});

describe('SerialConsole login and first boot', () => {
  it('fails with auth-failed on a wrong password ("Login incorrect")', async () => {
    const running = await board();
    const path = running.descriptor().serialPath as string;
    const failure = await failureOf(SerialConsole.open(path, { user: 'jetson', password: 'wrong' }));
    expect(failure.code).toBe('auth-failed');
    expect(failure.detail).toContain('Login incorrect');
  });

  it('stops at oem-config with its question, lets the student answer, then logs in as the new user', async () => {
    const running = await board({ firstBoot: true });
    const link = await open(running, { user: 'jetson', password: 'jetson' });
    expect(link.state).toBe('connecting');
    expect(link.stage).toMatchObject({ kind: 'first-boot', question: 'Press <Enter> to continue:' });
    expect(link.stage.screen).toContain('Welcome to Jetson Initial Configuration');
    const refused = await failureOf(link.exec(['true']));
    expect(refused.code).toBe('unavailable');
    expect(refused.message).toContain('first-boot setup');

    // What a student would type, question by question (the sim's wizard, src/sim/first-boot.ts).
    const answers: [RegExp, string][] = [
      [/license\? \[yes\/no\]:$/, 'yes'],
      [/^Language/, ''],
      [/^Country/, ''],
      [/^Time zone/, ''],
      [/UTC\? \[Yes\/no\]:$/, ''],
      [/^Your name:$/, 'Ada Student'],
      [/^Pick a username:$/, 'ada'],
      [/^Choose a password:$/, 's3cret'],
      [/^Re-enter password/, 's3cret'],
      [/APP partition/, ''],
      [/SWAP File/, 'no'],
      [/network interface/, ''],
      [/^Hostname:$/, 'lab-07'],
    ];
    let stage = await link.answerFirstBoot('');
    for (const [question, answer] of answers) {
      expect(stage.kind === 'first-boot' ? stage.question : stage.kind).toMatch(question);
      stage = await link.answerFirstBoot(answer);
    }
    expect(stage.kind).toBe('login');
    await link.login('ada', 's3cret');
    expect((await link.exec(['whoami'])).stdout).toBe('ada\n');
    expect((await link.exec(['hostname'])).stdout).toBe('lab-07\n');
  });
});

describe('SerialConsole unplugged', () => {
  let running: RunningBoard;
  let link: SerialConsole;

  it('fails the running command with unavailable within a second and closes', async () => {
    running = await board();
    link = await open(running, { user: 'jetson', password: 'jetson' });
    const closed = new Promise<{ reason: unknown; at: number }>((resolve) =>
      link.onDidClose((reason) => resolve({ reason, at: Date.now() })),
    );
    const states: string[] = [];
    link.onDidChangeState((state) => states.push(state));
    const command = failureOf(link.exec(['sleep', '30']));
    // Unplug once the command is surely running on the board.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const unpluggedAt = Date.now();
    await running.serial?.dispose();
    const failure = await command;
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toContain('serial console was unplugged');
    expect(Date.now() - unpluggedAt).toBeLessThan(1_000);
    const { reason, at } = await closed;
    expect(reason).toMatchObject({ code: 'unavailable' });
    expect(at - unpluggedAt).toBeLessThan(1_000);
    expect(link.state).toBe('closed');
    expect(states).toEqual(['closed']);
    expect((await failureOf(link.exec(['true']))).code).toBe('unavailable');
  });

  it('reopens with back-off once the port comes back', async () => {
    const reopened = link.reopen({ initialDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 10_000 });
    // The port is gone for a while (the board rebooting), then its console comes back at the same path.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const console = new SimSerialConsole(running.board);
    running.serial = console;
    await console.start();
    const again = await reopened;
    consoles.push(again);
    expect(again.state).toBe('ready');
    expect((await again.exec(['hostname'])).stdout).toBe(`${running.descriptor().name}\n`);
  });
});

const realPath = process.env.JWB_TEST_SERIAL;
if (realPath === undefined) {
  console.info('SerialConsole real-board suite skipped: set JWB_TEST_SERIAL=/dev/ttyACM0 (and JWB_TEST_SERIAL_USER/_PASSWORD) to run it.');
}

describe.skipIf(realPath === undefined)(`SerialConsole on a real board (${realPath ?? 'JWB_TEST_SERIAL not set'})`, () => {
  let real: SerialConsole;

  beforeAll(async () => {
    real = await SerialConsole.open(realPath ?? '', {
      user: process.env.JWB_TEST_SERIAL_USER,
      password: process.env.JWB_TEST_SERIAL_PASSWORD,
    });
  }, 180_000);

  afterAll(async () => {
    await real?.close();
  });

  it('is logged in and identifies the board', async () => {
    expect(real.state).toBe('ready');
    const identity = await identifyOverSerial(real);
    expect(identity.model).not.toBeNull();
    console.info('real board:', identity);
  });

  commandSuite(() => real);
});
