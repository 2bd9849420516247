import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBoard, type RunningBoard } from '../../sim/fleet.ts';
import type { WorkbenchFailure } from '../../shared/errors.ts';
import { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { ConsoleSessions } from './console-sessions.ts';

/** oem-config over the simulated board's serial console (a socat pty pair running src/sim/first-boot.ts). */

const password = 'Corr3ct-Horse';
const config = FirstBootConfig.parse({ user: 'student', password, hostname: 'lab-07', acceptLicense: true });

let running: RunningBoard | null = null;
let sessions: ConsoleSessions | null = null;
let socat: ChildProcess | null = null;
let root = '';

afterEach(async () => {
  await sessions?.dispose();
  await running?.ssh.dispose();
  await running?.serial?.dispose();
  running?.board.dispose();
  socat?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
  running = sessions = socat = null;
});

async function firstBootBoard(): Promise<string> {
  root = mkdtempSync(join(tmpdir(), 'jwb-oem-'));
  running = await startBoard({
    name: 'fresh-board',
    profile: 'orin-nano',
    dataRoot: root,
    host: '127.0.0.2',
    port: 0,
    serial: true,
    firstBoot: true,
  });
  return running.serial?.path as string;
}

function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as WorkbenchFailure,
  );
}

describe('ConsoleSessions', () => {
  it('shows the first question, advances on an answer, runs the rest from a config and logs in', async () => {
    const path = await firstBootBoard();
    sessions = new ConsoleSessions();
    const returned: unknown[] = [];

    const first = await sessions.open(path);
    returned.push(first);
    expect(first).toMatchObject({ done: false, secret: false });
    // The welcome screen, or the licence when the welcome was poked away before the port was opened.
    expect(first.question).toMatch(/Press <Enter> to continue:|accept the terms of this license\? \[yes\/no\]:/);
    expect((await failureOf(sessions.open(path))).code).toBe('conflict');

    let screen = first;
    if (/Press <Enter>/.test(screen.question ?? '')) screen = await sessions.answer(first.sessionId, '');
    expect(screen.question).toBe('Do you accept the terms of this license? [yes/no]:');
    screen = await sessions.answer(first.sessionId, 'yes');
    returned.push(screen);
    expect(screen).toMatchObject({ done: false, title: 'Welcome', question: 'Language [English]:', secret: false });

    const done = await sessions.auto(first.sessionId, config);
    returned.push(done);
    expect(done).toEqual({ sessionId: first.sessionId, done: true, title: null, question: null, secret: false });
    expect(running?.board.state.firstBootDone).toBe(true);

    const login = await sessions.finish(first.sessionId, 'student', password);
    returned.push(login);
    expect(login.hostname).toBe('lab-07');
    expect(login.user).toBe('student');
    expect(login.addresses).toContain('127.0.0.2');
    expect(JSON.stringify(returned)).not.toContain(password);
    // finish ended the session.
    expect((await failureOf(sessions.answer(first.sessionId, 'x'))).code).toBe('not-found');
  });

  it('marks the password questions secret and stops auto at a question the config does not know', async () => {
    const path = await firstBootBoard();
    sessions = new ConsoleSessions();
    const { sessionId } = await sessions.open(path);
    // No licence acceptance in a config is impossible (the schema wants it); a question it cannot answer is the same stop.
    let screen = await sessions.auto(sessionId, { ...config, acceptLicense: false as unknown as true });
    expect(screen.question).toMatch(/accept the terms/);
    screen = await sessions.answer(sessionId, 'yes');
    while (screen.question !== 'Choose a password:')
      screen = await sessions.answer(sessionId, screen.question === 'Pick a username:' ? 'student' : '');
    expect(screen).toMatchObject({ title: 'Who are you?', secret: true });
    expect((await failureOf(sessions.answer(sessionId, `${password}\rx`))).code).toBe('invalid-request');
    screen = await sessions.answer(sessionId, password);
    expect(screen).toMatchObject({ question: 'Re-enter password to verify:', secret: true });
    screen = await sessions.answer(sessionId, 'not-the-same');
    expect(screen).toMatchObject({ question: 'Re-enter password to verify:', secret: true });
    expect(JSON.stringify(screen)).not.toContain(password);
    expect(await sessions.close(sessionId)).toEqual({ closed: true });
    expect(await sessions.close(sessionId)).toEqual({ closed: false });
  });

  it('says not-found for an unknown session', async () => {
    sessions = new ConsoleSessions();
    for (const call of [sessions.answer('nope', ''), sessions.auto('nope', config), sessions.finish('nope', 'student', password)]) {
      const failure = await failureOf(call);
      expect(failure.code).toBe('not-found');
      expect(failure.message).toMatch(/open the serial console again/);
    }
  });

  it('times out with a clear sentence on a console that says nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'jwb-oem-'));
    const path = join(root, 'silent');
    socat = spawn('socat', [`pty,raw,echo=0,link=${join(root, 'other')}`, `pty,raw,echo=0,link=${path}`], { stdio: 'ignore' });
    for (let tries = 0; tries < 50 && !existsSync(path); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    sessions = new ConsoleSessions({ questionTimeoutMs: 1_000 });
    const failure = await failureOf(sessions.open(path));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toBe('No question came from the console in 1 s: is the board powered and the cable in the debug USB port?');
    // The failed open left no session behind: the path opens again.
    expect((await failureOf(sessions.open(path))).code).toBe('timeout');
  });
});
