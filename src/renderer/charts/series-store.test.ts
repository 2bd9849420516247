import { describe, expect, it } from 'vitest';
import { SeriesStore } from './series-store.ts';

describe('SeriesStore', () => {
  it('keeps x relative to the first sample, scaled values, and null for a missing reading', () => {
    const store = new SeriesStore(1, 1000);
    store.append([1000, 1000.5], { total: [5000, null], cpu: [10, 20] }, 0.001);
    expect(store.origin).toBe(1000);
    expect(store.series.get('total')).toEqual([
      { x: 0, y: 5 },
      { x: 0.5, y: null },
    ]);
    expect(store.series.get('cpu')).toEqual([
      { x: 0, y: 0.01 },
      { x: 0.5, y: 0.02 },
    ]);
  });

  it('breaks the line at a gap instead of bridging it, and counts it', () => {
    const store = new SeriesStore(1, 1000);
    store.append([10, 10.5], { total: [1, 2] });
    const gaps = store.append([14, 14.5], { total: [3, 4] });
    expect(gaps).toBe(1);
    expect(store.gaps).toBe(1);
    expect(store.series.get('total')).toEqual([
      { x: 0, y: 1 },
      { x: 0.5, y: 2 },
      { x: 2.25, y: null },
      { x: 4, y: 3 },
      { x: 4.5, y: 4 },
    ]);
  });

  it('drops repeated or older samples so x stays sorted', () => {
    const store = new SeriesStore(1, 1000);
    store.append([5, 6], { total: [1, 2] });
    store.append([6, 5.5, 7], { total: [9, 9, 3] });
    expect(store.series.get('total')?.map((point) => point.x)).toEqual([0, 1, 2]);
  });

  it('trims old points in place, keeping one before the window edge', () => {
    const store = new SeriesStore(1, 1000);
    store.append(
      Array.from({ length: 100 }, (_, index) => index * 0.5),
      { total: Array.from({ length: 100 }, (_, index) => index) },
    );
    const points = store.series.get('total');
    store.trim(40);
    expect(store.series.get('total')).toBe(points); // the same array: Chart.js holds it
    expect(points?.[0]).toEqual({ x: 39.5, y: 79 });
    expect(points).toHaveLength(21); // 39.5, 40, …, 49.5
  });

  it('never holds more than its capacity per series', () => {
    const store = new SeriesStore(1, 50);
    for (let batch = 0; batch < 10; batch += 1) {
      const t = Array.from({ length: 10 }, (_, index) => batch + index * 0.1);
      store.append(t, { total: t.map(() => 1) });
    }
    expect(store.series.get('total')).toHaveLength(50);
    expect(store.latest('total')).toBe(1);
  });
});
