import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('ProgressMeter', () => {
  it('emits at most four times a second, the first at once', () => {
    const time = clock();
    const meter = new ProgressMeter(time.now);
    let emitted = 0;
    for (let step = 0; step < 100; step += 1) {
      if (meter.update(step * 1000, 100_000) !== null) emitted += 1;
      time.advance(10);
    }
    // 1 s of updates every 10 ms: the first, then one each 250 ms.
    expect(emitted).toBe(4);
  });

  it('gives the speed over the last two seconds and the time left', () => {
    const time = clock();
    const meter = new ProgressMeter(time.now);
    // 10 MB/s for 3 s, then 20 MB/s for 2 s: the window sees only the faster part.
    let bytes = 0;
    for (let step = 0; step < 30; step += 1) {
      meter.update(bytes, 200e6);
      time.advance(100);
      bytes += 1e6;
    }
    for (let step = 0; step < 20; step += 1) {
      meter.update(bytes, 200e6);
      time.advance(100);
      bytes += 2e6;
    }
    const reading = meter.read(bytes, 200e6);
    expect(reading.speed).toBeCloseTo(20e6, -5);
    expect(reading.eta).toBeCloseTo((200e6 - bytes) / reading.speed, 6);
  });

  it('has no time left without a total', () => {
    const time = clock();
    const meter = new ProgressMeter(time.now);
    meter.update(0, null);
    time.advance(500);
    expect(meter.read(5e6, null)).toEqual({ bytes: 5e6, totalBytes: null, speed: 10e6, eta: null });
  });
});
