import { describe, expect, it } from 'vitest';
import { LiveChart, type ChartColors } from './live-chart.ts';

const colors: ChartColors = { text: '#000', muted: '#444', grid: '#ccc', background: '#fff', marker: '#f80', series: ['#000', '#07b'] };

function chart(windowS = 60): LiveChart {
  // No canvas: the data side (window, trimming, markers) works without drawing.
  const live = new LiveChart(undefined, { unit: 'W', scale: 0.001, maxGapS: 1, capacity: 100_000, windowS, colors });
  live.define({ key: 'total', label: 'Total', color: 0, strong: true });
  return live;
}

/** `seconds` of samples at 10 Hz from epoch `t0`, at `watts`. */
function feed(live: LiveChart, t0: number, seconds: number, watts: number): void {
  for (let second = 0; second < seconds; second += 1) {
    const t = Array.from({ length: 10 }, (_, index) => t0 + second + index / 10);
    live.append(t, { total: t.map(() => watts * 1000) });
  }
}

describe('LiveChart', () => {
  it('slides its window with the newest sample and redraws once per frame however many batches came', async () => {
    const live = chart(10);
    feed(live, 1000, 30, 5);
    expect(live.range()).toEqual({ from: 1000 + 29.9 - 10, to: 1000 + 29.9 });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(live.draws).toBe(1); // 30 batches, one frame

    live.setWindow(20);
    live.flush();
    expect(live.range()?.from).toBeCloseTo(1000 + 9.9, 9);
    live.destroy();
  });

  it('keeps 30 minutes of history and trims the rest', () => {
    const live = chart(10);
    feed(live, 0, 40 * 60, 3);
    live.flush();
    const points = live.store.series.get('total') ?? [];
    expect(points[points.length - 1]?.x).toBeCloseTo(40 * 60 - 0.1, 6);
    // One point before the 30-minute edge is kept so the line enters from the edge.
    expect(points[1]?.x ?? 0).toBeGreaterThanOrEqual(10 * 60 - 0.1);
    expect(points[0]?.x ?? 0).toBeLessThan(10 * 60);
    expect(points.length).toBeLessThanOrEqual(30 * 60 * 10 + 2);
    live.destroy();
  });

  it('stops following while paused and scrolls back by the offset', () => {
    const live = chart(60);
    feed(live, 0, 100, 3);
    live.setPaused(true, 30);
    feed(live, 100, 20, 3); // data keeps coming while paused
    live.flush();
    expect(live.range()).toEqual({ from: 99.9 - 30 - 60, to: 99.9 - 30 });
    live.setPaused(false, 30);
    expect(live.range()?.to).toBeCloseTo(119.9, 9);
    live.destroy();
  });

  it('keeps the markers it is given and shows gaps as breaks', () => {
    const live = chart(60);
    feed(live, 0, 5, 3);
    feed(live, 10, 5, 3); // 5 s with no sample
    live.mark({ t: 12, label: 'inference' });
    expect(live.markers).toEqual([{ t: 12, label: 'inference' }]);
    expect(live.store.gaps).toBe(1);
    expect(live.store.series.get('total')?.filter((point) => point.y === null)).toHaveLength(1);
    live.destroy();
  });
});
