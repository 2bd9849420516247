import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSplitter, parseTegrastatsLine, TegrastatsParseError } from './tegrastats.ts';

interface Fixture {
  module: string;
  line: string;
  rail_names: string[];
  source: string;
}

const fixtures: Fixture[] = readFileSync(new URL('../../test/fixtures/tegrastats-real.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Fixture);

function fixture(source: string): Fixture {
  const found = fixtures.find((candidate) => candidate.source.startsWith(source));
  if (!found) throw new Error(`no fixture ${source}`);
  return found;
}

describe('parseTegrastatsLine', () => {
  it('parses every real line in the reference with its rails and nothing unknown', () => {
    expect(fixtures.length).toBe(28);
    for (const { line, rail_names: railNames } of fixtures) {
      const sample = parseTegrastatsLine(line);
      expect(
        sample.rails.map((rail) => rail.name),
        line,
      ).toEqual(railNames);
      expect(sample.unknown, line).toEqual([]);
      expect(sample.ram?.totalMb).toBeGreaterThan(3000);
    }
  });

  it('reads a Nano JetPack 4.6.1 line: bare mW rails, IRAM, POM_5V_IN total', () => {
    const sample = parseTegrastatsLine(fixtures[3]!.line);
    expect(sample.time).toBeNull();
    expect(sample.iram).toEqual({ usedKb: 0, totalKb: 252, lfbKb: 252 });
    expect(sample.swap).toEqual({ usedMb: 191, totalMb: 1982, cachedMb: 6 });
    expect(sample.cpus).toEqual([1224, 1224, 1224, 1224].map((mhz, index) => ({ loadPct: [5, 4, 3, 6][index], mhz })));
    expect(sample.emc).toEqual({ loadPct: 0, mhz: [1600], form: 'scalar' });
    expect(sample.rails[0]).toEqual({ name: 'POM_5V_IN', mw: 1750, avgMw: 1628, maxMw: null, connected: true });
    expect(sample.railUnit).toBe('bare');
    expect(sample.totalMw).toBe(1750);
    expect(sample.totalSource).toBe('POM_5V_IN');
    expect(sample.temps.find((temp) => temp.name === 'PMIC')?.celsius).toBe(50);
  });

  it('reads a JetPack 5 AGX Orin line: timestamp, per-GPC fields, NC rails, offline sensors, summed total', () => {
    const sample = parseTegrastatsLine(fixture('catid/blog2022').line);
    expect(sample.time).toBe('04-24-2023 00:01:24');
    expect(sample.gpus.map((gpu) => gpu.name)).toEqual(['GR3D', 'GR3D2']);
    expect(sample.engines).toEqual([
      { name: 'VIC_FREQ', mhz: 729 },
      { name: 'APE', mhz: 174 },
    ]);
    expect(sample.temps.find((temp) => temp.name === 'CV0')).toMatchObject({ celsius: -256, offline: true });
    expect(sample.rails.filter((rail) => !rail.connected).map((rail) => rail.name)).toEqual(['NC', 'NC']);
    expect(sample.totalSource).toBe('sum');
    expect(sample.totalMw).toBe(2399 + 400 + 4032 + 301);
    expect(sample.railUnit).toBe('mW');
  });

  it('reads JetPack 6 GPC arrays and JetPack 7 three-value rails and cur/max temperatures', () => {
    const jp6 = parseTegrastatsLine(fixture('Abdel-E').line);
    expect(jp6.gpus[0]).toEqual({ name: 'GR3D', loadPct: 0, mhz: [305, 305], form: 'array' });
    expect(jp6.engines.filter((engine) => engine.mhz === null)).toHaveLength(9);
    const jp7 = parseTegrastatsLine(fixture('rbonghi/jetson_stats:jtop/tests').line);
    expect(jp7.rails[0]).toEqual({ name: 'VDD_GPU_SOC', mw: 5139, avgMw: 5139, maxMw: 5139, connected: true });
    expect(jp7.temps[0]).toMatchObject({ name: 'cpu', celsius: 52.968, maxCelsius: 52.968 });
  });

  it('reads AGX Xavier (a rail named CPU, MTS, off cores) and the L4T 28 TX1 format', () => {
    const agx = parseTegrastatsLine(fixtures[15]!.line);
    expect(agx.cpus.filter((core) => core === null)).toHaveLength(4);
    expect(agx.mts).toEqual({ fgPct: 0, bgPct: 0 });
    expect(agx.rails.map((rail) => rail.name)).toEqual(['GPU', 'CPU', 'SOC', 'CV', 'VDDRQ', 'SYS5V']);
    expect(agx.totalMw).toBe(0 + 311 + 932 + 0 + 621 + 1482);
    const old = parseTegrastatsLine(fixture('hordiales').line);
    expect(old.cpuMhz).toBe(1734);
    expect(old.cpus).toEqual([0, 0, 0, 0].map(() => ({ loadPct: 0, mhz: null })));
    expect(old.gpus[0]).toMatchObject({ name: 'GR3D', mhz: [998] });
    expect(old.totalMw).toBeNull();
  });

  it('rejects text that is not tegrastats', () => {
    expect(() => parseTegrastatsLine('bash: tegrastats: command not found')).toThrow(TegrastatsParseError);
    expect(() => parseTegrastatsLine('')).toThrow(/not a tegrastats line/);
    expect(() => parseTegrastatsLine('RAM 12/34MB CPU [oops]')).toThrow(/malformed CPU/);
  });
});

describe('LineSplitter', () => {
  const text = `${fixtures.map((entry) => entry.line).join('\n')}\n`;

  it('gives the same samples whatever the chunk sizes', () => {
    const whole = new LineSplitter().push(text).map(parseTegrastatsLine);
    for (const size of [1, 7, 64, 333]) {
      const splitter = new LineSplitter();
      const lines: string[] = [];
      for (let offset = 0; offset < text.length; offset += size) lines.push(...splitter.push(text.slice(offset, offset + size)));
      lines.push(...splitter.flush());
      expect(lines.map(parseTegrastatsLine)).toEqual(whole);
    }
    expect(whole).toHaveLength(28);
  });

  it('drops a torn first line, strips CR and returns an unterminated tail on flush', () => {
    const splitter = new LineSplitter({ dropFirst: true });
    expect(splitter.push('0%@1224] POM_5V_IN 1/1\r\nRAM 1/2MB CPU [1%@2]\r\nRAM 3')).toEqual(['RAM 1/2MB CPU [1%@2]']);
    expect(splitter.flush()).toEqual(['RAM 3']);
    expect(splitter.flush()).toEqual([]);
  });
});
