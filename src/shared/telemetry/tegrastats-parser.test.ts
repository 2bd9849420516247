import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTegrastats } from './tegrastats-parser.ts';
import { TegrastatsStream } from './tegrastats-stream.ts';

const fixtures = readFileSync(new URL('../../../test/fixtures/tegrastats-real.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { line: string; rail_names: string[] });

describe('parseTegrastats', () => {
  it('parses all 28 real lines with their rails, loads and temperatures, nothing unplaced but NC rails', () => {
    expect(fixtures.length).toBe(28);
    for (const { line, rail_names: railNames } of fixtures) {
      const sample = parseTegrastats(line);
      expect(sample, line).not.toBeNull();
      expect(Object.keys(sample!.rails), line).toEqual(railNames.filter((name) => name !== 'NC'));
      expect(sample!.extra.filter((token) => !token.startsWith('NC ')), line).toEqual([]);
      expect(sample!.cpu.length + sample!.gpu.length).toBeGreaterThan(0);
      // L4T 28 prints no temperatures.
      if (!line.includes(' GR3D ')) expect(Object.keys(sample!.temps).length, line).toBeGreaterThan(0);
    }
  });

  it('reads a Nano JetPack 4 line: POM_5V_IN is the input, bare mW, IRAM, engines', () => {
    const sample = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('NVENC 716'))!.line, 12.5)!;
    expect(sample.t).toBe(12.5);
    expect(sample.inputRail).toBe('POM_5V_IN');
    expect(sample.inputMw).toBe(4520);
    expect(sample.rails.POM_5V_CPU).toEqual({ mw: 1078, avgMw: 1205, maxMw: null });
    expect(sample.railSumMw).toBe(4520 + 0 + 1078);
    expect(sample.iram).toEqual({ usedKb: 0, totalKb: 252, lfbKb: 252 });
    expect(sample.engines).toEqual({ NVENC: 716, NVDEC: 716, APE: 25 });
    expect(sample.cpu[1]).toEqual({ load: 33, mhz: 1036 });
    expect(sample.temps.thermal).toBe(59.75);
  });

  it('says an AGX Orin has no input rail, keeps NC channels, marks offline sensors null', () => {
    const sample = parseTegrastats(fixtures.find((fixture) => fixture.line.startsWith('04-11-2025'))!.line)!;
    expect(sample.boardTime).toBe('04-11-2025 10:36:27');
    expect(sample.inputMw).toBeNull();
    expect(sample.inputRail).toBeNull();
    expect(sample.railSumMw).toBe(2340 + 390 + 4025 + 301);
    expect(sample.extra).toEqual(['NC 0mW/0mW', 'NC 0mW/0mW']);
    expect(sample.temps.CV0).toBeNull();
    expect(sample.temps.CPU).toBe(44.562);
    expect(sample.gpu).toEqual([{ name: 'GR3D', load: 0, mhz: [0, 0] }]);
  });

  it('reads L4T 28 (one CPU clock), off cores, MTS and JetPack 7 cur/max temperatures', () => {
    const tx1 = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('GR3D 39%@76'))!.line)!;
    expect(tx1.cpuMhz).toBe(1734);
    expect(tx1.cpu).toEqual([17, 11, 65, 0].map((load) => ({ load, mhz: null })));
    expect(tx1.emc).toEqual({ load: 1, mhz: [1600] });
    const off = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('345,off,off'))!.line)!;
    expect(off.cpu.filter((core) => core === null).length).toBe(2);
    const tx2 = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('MTS fg 1% bg 8%'))!.line)!;
    expect(tx2.mts).toEqual({ fg: 1, bg: 8 });
    const jp7 = parseTegrastats(fixtures.find((fixture) => fixture.line.startsWith('07-25-2026'))!.line)!;
    expect(jp7.temps.cpu).toBe(52.968);
  });

  it('keeps unknown fields in extra instead of dropping them', () => {
    const sample = parseTegrastats('RAM 1/2MB CPU [1%@2] NEWTHING x=1 FOO_FREQ 5%@100 VDD_IN 5/6')!;
    expect(sample.extra).toEqual(['NEWTHING', 'x=1', 'FOO_FREQ 5%@100']);
    expect(sample.inputMw).toBe(5);
  });

  it('returns null for lines that are not tegrastats', () => {
    for (const line of ['', 'hello world', 'CPU [1%@2]', 'Usage: tegrastats [-option]', 'RAM x/yMB CPU [']) {
      expect(parseTegrastats(line), line).toBeNull();
    }
  });

  it('never throws on random or truncated lines (fuzz)', () => {
    let seed = 12345;
    const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'RAMCPU[]@%/,.-0123456789 mWCxoff()lfbkBMB_GR3DVDDIN\t';
    for (let round = 0; round < 5000; round += 1) {
      const base = fixtures[round % fixtures.length]!.line;
      const cut = base.slice(0, Math.floor(random() * base.length));
      const noise = Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const mutated = base.split('');
      mutated[Math.floor(random() * mutated.length)] = alphabet[Math.floor(random() * alphabet.length)]!;
      for (const line of [cut, noise, cut + noise, mutated.join('')]) {
        expect(() => parseTegrastats(line)).not.toThrow();
      }
    }
  });
});

describe('TegrastatsStream', () => {
  it('splits chunks into samples and counts garbage as unparsed, keeping it for display', () => {
    let now = 100;
    const stream = new TegrastatsStream(() => now);
    const text = `${fixtures[0]!.line}\nGARBAGE LINE\n${fixtures[1]!.line}\n`;
    const first = stream.push(text.slice(0, 50));
    now = 101;
    const rest = stream.push(text.slice(50));
    expect(first).toEqual([]);
    expect(rest.map((sample) => sample.t)).toEqual([101, 101]);
    expect(stream.parsed).toBe(2);
    expect(stream.unparsed).toBe(1);
    expect(stream.recentUnparsed).toEqual(['GARBAGE LINE']);
  });
});
