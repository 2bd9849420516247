import { describe, expect, it } from 'vitest';
import type { BoardLoad, BoardSnapshot, SimProfile } from './model.ts';
import { distributeLoad, PowerModel } from './power-model.ts';
import { getProfile, listProfiles } from './profiles.ts';

/** Input power as jtop totals it: the `total` rail, else the sum. */
function inputMw(profile: SimProfile, snapshot: BoardSnapshot): number {
  const index = profile.rails.findIndex((rail) => rail.total === true);
  return index >= 0 ? (snapshot.rails[index]?.mw ?? 0) : snapshot.rails.reduce((sum, rail) => sum + rail.mw, 0);
}

/** Runs a load for `seconds` at 10 Hz and returns the last snapshot. */
function settle(model: PowerModel, load: BoardLoad, start: number, seconds: number): BoardSnapshot {
  let snapshot = model.snapshot(load, start);
  for (let time = start + 100; time <= start + seconds * 1000; time += 100) snapshot = model.snapshot(load, time);
  return snapshot;
}

const allCores = (profile: SimProfile): number[] => Array.from({ length: profile.cpu.cores }, () => 1);

describe('PowerModel', () => {
  for (const profile of listProfiles()) {
    it(`${profile.id}: load raises input power visibly and stays under the mode budget`, () => {
      const model = new PowerModel(profile, { seed: 3 });
      const idle = inputMw(profile, settle(model, { cpu: [], gpu: 0 }, 0, 2));
      const busy = profile.kind === 'desktop-gpu' ? { cpu: [], gpu: 1 } : { cpu: allCores(profile), gpu: 0 };
      const loaded = inputMw(profile, settle(model, busy, 2000, 3));
      expect(loaded).toBeGreaterThan(idle * 1.5);
      const full = inputMw(profile, settle(model, { cpu: allCores(profile), gpu: 1 }, 5000, 3));
      const budgetW = model.mode?.budgetW;
      if (budgetW) expect(full).toBeLessThanOrEqual(budgetW * 1000 * 1.03);
    });
  }

  it('matches the public Nano figures: idle 1.2-2 W at POM_5V_IN, several W under CPU load', () => {
    const profile = getProfile('nano');
    const model = new PowerModel(profile, { seed: 1 });
    const idle = settle(model, { cpu: [], gpu: 0 }, 0, 2).rails[0]!.mw;
    expect(idle).toBeGreaterThan(1200);
    expect(idle).toBeLessThan(2000);
    expect(settle(model, { cpu: [1, 1, 1, 1], gpu: 0 }, 2000, 3).rails[0]!.mw).toBeGreaterThan(4000);
    const orin = getProfile('agx-orin');
    const orinModel = new PowerModel(orin, { seed: 1 });
    orinModel.setMode(0);
    expect(inputMw(orin, settle(orinModel, { cpu: allCores(orin), gpu: 1 }, 0, 3))).toBeGreaterThan(40000);
  });

  it('ramps over about a second instead of jumping', () => {
    const profile = getProfile('nano');
    const model = new PowerModel(profile, { seed: 1 });
    const idle = settle(model, { cpu: [], gpu: 0 }, 0, 2).rails[0]!.mw;
    const after200ms = (model.snapshot({ cpu: [1, 1, 1, 1], gpu: 0 }, 2100), model.snapshot({ cpu: [1, 1, 1, 1], gpu: 0 }, 2200)).rails[0]!
      .mw;
    const settled = settle(model, { cpu: [1, 1, 1, 1], gpu: 0 }, 2300, 2).rails[0]!.mw;
    expect(after200ms).toBeGreaterThan(idle);
    expect(after200ms).toBeLessThan(idle + (settled - idle) * 0.7);
  });

  it('keeps a running average below the instant value while power rises', () => {
    const model = new PowerModel(getProfile('nano'), { seed: 1 });
    settle(model, { cpu: [], gpu: 0 }, 0, 2);
    const rail = settle(model, { cpu: [1, 1, 1, 1], gpu: 0 }, 2000, 2).rails[0]!;
    expect(rail.avgMw).toBeLessThan(rail.mw);
    expect(rail.mw).toBe(Math.round((rail.mv * rail.ma) / 1000));
  });

  it('nvpmodel modes change online cores, clocks and caps; unknown ids throw', () => {
    const profile = getProfile('agx-xavier');
    const model = new PowerModel(profile, { seed: 1 });
    expect(model.mode?.name).toBe('MODE_15W');
    const fifteen = settle(model, { cpu: allCores(profile), gpu: 1 }, 0, 3);
    expect(fifteen.cpus.filter((core) => core !== null)).toHaveLength(4);
    model.setMode(0);
    const maxn = settle(model, { cpu: allCores(profile), gpu: 1 }, 3000, 3);
    expect(maxn.cpus.filter((core) => core !== null)).toHaveLength(8);
    expect(inputMw(profile, maxn)).toBeGreaterThan(inputMw(profile, fifteen) * 1.5);
    expect(Math.max(...maxn.cpus.map((core) => core?.mhz ?? 0))).toBe(2265);
    expect(() => model.setMode(42)).toThrow(/valid: 0, 1, 2, 3, 4, 5, 6/);
    const tx2 = new PowerModel(getProfile('tx2'), { seed: 1 });
    expect(tx2.snapshot({ cpu: [], gpu: 0 }, 0).cpus.map((core) => core === null)).toEqual([false, true, true, false, false, false]);
  });

  it('jetson_clocks pins the clocks and raises idle power', () => {
    const profile = getProfile('orin-nano');
    const model = new PowerModel(profile, { seed: 1 });
    const idle = settle(model, { cpu: [], gpu: 0 }, 0, 2);
    model.jetsonClocks = true;
    const pinned = settle(model, { cpu: [], gpu: 0 }, 2000, 2);
    expect(inputMw(profile, pinned)).toBeGreaterThan(inputMw(profile, idle) * 1.1);
    expect(pinned.cpus.every((core) => core?.mhz === model.mode?.cpuMaxMhz)).toBe(true);
    expect(pinned.gpu.mhz).toBe(model.mode?.gpuMaxMhz);
  });

  it('is deterministic with a seed and noisy without being identical across seeds', () => {
    const run = (seed: number): BoardSnapshot => settle(new PowerModel(getProfile('tx2'), { seed }), { cpu: [0.5, 0.2], gpu: 0.3 }, 0, 1);
    expect(run(5)).toEqual(run(5));
    expect(run(5).rails).not.toEqual(run(6).rails);
  });

  it('heats up with power', () => {
    const profile = getProfile('orin-nano');
    const model = new PowerModel(profile, { seed: 1 });
    const cold = model.snapshot({ cpu: [], gpu: 0 }, 0).temps[0]!.celsius;
    const hot = settle(model, { cpu: allCores(profile), gpu: 1 }, 100, 20).temps[0]!.celsius;
    expect(hot).toBeGreaterThan(cold + 5);
  });

  it('moves work off offline cores onto online ones', () => {
    expect(distributeLoad([1, 1, 1, 1], [0, 1])).toEqual([1, 1]);
    expect(distributeLoad([0, 0, 0.8], [0, 1])).toEqual([0.4, 0.4]);
  });
});
