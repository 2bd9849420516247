import { describe, expect, it } from 'vitest';
import type { BenchPowerBatch } from '../../shared/bench/contract.ts';
import type { PowerBatch } from '../../shared/power/batch.ts';
import { BenchPowerFeed } from './bench-power.svelte.ts';

function batch(t: number[], totalMw: number[], extra: Partial<BenchPowerBatch> = {}): BenchPowerBatch {
  const none = t.map(() => null);
  return {
    planId: 'p',
    board: 'b',
    runId: 'r',
    label: 'Jetson Orin Nano',
    condition: 'mnist-train · numpy',
    seq0: 0,
    t,
    inputRail: 'VDD_IN',
    inputMw: totalMw,
    railSumMw: totalMw.map((value) => value * 1.2),
    rails: { VDD_IN: totalMw, VDD_SOC: totalMw.map((value) => value / 5) },
    cpuLoad: none,
    gpuLoad: none,
    gpuMhz: none,
    emcLoad: none,
    ramUsedMb: none,
    temps: {},
    markers: [],
    ...extra,
  };
}

describe('BenchPowerFeed', () => {
  it('hands a chart the batches as they come, and replays them to a chart that mounts late', () => {
    const feed = new BenchPowerFeed('b', (label) => `«${label}»`);
    feed.receive(batch([10, 10.05, 10.1], [5000, 5200, 5400], { markers: [{ t: 10.05, label: 'begin' }] }));
    expect(feed.state).toEqual({ label: 'Jetson Orin Nano', inputRail: 'VDD_IN', intervalMs: expect.closeTo(50, 6) });
    expect(feed.hasInputRail).toBe(true);
    expect(feed.latestW).toBeCloseTo(5.4, 9);

    const seen: PowerBatch[] = [];
    const stop = feed.onBatch((sample) => seen.push(sample));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      seq0: 0,
      t: [10, 10.05, 10.1],
      inputMw: [5000, 5200, 5400],
      markers: [{ t: 10.05, label: '«begin»' }],
    });

    feed.receive(batch([10.15], [6000], { condition: 'gemm · numpy' }));
    expect(seen[1]).toMatchObject({ seq0: 3, t: [10.15] });
    expect(feed.condition).toBe('gemm · numpy');
    expect(feed.spanS).toBeCloseTo(0.15, 9);
    stop();
    feed.receive(batch([10.2], [6000]));
    expect(seen).toHaveLength(2);
  });

  it('draws the sum of the rails when the board has no input rail', () => {
    const feed = new BenchPowerFeed('b');
    const seen: PowerBatch[] = [];
    feed.onBatch((sample) => seen.push(sample));
    feed.receive(batch([1, 2], [100, 200], { inputRail: null, inputMw: [null, null], railSumMw: [100, 200], rails: { GPU: [100, 200] } }));
    expect(feed.hasInputRail).toBe(false);
    expect(seen[0]).toMatchObject({ inputMw: [null, null], railSumMw: [100, 200] });
  });
});
