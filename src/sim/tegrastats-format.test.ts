import { describe, expect, it } from 'vitest';
import { parseTegrastatsLine, type TegrastatsSample } from '../shared/tegrastats.ts';
import { getProfile, listProfiles, profileIds, referenceLineFor } from './profiles.ts';
import { PowerModel } from './power-model.ts';
import { formatNvidiaSmiCsv, formatTegrastats } from './tegrastats-format.ts';

/** A token's shape: numbers become `#`, so `VDD_IN 1750/1628` and `VDD_IN 2011/1900` compare equal. */
function shapes(line: string): string[] {
  return line
    .replace(/^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d /, 'TIME ')
    .replace(/CPU \[[^\]]*\]/, 'CPU [..]')
    .split(' ')
    .map((token) => token.replace(/-?\d+(\.\d+)?/g, '#'));
}

function structure(sample: TegrastatsSample): unknown {
  return {
    time: sample.time !== null,
    swap: sample.swap !== null,
    iram: sample.iram !== null,
    emc: sample.emc?.form ?? null,
    gpus: sample.gpus.map((gpu) => `${gpu.name}:${gpu.form}:${gpu.mhz.length}`),
    engines: sample.engines.map((engine) => `${engine.name}:${engine.mhz === null ? 'off' : 'on'}`),
    mts: sample.mts !== null,
    temps: sample.temps.map((temp) => temp.name),
    rails: sample.rails.map((rail) => rail.name),
    railUnit: sample.railUnit,
    totalSource: sample.totalSource,
  };
}

const jetsons = listProfiles().filter((profile) => profile.tegrastats !== undefined);

describe('formatTegrastats', () => {
  it('covers every Jetson profile', () => {
    expect(jetsons.map((profile) => profile.id)).toEqual(profileIds.filter((id) => id !== 'desktop-gpu'));
  });

  for (const profile of jetsons) {
    it(`${profile.id}: has the structure and token shapes of the real line`, () => {
      const reference = referenceLineFor(profile);
      if (reference === null) throw new Error('no reference');
      const model = new PowerModel(profile, { seed: 7 });
      const line = formatTegrastats(profile, model.snapshot({ cpu: [0.3], gpu: 0.2 }, Date.UTC(2025, 5, 1)));
      const ours = parseTegrastatsLine(line);
      const real = parseTegrastatsLine(reference);
      expect(structure(ours)).toEqual(structure(real));
      expect(ours.unknown).toEqual([]);
      expect(ours.cpus).toHaveLength(profile.cpu.cores);
      if (profile.formatSource === undefined) {
        expect(ours.cpus).toHaveLength(real.cpus.length);
        expect(shapes(line)).toEqual(shapes(reference));
      }
      // Plausible values: the input power within a factor of 2 of the real idle line, RAM fits.
      expect(ours.totalMw).toBeGreaterThan((real.totalMw ?? 0) / 2);
      expect(ours.totalMw).toBeLessThan((real.totalMw ?? 0) * 2);
      expect(ours.ram?.usedMb).toBeLessThan(ours.ram?.totalMb ?? 0);
    });
  }

  it('prints offline cores as `off` and JetPack 5+ timestamps', () => {
    const profile = getProfile('agx-orin');
    const model = new PowerModel(profile, { seed: 1 });
    model.setMode(1);
    const line = formatTegrastats(profile, model.snapshot({ cpu: [], gpu: 0 }, new Date(2025, 9, 26, 5, 10, 54).getTime()));
    expect(line.startsWith('10-26-2025 05:10:54 RAM ')).toBe(true);
    expect(parseTegrastatsLine(line).cpus.filter((core) => core === null)).toHaveLength(8);
  });

  it('refuses a host without tegrastats', () => {
    const profile = getProfile('desktop-gpu');
    const snapshot = new PowerModel(profile, { seed: 1 }).snapshot({ cpu: [], gpu: 0 }, 0);
    expect(() => formatTegrastats(profile, snapshot)).toThrow(/no tegrastats/);
  });
});

describe('formatNvidiaSmiCsv', () => {
  it('prints power.draw, utilization, temperature, clock and memory as nvidia-smi nounits CSV', () => {
    const profile = getProfile('desktop-gpu');
    const model = new PowerModel(profile, { seed: 1 });
    const idle = formatNvidiaSmiCsv(profile, model.snapshot({ cpu: [], gpu: 0 }, 0)).split(', ');
    expect(idle).toHaveLength(6);
    expect(idle[0]).toMatch(/^\d+\.\d\d$/);
    let loaded = idle;
    for (let time = 100; time <= 3000; time += 100)
      loaded = formatNvidiaSmiCsv(profile, model.snapshot({ cpu: [], gpu: 1 }, time)).split(', ');
    expect(Number(loaded[0])).toBeGreaterThan(Number(idle[0]) * 5);
    expect(loaded[1]).toBe('100');
    expect(() => formatNvidiaSmiCsv(getProfile('nano'), model.snapshot({ cpu: [], gpu: 0 }, 4000))).toThrow();
  });
});
