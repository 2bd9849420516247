import { describe, expect, it } from 'vitest';
import { totalMwOf, type Sample } from '../shared/telemetry/sample.ts';
import { parseTegrastats } from '../shared/telemetry/tegrastats-parser.ts';
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

function parse(line: string): Sample {
  const sample = parseTegrastats(line);
  if (sample === null) throw new Error(`not a tegrastats line: ${line}`);
  return sample;
}

function structure(sample: Sample): unknown {
  return {
    time: sample.boardTime !== null,
    swap: sample.swapUsedMb !== null,
    iram: sample.iramUsedKb !== null,
    emc: sample.emcLoad === null ? null : sample.emcMhz === null ? 'percent' : 'scalar',
    gpus: sample.gpu.map((gpu) => `${gpu.name}:${gpu.form}:${gpu.mhz.length}`),
    engines: sample.engineNames.map((name, index) => `${name}:${sample.engineMhz[index] === null ? 'off' : 'on'}`),
    mts: sample.mtsFg !== null,
    temps: sample.tempNames,
    rails: sample.railNames,
    notConnected: sample.extra.filter((token) => token.startsWith('NC ')).length,
    railUnit: sample.railUnit,
    inputRail: sample.inputRail,
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
      const ours = parse(line);
      const real = parse(reference);
      expect(structure(ours)).toEqual(structure(real));
      expect(ours.extra.filter((token) => !token.startsWith('NC '))).toEqual([]);
      expect(ours.cpuLoad).toHaveLength(profile.cpu.cores);
      if (profile.formatSource === undefined) {
        expect(ours.cpuLoad).toHaveLength(real.cpuLoad.length);
        expect(shapes(line)).toEqual(shapes(reference));
      }
      // Plausible values: the input power within a factor of 2 of the real idle line, RAM fits.
      expect(totalMwOf(ours)).toBeGreaterThan((totalMwOf(real) ?? 0) / 2);
      expect(totalMwOf(ours)).toBeLessThan((totalMwOf(real) ?? 0) * 2);
      expect(ours.ramUsedMb).toBeLessThan(ours.ramTotalMb ?? 0);
    });
  }

  it('prints offline cores as `off` and JetPack 5+ timestamps', () => {
    const profile = getProfile('agx-orin');
    const model = new PowerModel(profile, { seed: 1 });
    model.setMode(1);
    const line = formatTegrastats(profile, model.snapshot({ cpu: [], gpu: 0 }, new Date(2025, 9, 26, 5, 10, 54).getTime()));
    expect(line.startsWith('10-26-2025 05:10:54 RAM ')).toBe(true);
    expect(parse(line).cpuLoad.filter((core) => core === null)).toHaveLength(8);
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
