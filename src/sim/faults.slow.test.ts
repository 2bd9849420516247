import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet.ts';
import { connect, exec } from './testing.ts';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ profile: 'agx-orin', count: 2, port: 0, rebootDelayMs: 1500 });
});
afterAll(() => fleet.dispose());

function board(index: number) {
  return fleet.running[index]!;
}

/** The other board keeps answering after each fault. */
async function otherBoardWorks(): Promise<void> {
  const client = await connect(fleet.boards[1]!);
  expect((await exec(client, 'echo alive')).stdout).toBe('alive\n');
  client.end();
}

describe('fault injection', () => {
  it('refuses auth', async () => {
    board(0).board.faults.set({ refuseAuth: true });
    await expect(connect(fleet.boards[0]!)).rejects.toThrow(/authentication/i);
    board(0).board.faults.clear();
    await otherBoardWorks();
  });

  it('drops the connection after N ms and after N bytes', async () => {
    board(0).board.faults.set({ dropAfterMs: 200 });
    const client = await connect(fleet.boards[0]!);
    const closed = new Promise((resolve) => client.on('close', () => resolve(undefined)));
    await closed;
    board(0).board.faults.set({ dropAfterMs: null, dropAfterBytes: 500 });
    const second = await connect(fleet.boards[0]!);
    const result = await exec(second, 'tegrastats --interval 10').catch((error: Error) => error);
    expect(result instanceof Error || result.code === null).toBe(true);
    board(0).board.faults.clear();
    await otherBoardWorks();
  });

  it('adds latency', async () => {
    board(0).board.faults.set({ latencyMs: 300 });
    const client = await connect(fleet.boards[0]!);
    const started = Date.now();
    await exec(client, 'true');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    client.end();
    board(0).board.faults.clear();
  });

  it('fills the disk: apt fails with the dpkg message, pip with errno 28', async () => {
    board(0).board.fillDisk();
    const client = await connect(fleet.boards[0]!);
    const apt = await exec(client, 'sudo -S apt-get install -y htop', 'jetson\n');
    expect(apt.code).toBe(100);
    expect(apt.stderr).toContain('failed to write (No space left on device)');
    const pip = await exec(client, 'pip3 install numpy');
    expect(pip.stderr).toContain('[Errno 28] No space left on device');
    client.end();
    board(0).board.faults.clear();
    await otherBoardWorks();
  });

  it('stops tegrastats mid-stream', async () => {
    board(0).board.faults.set({ tegrastatsStopAfterLines: 2 });
    const client = await connect(fleet.boards[0]!);
    const result = await exec(client, 'tegrastats --interval 20');
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.code).toBe(1);
    client.end();
    board(0).board.faults.clear();
  });

  it('rotates the host key', async () => {
    const before = fleet.running[0]!.descriptor().fingerprint;
    const client = await connect(fleet.boards[0]!);
    const closed = new Promise((resolve) => client.on('close', () => resolve(undefined)));
    board(0).board.rotateHostKey();
    await closed;
    expect(fleet.running[0]!.descriptor().fingerprint).not.toBe(before);
    const again = await connect({ ...fleet.boards[0]!, port: fleet.running[0]!.ssh.port });
    again.end();
    await otherBoardWorks();
  });

  it('reboots: drops connections, refuses during the reboot, comes back', async () => {
    const client = await connect(fleet.boards[0]!);
    const closed = new Promise((resolve) => client.on('close', () => resolve(undefined)));
    const result = await exec(client, 'sudo -S reboot', 'jetson\n');
    expect(result.code).toBe(0);
    await closed;
    await expect(connect(fleet.boards[0]!)).rejects.toThrow();
    await otherBoardWorks();
    // Checked and registered in one tick: on a slow machine the board may already be back.
    if (board(0).board.rebooting) await new Promise((resolve) => board(0).board.onDidComeBack(() => resolve(undefined)));
    const back = await connect(fleet.boards[0]!);
    expect((await exec(back, 'cat /proc/device-tree/model')).stdout).toContain('Orin');
    back.end();
  });
});
