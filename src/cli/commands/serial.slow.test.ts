/**
 * `jwb serial` against a simulated board's console (a socat pty): the
 * first-boot path from the command line, through the workbench's
 * `discovery.serialLogin`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runJwb } from '../../../test/support/run-jwb.ts';
import { startFleet, type BoardDescriptor, type Fleet } from '../../sim/fleet.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'jwb-cli-serial-'));
let fleet: Fleet;
let board: BoardDescriptor;

function serial(args: string[], password: string) {
  return runJwb(['serial', ...args], { env: { ...process.env, JWB_DATA_DIR: dataDir, BOARD_PASSWORD: password } });
}

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.74', port: 0, serial: true });
  board = fleet.boards[0]!;
});

afterAll(async () => {
  await fleet?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('jwb serial', () => {
  it('logs in on the console and prints the board and its address, as text and as JSON', async () => {
    const path = board.serialPath!;
    const json = await serial([path, '--user', board.user, '--password-env', 'BOARD_PASSWORD', '--json'], board.password);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([
      {
        type: 'serial',
        path: expect.stringMatching(/^\/dev\/pts\/\d+$/),
        user: board.user,
        hostname: board.name,
        module: board.modelName,
        l4t: expect.stringMatching(/^36\./),
        jetpack: expect.stringMatching(/^6\./),
        addresses: [board.host],
      },
    ]);
    const text = await serial([path, '--user', board.user, '--password-env', 'BOARD_PASSWORD'], board.password);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`Addresses: ${board.host}`);
    expect(text.stdout).toContain(`jwb info ${board.user}@${board.host}`);
  });

  it('fails with the sentence for a refused password, and exits 2 on a bad command line', async () => {
    const wrong = await serial([board.serialPath!, '--user', board.user, '--password-env', 'BOARD_PASSWORD'], 'not-it');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/refused the login as "jetson"/);
    expect((await serial([board.serialPath!, '--password-env', 'BOARD_PASSWORD'], 'x')).status).toBe(2);
    expect((await serial(['/dev/no-such-console', '--user', 'jetson', '--password-env', 'BOARD_PASSWORD'], 'x')).status).toBe(2);
  });
});
