/**
 * Issue 16, item 5: `kill -9` of the serve shell in the middle of a
 * recording and of a benchmark run. Before, the recording stayed `running`
 * with 0 samples forever and the run left no row at all. Now both are written
 * as they go: after a restart on the same data folder they are listed,
 * marked interrupted, with their samples up to a few seconds before the kill.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WorkbenchBridge } from '../../src/shared/api.ts';
import { createRemoteBridge, type ServerMessage } from '../../src/shared/wire.ts';
import { BenchRuns } from '../../src/main/store/bench-runs.ts';
import { ResultsDb } from '../../src/main/store/results-db.ts';
import { nextEvent } from '../support/next-event.ts';
import { jwbEntry } from '../support/run-jwb.ts';
import { value } from '../support/test-workbench.ts';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
/** What the issue allows to be lost, with nothing for a busy machine's lateness: the rule writes every 2 s. */
const atRiskMs = 5000;

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

interface Shell {
  child: ChildProcess;
  bridge: WorkbenchBridge;
  close(): void;
}

/** `jwb serve --json` on `dataDir`, and a client on its WebSocket with the printed token. */
async function startShell(dataDir: string): Promise<Shell> {
  const child = spawn(process.execPath, [jwbEntry, 'serve', '--json', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await new Promise<string | undefined>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => (resolve(line), lines.close()));
    lines.once('close', () => resolve(undefined));
  });
  if (first === undefined) throw new Error(`jwb serve ended before printing its address: ${stderr}`);
  const { url, port } = JSON.parse(first) as { url: string; port: number };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${new URL(url).searchParams.get('token') ?? ''}`, {
    origin: `http://127.0.0.1:${port}`,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const bridge = createRemoteBridge({
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage: (listener) => ws.on('message', (data) => listener(JSON.parse(data.toString()) as ServerMessage)),
    onClose: (listener) => ws.on('close', () => listener('closed')),
  });
  const close = (): void => {
    ws.terminate();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  cleanup.push(close);
  return { child, bridge, close };
}

/** The time in "interrupted at <ISO time>". */
function interruptedAt(reason: string | null | undefined): number {
  const match = /^interrupted at (\S+)$/.exec(reason ?? '');
  if (match === null) throw new Error(`not an interruption: ${reason}`);
  return Date.parse(match[1]!);
}

it.skipIf(!hasNumpy)(
  'keeps a killed shell’s recording and benchmark run, marked interrupted, up to seconds before the kill',
  { timeout: 120_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jwb-kill-9-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startShell(dataDir);
    const demo = value(await first.bridge.call['demo.add']({ profile: 'orin-nano' }));
    const board = { kind: 'simulated', id: demo.id } as const;
    const live = value(await first.bridge.call['telemetry.start']({ board, source: 'tegrastats', intervalMs: 250 }));
    const recording = value(await first.bridge.call['telemetry.record.start']({ board: live.board }));
    let benchSamples = 0;
    first.bridge.on('bench.onDidPower', (batch) => (benchSamples += batch.t.length));
    const { planId } = value(
      await first.bridge.call['bench.start']({
        plan: { boards: [board], frameworks: ['numpy'], suites: ['gemm'], batchSizes: [], powerModes: [], repeats: 1, seconds: 20 },
      }),
    );
    // A few seconds into the run's power stream (the sampler at 100 Hz): then the shell is killed.
    await nextEvent(first.bridge, 'bench.onDidPower', () => benchSamples >= 400);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    first.close();

    const second = await startShell(dataDir);
    const recordings = value(await second.bridge.call['telemetry.recordings']({}));
    const stored = recordings.find((candidate) => candidate.id === recording.id);
    expect(stored).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^interrupted at /) as unknown as string });
    expect(stored!.samples).toBeGreaterThan(0);
    const recordingLostMs = killedAt - interruptedAt(stored!.reason);
    const runs = value(await second.bridge.call['bench.runs']({ planId }));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'failed',
      metrics: { reason: expect.stringMatching(/^interrupted at /) as unknown as string },
    });
    const runLostMs = killedAt - interruptedAt(runs[0]!.metrics.reason);
    second.close();

    const results = new ResultsDb(join(dataDir, 'results.sqlite'));
    cleanup.push(() => results.close());
    expect(new BenchRuns(results).samples(runs[0]!.id).t.length).toBeGreaterThan(100);
    process.stdout.write(`kill -9: ${recordingLostMs} ms of the recording lost, ${runLostMs} ms of the run\n`);
    for (const lostMs of [recordingLostMs, runLostMs]) {
      expect(lostMs).toBeGreaterThanOrEqual(0);
      expect(lostMs).toBeLessThanOrEqual(atRiskMs);
    }
  },
);
