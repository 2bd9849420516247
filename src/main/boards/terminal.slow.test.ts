/**
 * The terminal through the core, to a simulated board, on ssh2's pure-JS
 * crypto: the path where the board's first prompt used to be lost. Its
 * cipher writes each packet in pieces, so Nagle holds the prompt back and
 * it reaches the workbench in one TCP segment with the channel's opening:
 * ssh2 emitted it before anyone listened. The native addon sends each
 * packet whole and hid the bug, so this file loads ssh2 without it.
 */
import { createRequire } from 'node:module';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../sim/fleet.ts';
import { openShell } from '../link/ssh-shell.ts';
import { Terminals } from './terminal.ts';

const require = createRequire(import.meta.url);
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = require('node:module') as { _resolveFilename: Resolve };
const resolveFilename = moduleInternals._resolveFilename;

let fleet: Fleet;
let client: Client;

beforeAll(async () => {
  // ssh2 loads its addon with a plain require and falls back to node:crypto when that throws.
  moduleInternals._resolveFilename = function (this: unknown, request, ...rest) {
    if (request.endsWith('sshcrypto.node')) throw new Error('ssh2 runs on its pure-JS crypto in this test');
    return resolveFilename.call(this, request, ...rest);
  };
  const { startFleet } = await import('../../sim/fleet.ts');
  const { connect } = await import('../../sim/testing.ts');
  fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.1', port: 0, tickMs: 200 });
  const board = fleet.boards[0];
  if (board === undefined) throw new Error('no board');
  client = await connect(board);
});

afterAll(async () => {
  moduleInternals._resolveFilename = resolveFilename;
  client?.end();
  await fleet?.dispose();
});

describe('Terminals on a simulated board', () => {
  it('runs on the pure-JS crypto (ssh2 was not loaded with its addon before this file)', () => {
    const crypto = require('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
    expect(crypto.bindingAvailable).toBe(false);
  });

  it('shows the first prompt without a keystroke', async () => {
    let firstOutput: (data: string) => void = () => undefined;
    const output = new Promise<string>((resolve) => (firstOutput = resolve));
    const terminals = new Terminals(() => ({ openShell: (options) => openShell(client, options) }), {
      output: (_terminalId, data) => firstOutput(data),
      exit: () => undefined,
    });
    try {
      await terminals.open('board-1', 100, 30);
      expect(await output).toMatch(/^jetson@orin-nano-\d+:~\$ $/);
    } finally {
      terminals.dispose();
    }
  }, 10_000);
});
