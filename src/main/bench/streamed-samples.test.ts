import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { addAgentLine, emptyAgentRun } from '../../shared/bench/agent-output.ts';
import type { RailSamples } from '../../shared/results.ts';
import { StreamedSamples } from './streamed-samples.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const startedAtMs = 1_700_000_000_000;

function sampleLine(from: number, count: number): string {
  const t = Array.from({ length: count }, (_, index) => 100 + (from + index) * 0.01);
  return JSON.stringify({ type: 'sample', seq: from, t, total_mw: t.map(() => 5000), rails: { VDD_IN: t.map(() => 5000) } });
}

it('writes a running benchmark’s samples by time and by count, in seconds since the run started (issue 16, item 5)', () => {
  const writes: { firstSeq: number; samples: RailSamples }[] = [];
  const streamed = new StreamedSamples(
    { appendSamples: (_id, firstSeq, samples) => writes.push({ firstSeq, samples }) },
    'run',
    startedAtMs,
  );
  const agent = emptyAgentRun();
  // The agent's monotonic 100 s is 3 s after the run's row was written.
  addAgentLine(
    agent,
    JSON.stringify({
      type: 'power',
      event: 'start',
      source: 'hwmon',
      rails: ['VDD_IN'],
      anchor_monotonic: 100,
      anchor_wall: startedAtMs / 1000 + 3,
    }),
  );
  addAgentLine(agent, sampleLine(0, 10));
  streamed.take(agent);
  expect(writes).toEqual([]);
  vi.advanceTimersByTime(2000);
  expect(writes).toHaveLength(1);
  expect(writes[0]?.firstSeq).toBe(0);
  expect(writes[0]?.samples.t[0]).toBeCloseTo(3, 9);
  expect(writes[0]?.samples.rails.VDD_IN).toHaveLength(10);
  addAgentLine(agent, sampleLine(10, 600));
  streamed.take(agent);
  expect(writes.map((write) => [write.firstSeq, write.samples.t.length])).toEqual([
    [0, 10],
    [10, 600],
  ]);
  vi.advanceTimersByTime(10_000);
  expect(writes).toHaveLength(2);
  streamed.close();
});
