/**
 * `jwb serve --json` as a child process, for tests that must see whether
 * the serve shell survives (an uncaught error in a test's own process would
 * be caught by the test runner, not end it) and how much memory it holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { jwbEntry } from './run-jwb.ts';

export interface ServeProcess {
  readonly port: number;
  readonly token: string;
  /** What a browser on the printed page sends as `Origin`. */
  readonly origin: string;
  readonly pid: number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Its resident memory, in bytes (VmRSS of /proc/<pid>/status). */
  rss(): Promise<number>;
  /** What it wrote on stderr so far (why it died, if it did). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServeProcess(): Promise<ServeProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jwb-serve-process-'));
  const child = spawn(process.execPath, [jwbEntry, 'serve', '--json', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await firstLine(child);
  if (first === undefined) throw new Error(`jwb serve ended before printing its address: ${stderr}`);
  const { url, port } = JSON.parse(first) as { url: string; port: number };
  const token = new URL(url).searchParams.get('token') ?? '';
  return {
    port,
    token,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    async rss() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      if (kib === undefined) throw new Error('no VmRSS in /proc status');
      return Number(kib) * 1024;
    },
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string | undefined> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve) => {
    lines.once('line', (line) => {
      resolve(line);
      lines.close();
    });
    lines.once('close', () => resolve(undefined));
  });
}
