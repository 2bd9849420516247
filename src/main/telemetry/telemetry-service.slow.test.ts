/**
 * The telemetry path end to end over a real SSH link: a simulated Orin Nano
 * streams tegrastats at 250 ms through SshLink; a CPU-heavy python3 runs on
 * the board meanwhile; the service records with markers; the stored samples,
 * the energy summary and the CSV are checked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, TopicName } from '../../shared/api.ts';
import type { PowerBatch } from '../../shared/power/batch.ts';
import { startFleet, type Fleet } from '../../sim/fleet.ts';
import { connect, exec } from '../../sim/testing.ts';
import { BoardRegistry } from '../boards/board-registry.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';
import { openConfStore } from '../store/conf-store.ts';
import { ResultsDb } from '../store/results-db.ts';
import { Recordings } from '../store/recordings.ts';
import { TelemetryService } from './telemetry-service.ts';

let fleet: Fleet;
let folder: string;
let results: ResultsDb;
let store: Recordings;

beforeAll(async () => {
  fleet = await startFleet({ profile: 'orin-nano', count: 1, port: 0, tickMs: 100 });
  folder = mkdtempSync(join(tmpdir(), 'jwb-telemetry-slow-'));
  results = new ResultsDb(join(folder, 'results.sqlite'));
  store = new Recordings(results);
});

afterAll(async () => {
  results?.close();
  await fleet?.dispose();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** Collects the service's events and lets a test await one that satisfies a condition. */
function eventLog() {
  const batches: PowerBatch[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  return {
    batches,
    emit<T extends TopicName>(topic: T, payload: EventPayload<T>): void {
      if (topic === 'telemetry.onDidSample') batches.push(payload as PowerBatch);
      for (const waiter of waiters.splice(0)) {
        if (waiter.test()) waiter.resolve();
        else waiters.push(waiter);
      }
    },
    until(test: () => boolean): Promise<void> {
      return test() ? Promise.resolve() : new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

/** The service over a board registry of the test's data folder: only known host keys are trusted, as in the app. */
function telemetryWith(events: ReturnType<typeof eventLog>): { boards: BoardRegistry; service: TelemetryService } {
  const boards = new BoardRegistry({
    store: openConfStore(folder),
    dataDir: folder,
    simulated: { list: () => [] },
    trust: { kind: 'known-only' },
  });
  const service = new TelemetryService({
    boards,
    agentRoot: checkoutResources.agentDir,
    store,
    exportDir: join(folder, 'exports'),
    emit: (topic, payload) => events.emit(topic, payload),
    flushMs: 100,
  });
  return { boards, service };
}

describe('TelemetryService over a real SSH link', () => {
  it('streams tegrastats, sees input power rise under a CPU load, records with markers, exports CSV', async () => {
    const board = fleet.boards[0]!;
    const knownHosts = new KnownHosts(join(folder, 'known-hosts.json'));
    await knownHosts.trustNewKey(board.host, board.port, board.fingerprint);
    const events = eventLog();
    const { boards, service } = telemetryWith(events);
    const inputs = (): number[] => events.batches.flatMap((batch) => batch.inputMw.filter((value): value is number => value !== null));
    try {
      const state = await service.start(
        { kind: 'address', host: board.host, port: board.port, user: board.user, password: board.password },
        'tegrastats',
        250,
      );
      expect(state).toMatchObject({ state: 'running', source: 'tegrastats', intervalMs: 250 });
      await events.until(() => inputs().length >= 3);
      const idleMw = Math.max(...inputs());
      expect(service.list()[0]).toMatchObject({ inputRail: 'VDD_IN', unparsed: 0 });
      expect(service.list()[0]?.rails).toContain('VDD_IN');

      const key = state.board;
      const { id } = service.startRecording(key, 'cpu burn');
      service.mark(key, 'idle');
      const client = await connect(board);
      const burn = exec(
        client,
        `python3 -c 'import multiprocessing as m, time${'\n'}def spin(_):${'\n'}    end = time.time() + 3${'\n'}    while time.time() < end: pass${'\n'}m.Pool(6).map(spin, range(6))'`,
      );
      // The input rail climbs with the load (the model ramps over ~1 s; on a busy 2-core host by ~0.7 W).
      const seenBefore = inputs().length;
      await events.until(() =>
        inputs()
          .slice(seenBefore)
          .some((mw) => mw > idleMw + 400),
      );
      service.mark(key, 'loaded');
      await burn;
      client.end();
      const info = service.stopRecording(key);
      await service.stop(key);

      expect(info.samples).toBeGreaterThanOrEqual(6);
      expect(info.energy?.input?.joules).toBeGreaterThan(0);
      expect(info.energy?.input?.peakW).toBeGreaterThan((idleMw + 400) / 1000);
      expect(info.energy?.gaps).toEqual([]);
      const stored = store.get(id);
      expect(stored?.columns.t).toHaveLength(info.samples);
      expect(stored?.markers.map((marker) => marker.label)).toEqual(['idle', 'loaded']);
      expect(stored?.run.params).toMatchObject({ source: 'tegrastats', intervalMs: 250 });
      // Steps between samples close to the 250 ms interval (the stream is stamped on arrival).
      const times = stored!.columns.t;
      const steps = times.slice(1).map((t, index) => t - (times[index] as number));
      expect(Math.max(...steps)).toBeLessThan(1);

      const { csv, path } = service.exportCsv(id);
      expect(readFileSync(path, 'utf8')).toBe(csv);
      const rows = csv.trimEnd().split('\n');
      expect(rows).toHaveLength(info.samples + 1);
      expect(rows[0]).toContain('VDD_IN_mw');
      expect(csv).toContain('idle');
      expect(csv).toContain('loaded');
      expect(service.recordings().map((recording) => recording.id)).toContain(id);
    } finally {
      await service.dispose();
      await boards.dispose();
    }
  }, 30_000);

  it('picks the board’s sensors through the agent by default, at 100 Hz, and says so', async () => {
    const board = fleet.boards[0]!;
    const events = eventLog();
    const { boards, service } = telemetryWith(events);
    try {
      const state = await service.start(
        { kind: 'address', host: board.host, port: board.port, user: board.user, password: board.password },
        'auto',
        undefined,
      );
      expect(state).toMatchObject({ source: 'agent', powerSource: 'hwmon', intervalMs: 10 });
      await events.until(() => events.batches.reduce((count, batch) => count + batch.t.length, 0) >= 50);
      const inputs = events.batches.flatMap((batch) => batch.inputMw).filter((value): value is number => value !== null);
      expect(inputs.length).toBeGreaterThanOrEqual(50);
      expect(service.list()[0]).toMatchObject({ inputRail: 'VDD_IN', unparsed: 0 });
    } finally {
      await service.dispose();
      await boards.dispose();
    }
  }, 30_000);
});
