/**
 * The embedded terminal over a real serial line: serialport on the simulated
 * board's socat pty pair. The login prompt printed before the terminal
 * listens is kept, the student logs in by typing in the terminal (no
 * automation), runs a command, and unplugging ends the session with a clear
 * line in the terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoard, type RunningBoard } from '../../sim/fleet.ts';
import { serialTerminalSource } from './serial-terminal.ts';
import type { ShellSession } from '../link/ssh-shell.ts';

let root: string;
let running: RunningBoard;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jwb-serial-terminal-'));
  running = await startBoard({ name: 'console-1', profile: 'orin-nano', dataRoot: root, host: '127.0.0.2', port: 0, serial: true });
});

afterAll(async () => {
  await running?.serial?.dispose();
  await running?.ssh.dispose();
  running?.board.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Everything the terminal showed so far, and a way to wait for a pattern in it. */
function screenOf(session: ShellSession): { text: () => string; waitFor: (pattern: RegExp) => Promise<void> } {
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  session.onData((data) => {
    text += data;
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(text)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    text: () => text,
    waitFor: (pattern) => (pattern.test(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
  };
}

describe('serial terminal', () => {
  it('is the console: the student logs in by typing, runs a command, and unplugging says so', async () => {
    const path = running.descriptor().serialPath;
    if (path === null) throw new Error('no console');
    const session = await serialTerminalSource(path).openShell({ cols: 80, rows: 24 });
    // The simulated console greets a newly opened line with its login prompt, as agetty does on a fresh tty.
    // The terminal subscribes a little later (as the core does, after an await): the greeting must be kept
    // for it. Nothing can be awaited here without subscribing, which is what is under test, hence the delay.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const screen = screenOf(session);
    const exited = new Promise<number | null>((resolve) => session.onExit(resolve));
    await screen.waitFor(/login: $/);
    session.write('jetson\r');
    await screen.waitFor(/Password: $/);
    session.write('jetson\r');
    await screen.waitFor(/\$ $/);
    session.write('uname -m\r');
    await screen.waitFor(/aarch64/);

    await running.serial?.dispose();
    expect(await exited).toBeNull();
    expect(screen.text()).toContain('The serial console was unplugged');
  });
});
