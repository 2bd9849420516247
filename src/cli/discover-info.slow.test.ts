import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../sim/fleet.ts';

const jwb = new URL('../../bin/jwb.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'jwb-cli-discover-'));
const env = { ...process.env, JWB_DATA_DIR: dataDir, SIM_PASSWORD: 'jetson', SSH_AUTH_SOCK: '' };
let fleet: Fleet;
let port: number;

/** Spawned, not spawnSync: the simulated boards live in this process and must keep answering. */
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jwb, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fleet = await startFleet({ profile: 'xavier-nx', count: 3, host: '127.0.0.70', port });
});
afterAll(async () => {
  await fleet.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('jwb discover', () => {
  it('prints one JSON line per board found, then a summary', async () => {
    const result = await run('discover', '--range', '127.0.0.69-127.0.0.74', '--port', String(port), '--timeout-ms', '400', '--json');
    expect(result.status).toBe(0);
    const lines = jsonLines(result.stdout);
    const boards = lines.filter((line) => line.type === 'board');
    expect(boards.map((line) => line.host).sort()).toEqual(['127.0.0.70', '127.0.0.71', '127.0.0.72']);
    for (const line of boards) {
      expect(line.hostKeyFingerprint).toBe(fleet.boards.find((board) => board.host === line.host)?.fingerprint);
    }
    expect(lines.at(-1)).toMatchObject({ type: 'summary', found: 3, identified: 0, failed: 0 });
  });

  it('identifies each board with --identify, trusting keys on first use', async () => {
    const result = await run(
      'discover',
      '--range',
      '127.0.0.70-127.0.0.72',
      '--port',
      String(port),
      '--identify',
      '--user',
      'jetson',
      '--password-env',
      'SIM_PASSWORD',
      '--json',
    );
    expect(result.status).toBe(0);
    const boards = jsonLines(result.stdout).filter((line) => line.type === 'board');
    expect(boards).toHaveLength(3);
    for (const line of boards) expect(line.facts).toMatchObject({ kind: 'jetson', l4t: '35.4.1', jetpack: '5.1.2' });
    expect(result.stderr).toMatch(/trusting 127\.0\.0\.70:\d+ on first use, ssh-ed25519 SHA256:/);
  });

  it('exits 2 on a bad command line', async () => {
    expect((await run('discover', '--range', '127.0.0.0/8')).status).toBe(2);
    expect((await run('discover')).status).toBe(2);
    expect((await run('discover', '--range', '127.0.0.2', '--identify')).status).toBe(2);
  });
});

describe('jwb info', () => {
  it('identifies one board, printing the fingerprint it trusted', async () => {
    const board = fleet.boards[0];
    const target = `jetson@${board?.host}:${port}`;
    const text = await run('info', target, '--password-env', 'SIM_PASSWORD');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/JetPack\s+5\.1\.2/);
    expect(text.stdout).toContain(board?.fingerprint);
    const json = await run('info', target, '--password-env', 'SIM_PASSWORD', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ hostKeyFingerprint: board?.fingerprint, facts: { kind: 'jetson', l4t: '35.4.1' } });
  });

  it('refuses a board whose key changed, with the link explanation', async () => {
    const board = fleet.boards[1];
    await run('info', `jetson@${board?.host}:${port}`, '--password-env', 'SIM_PASSWORD');
    const file = join(dataDir, 'known-hosts.json');
    const known = JSON.parse(readFileSync(file, 'utf8')) as { hosts: Record<string, { fingerprint: string }> };
    const entry = known.hosts[`${board?.host}:${port}`];
    if (entry === undefined) throw new Error('the first run did not trust the key');
    entry.fingerprint = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    writeFileSync(file, JSON.stringify(known));
    const result = await run('info', `jetson@${board?.host}:${port}`, '--password-env', 'SIM_PASSWORD', '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'host-key-changed' } });
    expect(result.stderr).toMatch(/different identity/);
  });

  it('reports a wrong password as an error and a bad target as usage', async () => {
    const wrong = await run('info', `jetson@${fleet.boards[2]?.host}:${port}`, '--password-env', 'HOME', '--json');
    expect(wrong.status).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'auth-failed' } });
    expect((await run('info', 'no-user-here')).status).toBe(2);
    expect((await run('info', 'jetson@127.0.0.70', '--password-env', 'JWB_NOT_SET_ANYWHERE')).status).toBe(2);
  });
});
