import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { BoardDescriptor } from '../../sim/fleet.ts';
import { connect, exec } from '../../sim/testing.ts';

describe('jwb sim', () => {
  it('prints one JSON line per board, serves them, and exits 0 on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['bin/jwb.js', 'sim', '--model', 'orin-nano', '--count', '3', '--host', '127.0.0.40', '--port', '22122', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const boards: BoardDescriptor[] = [];
    for await (const line of lines) {
      boards.push(JSON.parse(line) as BoardDescriptor);
      if (boards.length === 3) break;
    }
    expect(boards.map((board) => board.host)).toEqual(['127.0.0.40', '127.0.0.41', '127.0.0.42']);
    expect(boards[0]).toMatchObject({ port: 22122, model: 'orin-nano', user: 'jetson', serialPath: null });
    expect(boards[0]?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const client = await connect(boards[1] as BoardDescriptor);
    expect((await exec(client, 'hostname -I')).stdout.trim()).toBe('127.0.0.41');
    client.end();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses a host outside 127.0.0.0/8', async () => {
    const child = spawn(process.execPath, ['bin/jwb.js', 'sim', '--host', '8.8.8.8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('outside 127.0.0.0/8');
  });
});
