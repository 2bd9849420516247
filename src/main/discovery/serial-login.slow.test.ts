/**
 * `discovery.serialLogin` through the contract (in-memory bridge) against the
 * simulated board's console on a socat pty: the path typed in goes through
 * the ManualSource, the login reads the board's name and loopback address,
 * and the board's SSH answers at that address. Wrong passwords, unlisted
 * paths and a board still in its first-boot setup are refused in sentences.
 */
import { realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchBridge } from '../../shared/api.ts';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { openTestWorkbench, type TestWorkbench } from '../../../test/support/test-workbench.ts';

let fleet: Fleet;
let firstBoot: Fleet;
let test: TestWorkbench;
let bridge: WorkbenchBridge;

/** The pty behind the simulator's console link: the `/dev/pts/N` a person would type. */
function devicePath(board: Fleet['boards'][number]): string {
  if (board.serialPath === null) throw new Error('no console');
  return realpathSync(board.serialPath);
}

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.72', port: 0, serial: true });
  firstBoot = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.73', port: 0, serial: true, firstBoot: true });
  test = openTestWorkbench('jwb-serial-login-', {
    discovery: { sources: { usb: false, serial: false, sshConfig: false }, debounceMs: 10 },
    // As `jwb serial` then `jwb info` would: the address read over the console is reached on first use.
    trust: { kind: 'on-first-use', onNewHost: () => undefined },
  });
  ({ bridge } = test);
});

afterAll(async () => {
  await test?.dispose();
  await fleet?.dispose();
  await firstBoot?.dispose();
});

describe('discovery.serialLogin on the simulated console', () => {
  it('refuses a console discovery does not list', async () => {
    const refused = await bridge.call['discovery.serialLogin']({ path: devicePath(fleet.boards[0]!), user: 'jetson', password: 'x' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('not-found');
  });

  it('logs in, reads the name and the address, and the board answers SSH there', async () => {
    const board = fleet.boards[0]!;
    const path = devicePath(board);
    const added = await bridge.call['discovery.addSerialPort']({ path });
    expect(added.ok && added.value.boards.flatMap((found) => found.ports.map((port) => [port.address, port.source]))).toEqual([
      [path, 'manual'],
    ]);
    const login = await bridge.call['discovery.serialLogin']({ path, user: board.user, password: board.password });
    expect(login).toEqual({
      ok: true,
      value: {
        path,
        user: board.user,
        hostname: board.name,
        module: board.modelName,
        l4t: expect.stringMatching(/^36\./),
        jetpack: expect.stringMatching(/^6\./),
        addresses: [board.host],
      },
    });
    const identified = await bridge.call['boards.identify']({
      board: { kind: 'address', host: board.host, port: board.port, user: board.user, password: board.password },
    });
    expect(identified.ok && identified.value.hostKeyFingerprint).toBe(board.fingerprint);
  });

  it('says the password was refused, and that a board in its first-boot setup must finish it first', async () => {
    const board = fleet.boards[0]!;
    // The login above logged out again: a wrong password now meets the login prompt, not a shell left open.
    const wrong = await bridge.call['discovery.serialLogin']({ path: devicePath(board), user: board.user, password: 'not-this-one' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('auth-failed');

    const path = devicePath(firstBoot.boards[0]!);
    await bridge.call['discovery.addSerialPort']({ path });
    const setup = await bridge.call['discovery.serialLogin']({ path, user: 'jetson', password: 'jetson' });
    expect(setup.ok ? 'ok' : setup.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('first-boot setup') });
  });
});
