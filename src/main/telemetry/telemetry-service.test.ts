/**
 * The TelemetryService over a scripted board (test/support/fake-board-link.ts):
 * what issue 16 found a board can send, and a board that reboots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EventPayload, TopicName } from '../../shared/api.ts';
import type { PowerBatch } from '../../shared/power/batch.ts';
import { RecordingInfo } from '../../shared/telemetry/contract.ts';
import { answer, FakeBoardLink, streamUntilStopped } from '../../../test/support/fake-board-link.ts';
import type { BoardLease } from '../boards/board-registry.ts';
import { Recordings } from '../store/recordings.ts';
import { ResultsDb } from '../store/results-db.ts';
import { TelemetryService } from './telemetry-service.ts';

const line = (mw: string | number, extra = '') =>
  `RAM 2020/7852MB (lfb 1164x4MB) CPU [9%@345,off] EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 VDD_IN ${mw}mW/${mw}mW VDD_SOC 400mW/400mW${extra} cpu@45C\n`;
const absurd = `1${'0'.repeat(308)}`;

let folder: string;
let results: ResultsDb;
let store: Recordings;
let now: number;
let batches: PowerBatch[];
let service: TelemetryService;
/** The board starts printing once the test says so (after it started recording). */
let startPrinting: () => void;
let printing: Promise<void>;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jwb-telemetry-unit-'));
  results = new ResultsDb(join(folder, 'results.sqlite'));
  store = new Recordings(results);
  now = 1_700_000_000;
  batches = [];
  printing = new Promise((resolve) => (startPrinting = resolve));
});

afterEach(async () => {
  await service?.dispose();
  results.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The service on one scripted board; `tegrastats` prints what `stream` writes (once per start of the source). */
function serviceOn(stream: (write: (chunk: string) => Promise<void>) => Promise<void>): FakeBoardLink {
  const link = new FakeBoardLink((argv, options) => {
    if (argv[0] !== 'tegrastats') return answer('', 1); // nvpmodel: none here
    return streamUntilStopped(options, async (write) => {
      await printing;
      await stream(write);
    });
  });
  const lease: BoardLease = {
    key: 'fake',
    label: 'Fake board',
    simulated: true,
    link,
    sudoPassword: undefined,
    facts: () => Promise.reject(new Error('not identified')),
    release: async () => undefined,
  };
  service = new TelemetryService({
    boards: { open: async () => lease },
    agentRoot: folder,
    store,
    exportDir: join(folder, 'exports'),
    emit<T extends TopicName>(topic: T, payload: EventPayload<T>) {
      if (topic === 'telemetry.onDidSample') batches.push(payload as PowerBatch);
    },
    flushMs: 10,
    clock: () => now,
  });
  return link;
}

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const samplesSeen = () => batches.reduce((count, batch) => count + batch.t.length, 0);

describe('TelemetryService', () => {
  it('records through absurd readings with a finite energy, and lists every recording, old broken rows too (issue 16, item 2)', async () => {
    store.begin({ id: 'old', board: 'fake', title: 'old', status: 'running', startedAt: 1, finishedAt: null, params: {}, metrics: {} });
    const rail = { joules: null, averageW: null, peakW: 5 };
    store.finish('old', [], {
      status: 'done',
      finishedAt: 2,
      metrics: { samples: 9, energy: { fromT: 0, toT: 4, input: rail, rails: { VDD_IN: rail }, coveredS: 4, gaps: [], gapS: 0 } },
    });
    serviceOn(async (write) => {
      for (let index = 0; index < 12; index += 1) {
        await write(line(index % 3 === 1 ? absurd : 5000));
        now += 0.5;
      }
    });
    await service.start({ kind: 'address', host: '127.0.0.1', port: 22, user: 'u' }, 'tegrastats', 500);
    const { id } = service.startRecording('fake');
    startPrinting();
    await until(() => samplesSeen() >= 12);
    const info = RecordingInfo.parse(service.stopRecording('fake'));
    expect(info.samples).toBe(12);
    expect(info.energy?.input?.joules).toBeGreaterThan(0);
    const listed = z.array(RecordingInfo).parse(service.recordings());
    expect(listed.map((recording) => recording.id)).toEqual([id, 'old']);
    expect(listed[1]).toMatchObject({ samples: 9, energy: { input: null, rails: {}, coveredS: 4 } });
  });

  it('keeps 32 rails of a board that invents a new one per line, and counts the others as unparsed (issue 16, item 3)', async () => {
    serviceOn(async (write) => {
      for (let index = 0; index < 500; index += 1) await write(line(5000, ` FAKE_${index} 10mW/10mW`));
    });
    await service.start({ kind: 'address', host: '127.0.0.1', port: 22, user: 'u' }, 'tegrastats', 500);
    startPrinting();
    await until(() => samplesSeen() >= 500);
    const rails = new Set(batches.flatMap((batch) => Object.keys(batch.rails)));
    expect(rails.size).toBe(32);
    expect(service.list()[0]?.unparsed).toBe(500 - 30);
    expect(service.list()[0]?.recentUnparsed.at(-1)).toContain('FAKE_499');
  });

  it('starts its source again when the link is back after a reboot: the outage is a gap of the recording (issue 16, item 5)', async () => {
    const link = serviceOn(async (write) => {
      for (let index = 0; index < 5; index += 1) {
        await write(line(5000));
        now += 0.5;
      }
    });
    await service.start({ kind: 'address', host: '127.0.0.1', port: 22, user: 'u' }, 'tegrastats', 500);
    service.startRecording('fake');
    startPrinting();
    await until(() => samplesSeen() >= 5);
    link.drop();
    await until(() => service.list()[0]?.state === 'starting');
    expect(service.list()[0]?.error).toMatch(/when the board is back/);
    now += 60; // the board takes a minute to boot
    link.reconnect();
    expect(service.list()[0]).toMatchObject({ state: 'running', error: null });
    await until(() => samplesSeen() >= 10);
    const info = service.stopRecording('fake');
    expect(info.samples).toBe(10);
    expect(info.energy?.gaps).toHaveLength(1);
    expect(service.list()[0]?.gaps).toBe(1);
    expect(link.commands.filter((argv) => argv[0] === 'tegrastats')).toHaveLength(2);

    link.drop();
    await until(() => service.list()[0]?.state === 'starting');
    await link.close();
    expect(service.list()[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/closed for good/) as unknown as string });
  });
});
