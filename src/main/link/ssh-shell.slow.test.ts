/**
 * A shell on a simulated board's pty over a real ssh2 connection. The board
 * writes its prompt the moment the shell starts, as sshd + bash do; whoever
 * subscribes after `openShell` resolved must still get it.
 */
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { connect, exec } from '../../sim/testing.ts';
import { openShell } from './ssh-shell.ts';

let fleet: Fleet;
let client: Client;

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.1', port: 0, tickMs: 200 });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  client = await connect(board);
});

afterAll(async () => {
  client?.end();
  await fleet?.dispose();
});

describe('openShell', () => {
  it('hands the first prompt to a listener that subscribes after it arrived', async () => {
    const session = await openShell(client, { cols: 80, rows: 24 });
    // SSH keeps one connection's packets in order and the board wrote the prompt before it read this
    // request: once its answer is here, so is the prompt (what a slow link or a busy main does).
    await exec(client, 'true');
    let heard = '';
    session.onData((text) => (heard += text));
    expect(heard).toMatch(/^jetson@orin-nano-\d+:~\$ $/);

    const exited = new Promise<number | null>((resolve) => session.onExit(resolve));
    session.write('exit\r');
    expect(await exited).toBe(0);
    expect(heard).toContain('logout');
  });
});
