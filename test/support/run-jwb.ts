/**
 * Runs `jwb` as a child process and collects what it printed. Spawned, not
 * spawnSync: simulated boards a test starts live in the test's process and
 * must keep answering. `via` runs it through another command first
 * (`['ip', 'netns', 'exec', ns]`: the CLI inside a network namespace).
 */
import { spawn } from 'node:child_process';

export const jwbEntry = new URL('../../bin/jwb.js', import.meta.url).pathname;

export interface JwbRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runJwb(args: readonly string[], options: { env?: NodeJS.ProcessEnv; via?: readonly string[] } = {}): Promise<JwbRun> {
  const [command = process.execPath, ...argv] = [...(options.via ?? []), process.execPath, jwbEntry, ...args];
  return new Promise((resolve) => {
    const child = spawn(command, argv, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The JSON lines of a `--json` run. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
