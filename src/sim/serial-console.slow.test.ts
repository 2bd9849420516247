import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { startBoard, type RunningBoard } from './fleet.ts';

let running: RunningBoard | null = null;
let root = '';
let port: SerialPort | null = null;

afterEach(async () => {
  if (port?.isOpen) await new Promise((resolve) => port?.close(resolve));
  await running?.ssh.dispose();
  await running?.serial?.dispose();
  running?.board.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function open(firstBoot: boolean): Promise<{ waitFor(text: string): Promise<void>; send(text: string): void }> {
  root = mkdtempSync(join(tmpdir(), 'jwb-serial-'));
  running = await startBoard({
    name: 'console-board',
    profile: 'orin-nano',
    dataRoot: root,
    host: '127.0.0.2',
    port: 0,
    serial: true,
    firstBoot,
  });
  const path = running.serial?.path as string;
  port = new SerialPort({ path, baudRate: 115200 });
  let screen = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const match = (): void => {
    for (const waiter of [...waiters]) {
      const at = screen.indexOf(waiter.text);
      if (at >= 0) {
        screen = screen.slice(at + waiter.text.length);
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  port.on('data', (data: Buffer) => {
    screen += data.toString();
    match();
  });
  return {
    // On a busy machine the prompt may already be on the screen when the test starts waiting for it.
    waitFor: (text) =>
      new Promise((resolve) => {
        waiters.push({ text, resolve });
        match();
      }),
    send: (text) => void port?.write(text),
  };
}

describe('serial console', () => {
  it('logs in and reads ip -4 addr', async () => {
    const console = await open(false);
    await console.waitFor('console-board login: ');
    console.send('jetson\r');
    await console.waitFor('Password: ');
    console.send('jetson\r');
    await console.waitFor('jetson@console-board:~$ ');
    console.send('ip -4 addr\r');
    await console.waitFor('inet 127.0.0.2/8');
  });

  it('plays oem-config on first boot, completed by a program, then logs in as the new user', async () => {
    const console = await open(true);
    const answers: [string, string][] = [
      ['Press <Enter> to continue: ', ''],
      ['[yes/no]: ', 'yes'],
      ['Language [English]: ', ''],
      ['[United States]: ', ''],
      ['Time zone [America/Los_Angeles]: ', 'Europe/Paris'],
      ['set to UTC? [Yes/no]: ', ''],
      ['Your name: ', 'Ada Student'],
      ['Pick a username: ', 'ada'],
      ['Choose a password: ', 's3cret'],
      ['Re-enter password to verify: ', 's3cret'],
      ['[0]: ', ''],
      ['(Recommended)? [Yes/no]: ', 'no'],
      ['[eth0]: ', ''],
      ['Hostname: ', 'lab-07'],
    ];
    for (const [prompt, answer] of answers) {
      await console.waitFor(prompt);
      console.send(`${answer}\r`);
    }
    await console.waitFor('lab-07 login: ');
    console.send('ada\r');
    await console.waitFor('Password: ');
    console.send('s3cret\r');
    await console.waitFor('ada@lab-07:~$ ');
    expect(running?.board.state.firstBootDone).toBe(true);
  });
});
