/**
 * The sudo watchdog run by a real POSIX shell: with our stdin left open (it is
 * the wire that stops the command), a refused password must still end at once,
 * and closing stdin must still stop the command. A stand-in `sudo` reads
 * password lines from stdin exactly as sudo -S does (three tries).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sudoWatchdogScript } from '../../shared/watchdog-script.ts';

const folder = mkdtempSync(join(tmpdir(), 'jwb-sudo-watchdog-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const fakeSudo = join(folder, 'sudo');
writeFileSync(
  fakeSudo,
  [
    '#!/bin/sh',
    'tries=0',
    'while [ $tries -lt 3 ]; do',
    '  if ! IFS= read -r answer; then echo "sudo: no password was provided" >&2; exit 1; fi',
    '  if [ "$answer" = right ]; then shift 5; exec "$@"; fi',
    '  echo "Sorry, try again." >&2; tries=$((tries + 1))',
    'done',
    'exit 1',
  ].join('\n'),
);
chmodSync(fakeSudo, 0o755);

function run(password: string, command: string[]): { exit: Promise<{ code: number | null; stderr: string }>; close(): void } {
  const child = spawn('/bin/sh', ['-c', sudoWatchdogScript, 'jwb-watchdog', fakeSudo, '-k', '-S', '-p', '', '--', ...command], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.write(`${password}\n`); // and nothing more: stdin stays open, as the channel does
  return {
    exit: new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr }))),
    close: () => child.stdin.end(),
  };
}

describe('sudoWatchdogScript', () => {
  it('ends at once on a refused password though stdin stays open', async () => {
    const { exit, close } = run('wrong', ['sleep', '30']);
    const result = await exit;
    close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no password was provided');
  });

  it('runs the command with the right password, and stops it when stdin closes', async () => {
    const { exit, close } = run('right', ['sleep', '30']);
    setTimeout(close, 300);
    const result = await exit;
    expect(result.code).toBe(143); // 128 + TERM: the watcher stopped it
  });
});
