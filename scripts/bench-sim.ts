/**
 * Fleet budgets of issue "A simulated Jetson": 32 boards on 127.0.0.2–.33
 * start in under 5 s and use under 300 MB in total. Measured on the real
 * `jwb sim` process: time until it printed all 32 boards, then its resident
 * memory (VmRSS) after every board has served one SSH session.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { BoardDescriptor } from '../src/sim/fleet.ts';
import { connect, exec } from '../src/sim/testing.ts';

const count = 32;

function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export async function benchSimFleet(): Promise<Record<string, number>> {
  const jwb = new URL('../bin/jwb.js', import.meta.url).pathname;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [jwb, 'sim', '--model', 'orin-nano', '--count', String(count), '--host', '127.0.0.2', '--port', '22022', '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const boards: BoardDescriptor[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    boards.push(JSON.parse(line) as BoardDescriptor);
    if (boards.length === count) break;
  }
  const startMs = performance.now() - started;
  const idleMb = residentMb(child.pid!);
  for (const board of boards) {
    const client = await connect(board);
    await exec(client, 'cat /proc/device-tree/model');
    client.end();
  }
  const usedMb = residentMb(child.pid!);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
  return {
    'boards started': boards.length,
    'fleet of 32 start (to the last JSON line), ms': startMs,
    'fleet of 32 memory, idle, MB': idleMb,
    'fleet of 32 memory after one SSH session each, MB': usedMb,
  };
}
