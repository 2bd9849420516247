/**
 * The board registry against a small simulated lab on loopback: many boards
 * identified at once take turns (a bounded number at a time), and a board
 * that timed out once is tried again rather than reported lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardLink } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { identify } from '../identify/identify.ts';
import { openConfStore } from '../store/conf-store.ts';
import { BoardRegistry } from './board-registry.ts';

let fleet: Fleet;
let folder: string;

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 12, host: '127.0.0.110', port: 0 });
  folder = mkdtempSync(join(tmpdir(), 'jwb-registry-'));
}, 60_000);

afterAll(async () => {
  await fleet?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('BoardRegistry.identify', () => {
  it('identifies a dozen boards at once, at most eight scripts at a time, retrying the one that timed out', async () => {
    let running = 0;
    let peak = 0;
    const timedOut = new Set<BoardLink>();
    let first = true;
    const registry = new BoardRegistry({
      store: openConfStore(folder),
      dataDir: folder,
      simulated: { list: () => [] },
      trust: { kind: 'on-first-use', onNewHost: () => undefined },
      identify: async (link) => {
        running += 1;
        peak = Math.max(peak, running);
        try {
          if (first) {
            first = false;
            timedOut.add(link);
            throw new WorkbenchFailure('timeout', 'The board did not finish identifying within 45 s.');
          }
          return await identify(link);
        } finally {
          running -= 1;
        }
      },
    });
    try {
      const found = await Promise.all(
        fleet.boards.map((board) =>
          registry.identify({ kind: 'address', host: board.host, port: board.port, user: board.user, password: board.password }),
        ),
      );
      expect(found.map((board) => board.facts.jetpack)).toEqual(fleet.boards.map(() => '6.2.1'));
      expect(found.every((board) => board.facts.simulated)).toBe(true);
      expect(timedOut.size).toBe(1);
      expect(peak).toBeLessThanOrEqual(8);
      expect(peak).toBeGreaterThan(1);
    } finally {
      await registry.dispose();
    }
  }, 60_000);
});
