/**
 * Issue 16: a board (broken, or someone's experiment) whose telemetry stream
 * is hostile: megabyte lines, megabytes without a newline, rail names
 * invented by the thousand, NaN, `1e308`, invalid UTF-8. Through the
 * TelemetryService, on tegrastats and on the agent's sampler, the service
 * keeps answering, memory stays bounded, the energy finite and every
 * recording listable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { BoardRef } from '../../shared/boards/board-ref.ts';
import type { ExecOptions } from '../../shared/board-link.ts';
import { maxNamedSeries } from '../../shared/power/plausible.ts';
import { RecordingInfo } from '../../shared/telemetry/contract.ts';
import { answer, FakeBoardLink, streamUntilStopped } from '../../../test/support/fake-board-link.ts';
import { agentTree } from '../agent/agent-push.ts';
import type { BoardLease } from '../boards/board-registry.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';
import { Recordings } from '../store/recordings.ts';
import { ResultsDb } from '../store/results-db.ts';
import { TelemetryService } from './telemetry-service.ts';

const absurd = `1${'0'.repeat(308)}`;
/** What an SSH channel makes of bytes that are not UTF-8: replacement characters (and a lone surrogate for good measure). */
const invalidUtf8 = `${new TextDecoder().decode(Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]))}\ud800`;

const tegrastatsLine = (mw: string | number, extra = '') =>
  `RAM 2020/7852MB (lfb 1164x4MB) CPU [9%@345,off] EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 VDD_IN ${mw}mW/${mw}mW VDD_SOC 400mW/400mW${extra} cpu@45C\n`;

let agentT = 1000;
function agentLine(rails: Record<string, unknown>, total: unknown = 5000): string {
  agentT += 0.1;
  return `{"type":"sample","seq":0,"t":[${agentT}],"total_mw":[${String(total)}],"rails":${JSON.stringify(rails).replace(/"(NaN|1e308)"/g, '$1')}}\n`;
}

/** About 12 MB of what a hostile board prints, in SSH-sized chunks, with good lines between. */
async function hostile(
  write: (chunk: string) => Promise<void>,
  good: () => string,
  invented: (round: number) => string,
  absurdLine: string,
): Promise<void> {
  const block = 'x'.repeat(64 * 1024);
  for (let round = 0; round < 4; round += 1) {
    await write(good());
    await write(`${'A'.repeat(1024 * 1024)}\n`); // a 1 MB line
    for (let sent = 0; sent < 2 * 1024 * 1024; sent += block.length) await write(block); // 2 MB without a newline
    await write(`\n${good()}`);
    for (let line = 0; line < 100; line += 1) await write(invented(round * 100 + line));
    await write(absurdLine);
    await write(`${invalidUtf8}${good()}${invalidUtf8}\n`);
    await write(good());
  }
}

function hostileBoard(kind: 'tegrastats' | 'agent', done: () => void): FakeBoardLink {
  const stream = (options: ExecOptions) =>
    streamUntilStopped(options, async (write) => {
      if (kind === 'tegrastats')
        await hostile(
          write,
          () => tegrastatsLine(5000),
          (index) => tegrastatsLine(5000, Array.from({ length: 30 }, (_, rail) => ` FAKE_${index}_${rail} 10mW/10mW`).join('')),
          `${tegrastatsLine(absurd)}${tegrastatsLine('NaN')}`,
        );
      else
        await hostile(
          write,
          () => agentLine({ VDD_IN: [5000] }),
          (index) => agentLine(Object.fromEntries(Array.from({ length: 32 }, (_, rail) => [`FAKE_${index}_${rail}`, [10]]))),
          `${agentLine({ VDD_IN: ['1e308'] }, '1e308')}${agentLine({ VDD_IN: ['NaN'] }, 'NaN')}${agentLine({ VDD_IN: [absurd] }, absurd)}`,
        );
      done();
    });
  return new FakeBoardLink(async (argv, options) => {
    const command = argv.join(' ');
    if (argv[0] === 'tegrastats' || command.includes('jwb_agent power')) return stream(options);
    if (argv[0] === 'cat') return answer(`${(await agentTree(checkoutResources.agentDir)).hash}\n`); // the agent is already there
    if (command.includes('jwb_agent probe'))
      return answer(`${JSON.stringify({ type: 'probe', power_sources: [{ name: 'hwmon', available: true, rails: ['VDD_IN'] }] })}\n`);
    return answer('', 1);
  });
}

let folder: string;
let results: ResultsDb;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'jwb-hostile-'));
  results = new ResultsDb(join(folder, 'results.sqlite'));
});

afterAll(() => {
  results?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

it('stays responsive with bounded memory, finite energy and listable recordings', { timeout: 120_000 }, async () => {
  const store = new Recordings(results);
  const finished: Promise<void>[] = [];
  const links = new Map<string, FakeBoardLink>();
  for (const kind of ['tegrastats', 'agent'] as const) {
    let done = (): void => undefined;
    finished.push(new Promise((resolve) => (done = resolve)));
    links.set(
      kind,
      hostileBoard(kind, () => done()),
    );
  }
  const lease = (kind: string): BoardLease => ({
    key: kind,
    label: `hostile ${kind}`,
    simulated: false,
    link: links.get(kind)!,
    sudoPassword: undefined,
    facts: () => Promise.reject(new Error('not identified')),
    release: async () => undefined,
  });
  const service = new TelemetryService({
    boards: { open: async (ref: BoardRef) => lease(ref.kind === 'address' ? ref.host : '') },
    agentRoot: checkoutResources.agentDir,
    store,
    exportDir: join(folder, 'exports'),
    emit: () => undefined,
  });
  const heapBefore = process.memoryUsage().heapUsed;
  // The service answers all along: the longest wait between two answers of `telemetry.list`.
  let longestWaitMs = 0;
  let last = performance.now();
  const watch = setInterval(() => {
    service.list();
    longestWaitMs = Math.max(longestWaitMs, performance.now() - last);
    last = performance.now();
  }, 20);
  try {
    for (const kind of ['tegrastats', 'agent'] as const) {
      await service.start({ kind: 'address', host: kind, port: 22, user: 'u' }, kind, 100);
      service.startRecording(kind);
    }
    await Promise.all(finished);
    clearInterval(watch);
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    const states = service.list();
    expect(states.map((state) => state.state)).toEqual(['running', 'running']);
    for (const state of states) expect(state.unparsed).toBeGreaterThan(0);
    const infos = ['tegrastats', 'agent'].map((kind) => RecordingInfo.parse(service.stopRecording(kind)));
    for (const info of infos) {
      expect(info.samples).toBeGreaterThan(10);
      expect(Number.isFinite(info.energy?.input?.joules)).toBe(true);
      const stored = store.get(info.id)!;
      expect(Object.keys(stored.columns.rails).length).toBeLessThanOrEqual(maxNamedSeries);
    }
    expect(z.array(RecordingInfo).parse(service.recordings())).toHaveLength(2);
    expect(longestWaitMs).toBeLessThan(2000); // a 2-core machine under other tests' load: a generous bound
    expect(heapGrowthMb).toBeLessThan(50);
  } finally {
    clearInterval(watch);
    await service.dispose();
  }
});
