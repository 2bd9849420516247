import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { BoardDescriptor } from '../../sim/fleet.ts';

/** A port free on 127.0.0.2 right now (the simulator binds it next). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.2', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/jwb.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('jwb telemetry record', () => {
  it('records 2 s of tegrastats from a simulated board to CSV, trusting it on first use, then the sensors at 100 Hz by default', async () => {
    const port = await freePort();
    const sim = spawn(process.execPath, ['bin/jwb.js', 'sim', '--count', '1', '--host', '127.0.0.2', '--port', String(port), '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const simExited = new Promise<number | null>((resolve) => sim.on('exit', (code) => resolve(code)));
    const folder = mkdtempSync(join(tmpdir(), 'jwb-telemetry-record-'));
    try {
      let board: BoardDescriptor | undefined;
      for await (const line of createInterface({ input: sim.stdout })) {
        board = JSON.parse(line) as BoardDescriptor;
        break;
      }
      if (board === undefined) throw new Error('the simulator printed no board');
      const out = join(folder, 'run.csv');
      const env = { ...process.env, JWB_DATA_DIR: join(folder, 'data'), BOARD_PASSWORD: board.password };
      const target = `${board.user}@${board.host}:${board.port}`;
      const args = ['telemetry', 'record', target, '--seconds', '2', '--out', out, '--password-env', 'BOARD_PASSWORD'];
      const first = await run([...args, '--source', 'tegrastats', '--interval-ms', '250', '--json'], env);
      expect(first.stderr).toContain(`trusting 127.0.0.2:${port} on first use`);
      expect(first.stderr).toContain(board.fingerprint);
      expect(first.code).toBe(0);
      const summary = JSON.parse(first.stdout.trim()) as {
        samples: number;
        lost: number;
        unparsed: number;
        joules: number | null;
        out: string;
        powerSource: string;
      };
      expect(summary.samples).toBeGreaterThanOrEqual(5);
      expect(summary.samples).toBeLessThanOrEqual(10);
      expect(summary).toMatchObject({ lost: 0, unparsed: 0, out, powerSource: 'tegrastats' });
      const rows = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(rows).toHaveLength(summary.samples + 1);
      expect(rows[0]?.startsWith('seq,t_s,input_mw,')).toBe(true);
      // Seconds since the recording began: the first line arrives within one interval of it.
      const firstT = Number(rows[1]?.split(',')[1]);
      expect(firstT).toBeGreaterThanOrEqual(0);
      expect(firstT).toBeLessThan(1);
      if (summary.joules !== null) expect(summary.joules).toBeGreaterThan(0);
      const knownHosts = JSON.parse(readFileSync(join(folder, 'data', 'known-hosts.json'), 'utf8')) as unknown;
      expect(JSON.stringify(knownHosts)).toContain(board.fingerprint);

      // Known now: no trust message the second time, a plain-text summary; by default the INA3221
      // sensors through the agent, as fast as they allow (100 Hz; a busy machine gets fewer).
      const second = await run(args, env);
      expect(second.code).toBe(0);
      expect(second.stderr).not.toContain('trusting');
      expect(second.stdout).toMatch(/^\d+ samples written to .* \(hwmon every 10 ms;/);
      expect(Number(/^(\d+) samples/.exec(second.stdout)?.[1])).toBeGreaterThan(40);
    } finally {
      sim.kill('SIGINT');
      await simExited;
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
