/**
 * Connections against a real simulated board (ssh2 server on loopback): the
 * whole first-contact path a student walks, then password-less login with
 * the workbench key, a changed host key, the terminal, and no password on disk.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { identify } from '../identify/identify.ts';
import { PasswordCache } from '../link/passwords.ts';
import { openConfStore } from '../store/conf-store.ts';
import { BoardConnections } from './connections.ts';
import { BoardInventory } from './inventory.ts';
import { ObservedKnownHosts } from './observed-known-hosts.ts';
import { Terminals } from './terminal.ts';

let fleet: Fleet;
let dataDir: string;
let savedAgent: string | undefined;

beforeAll(async () => {
  // The agent of whoever runs the suite must not log in for us.
  savedAgent = process.env.SSH_AUTH_SOCK;
  delete process.env.SSH_AUTH_SOCK;
  dataDir = await mkdtemp(join(tmpdir(), 'jwb-boards-'));
  // A password found nowhere else (the default, "jetson", is also the user name in every file).
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.1', port: 0, tickMs: 200, password: 'Tr0ub4dor-e2e-9f41' });
});

afterAll(async () => {
  await fleet?.dispose();
  await rm(dataDir, { recursive: true, force: true });
  if (savedAgent !== undefined) process.env.SSH_AUTH_SOCK = savedAgent;
});

function service() {
  const inventory = new BoardInventory(openConfStore(dataDir));
  const knownHosts = new ObservedKnownHosts(join(dataDir, 'known-hosts.json'));
  const connections = new BoardConnections({
    inventory,
    knownHosts,
    passwords: new PasswordCache(),
    keyFolder: join(dataDir, 'ssh'),
    identify: (link) => identify(link),
  });
  return { inventory, knownHosts, connections };
}

function nextChange(connections: BoardConnections, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const stop = connections.onDidChange(() => {
      if (!predicate()) return;
      stop();
      resolve();
    });
  });
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('BoardConnections with a simulated Orin Nano', () => {
  it('walks first contact: password, fingerprint, wrong then right password, identification, power, key, no password on disk', async () => {
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const { inventory, connections } = service();
    const { id } = inventory.add({ host: board.host, port: board.port, user: board.user, name: 'bench' });

    expect(await connections.connect(id)).toEqual({ status: 'password-needed', rejected: false });
    expect(await connections.connect(id, 'wrong-password')).toEqual({
      status: 'host-key-unknown',
      keyType: 'ssh-ed25519',
      fingerprint: board.fingerprint,
    });
    await expect(connections.trustHostKey(id, `SHA256:${'B'.repeat(43)}`)).rejects.toMatchObject({ code: 'conflict' });
    expect((await connections.trustHostKey(id, board.fingerprint)).fingerprint).toBe(board.fingerprint);
    // The password given before the fingerprint question was kept for the retry, and refused now.
    expect(await connections.connect(id)).toEqual({ status: 'password-needed', rejected: true });
    const connected = await connections.connect(id, board.password);
    expect(connected).toMatchObject({ status: 'connected', board: { state: 'online', fingerprint: board.fingerprint } });

    await nextChange(connections, () => connections.summary(id).identifying === false && connections.summary(id).powerW !== null);
    const details = connections.details(id);
    expect(details.facts).toMatchObject({ kind: 'jetson', module: board.modelName });
    expect(details.jetpack).toMatch(/^6\./);
    expect(details.powerW).toBeGreaterThan(0);
    expect(details.lastSeen).not.toBeNull();

    const installed = await connections.installKey(id);
    expect(installed.added).toBe(true);
    await connections.disconnect(id);
    expect(connections.summary(id)).toMatchObject({ state: 'offline', powerW: null, keyInstalled: true });

    // A fresh service (a restarted app) has no password in memory: the key logs in.
    const restarted = service();
    expect(await restarted.connections.connect(id)).toMatchObject({ status: 'connected' });
    await restarted.connections.dispose();
    await connections.dispose();

    const leaks: string[] = [];
    for (const file of await filesUnder(dataDir)) {
      if ((await readFile(file)).includes(board.password)) leaks.push(file);
    }
    expect(leaks).toEqual([]);
  }, 60_000);

  it('blocks a changed host key until the person trusts the new one', async () => {
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const { inventory, knownHosts, connections } = service();
    const { id } = inventory.add({ host: board.host, port: board.port, user: board.user });
    const previous = `SHA256:${'C'.repeat(43)}`;
    await knownHosts.trustNewKey(board.host, board.port, previous, 'ssh-ed25519');

    const outcome = await connections.connect(id, board.password);
    expect(outcome).toMatchObject({ status: 'host-key-changed', knownFingerprint: previous, offeredFingerprint: board.fingerprint });
    expect(connections.summary(id).state).toBe('offline');

    await connections.trustHostKey(id, board.fingerprint);
    expect(await connections.connect(id)).toMatchObject({ status: 'connected' });
    expect((await knownHosts.get(board.host, board.port))?.fingerprint).toBe(board.fingerprint);
    await connections.dispose();
  }, 30_000);

  it('runs uname -a in a terminal and batches its output', async () => {
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const { inventory, connections } = service();
    const { id } = inventory.add({ host: board.host, port: board.port, user: board.user });
    expect(await connections.connect(id, board.password)).toMatchObject({ status: 'connected' });
    const outputs: string[] = [];
    let exited: (code: number | null) => void = () => {};
    const exit = new Promise<number | null>((resolve) => (exited = resolve));
    let sawUname: () => void = () => {};
    const uname = new Promise<void>((resolve) => (sawUname = resolve));
    const terminals = new Terminals((boardId) => connections.link(boardId), {
      output: (_terminal, data) => {
        outputs.push(data);
        if (outputs.join('').includes('aarch64 GNU/Linux')) sawUname();
      },
      exit: (_terminal, code) => exited(code),
    });

    const terminalId = await terminals.open(id, 100, 30);
    terminals.resize(terminalId, 120, 40);
    terminals.input(terminalId, 'uname -a\r');
    await uname;
    terminals.input(terminalId, 'exit\r');
    expect(await exit).toBe(0);
    expect(outputs.join('')).toMatch(/Linux \S+ 5\.15\.\d+-tegra .*aarch64 GNU\/Linux/);
    expect(() => terminals.input(terminalId, 'ls\r')).toThrow(expect.objectContaining({ code: 'not-found' }));
    await connections.dispose();
  }, 30_000);
});
