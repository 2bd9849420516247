import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempOf } from './sample.ts';
import { forgetTegrastatsShapes, parseTegrastats } from './tegrastats-parser.ts';
import { TegrastatsStream } from './tegrastats-stream.ts';

const fixtures = readFileSync(new URL('../../../test/fixtures/tegrastats-real.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { line: string; rail_names: string[]; source: string });

describe('parseTegrastats', () => {
  it('parses all 28 real lines with their rails, loads and temperatures, nothing unplaced but NC rails', () => {
    expect(fixtures.length).toBe(28);
    for (const { line, rail_names: railNames } of fixtures) {
      const sample = parseTegrastats(line);
      expect(sample, line).not.toBeNull();
      expect(sample!.railNames, line).toEqual(railNames.filter((name) => name !== 'NC'));
      expect(
        sample!.railMw.every((mw) => Number.isInteger(mw) && mw >= 0),
        line,
      ).toBe(true);
      expect(
        sample!.extra.filter((token) => !token.startsWith('NC ')),
        line,
      ).toEqual([]);
      expect(sample!.extra.length, line).toBe(railNames.filter((name) => name === 'NC').length);
      expect(sample!.cpuLoad.length + sample!.gpu.length).toBeGreaterThan(0);
      expect(
        sample!.cpuLoad.every((load) => load === null || (load >= 0 && load <= 100)),
        line,
      ).toBe(true);
      expect(sample!.ramTotalMb).toBeGreaterThan(3000);
      // L4T 28 prints no temperatures.
      if (!line.includes(' GR3D ')) expect(sample!.tempNames.length, line).toBeGreaterThan(0);
      expect(sample!.tempC).toHaveLength(sample!.tempNames.length);
    }
  });

  it('reads a Nano JetPack 4 line: POM_5V_IN is the input, bare mW, IRAM, engines', () => {
    const sample = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('NVENC 716'))!.line, 12.5)!;
    expect(sample.t).toBe(12.5);
    expect(sample.inputRail).toBe('POM_5V_IN');
    expect(sample.inputMw).toBe(4520);
    const cpuRail = sample.railNames.indexOf('POM_5V_CPU');
    expect([sample.railMw[cpuRail], sample.railAvgMw[cpuRail]]).toEqual([1078, 1205]);
    expect(sample.railMaxMw).toBeNull();
    expect(sample.railUnit).toBe('bare');
    expect(sample.railSumMw).toBe(4520 + 0 + 1078);
    expect([sample.iramUsedKb, sample.iramTotalKb, sample.iramLfbKb]).toEqual([0, 252, 252]);
    expect(sample.engineNames).toEqual(['NVENC', 'NVDEC', 'APE']);
    expect(sample.engineMhz).toEqual([716, 716, 25]);
    expect([sample.cpuLoad[1], sample.cpuMhz[1]]).toEqual([33, 1036]);
    expect(tempOf(sample, 'thermal')).toBe(59.75);
  });

  it('says an AGX Orin has no input rail, keeps NC channels, marks offline sensors null', () => {
    const sample = parseTegrastats(fixtures.find((fixture) => fixture.line.startsWith('04-11-2025'))!.line)!;
    expect(sample.boardTime).toBe('04-11-2025 10:36:27');
    expect(sample.inputMw).toBeNull();
    expect(sample.inputRail).toBeNull();
    expect(sample.railSumMw).toBe(2340 + 390 + 4025 + 301);
    expect(sample.extra).toEqual(['NC 0mW/0mW', 'NC 0mW/0mW']);
    expect(tempOf(sample, 'CV0')).toBeNull();
    expect(tempOf(sample, 'CPU')).toBe(44.562);
    expect(sample.gpu).toEqual([{ name: 'GR3D', load: 0, mhz: [0, 0], form: 'array' }]);
    expect(sample.railUnit).toBe('mW');
  });

  it('reads L4T 28 (one CPU clock), off cores, MTS and JetPack 7 cur/max temperatures', () => {
    const tx1 = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('GR3D 39%@76'))!.line)!;
    expect(tx1.cpuSharedMhz).toBe(1734);
    expect(tx1.cpuLoad).toEqual([17, 11, 65, 0]);
    expect(tx1.cpuMhz).toEqual([null, null, null, null]);
    expect([tx1.emcLoad, tx1.emcMhz]).toEqual([1, 1600]);
    expect(tx1.gpu[0]).toEqual({ name: 'GR3D', load: 39, mhz: [76], form: 'scalar' });
    expect(tx1.inputMw).toBeNull();
    expect(tx1.railSumMw).toBeNull();
    const off = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('345,off,off'))!.line)!;
    expect(off.cpuLoad.filter((core) => core === null).length).toBe(2);
    const tx2 = parseTegrastats(fixtures.find((fixture) => fixture.line.includes('MTS fg 1% bg 8%'))!.line)!;
    expect([tx2.mtsFg, tx2.mtsBg]).toEqual([1, 8]);
    const jp7 = parseTegrastats(fixtures.find((fixture) => fixture.line.startsWith('07-25-2026'))!.line)!;
    expect(tempOf(jp7, 'cpu')).toBe(52.968);
    expect(jp7.tempMaxC?.[0]).toBe(52.968);
    expect(jp7.railMaxMw).not.toBeNull();
    expect(jp7.railMaxMw).toHaveLength(jp7.railNames.length);
  });

  it('reads AGX Xavier: a rail named CPU beside the CPU field, per-GPC GR3D fields on JetPack 5 Orin', () => {
    const xavier = parseTegrastats(fixtures.find((fixture) => fixture.rail_names.includes('SYS5V'))!.line)!;
    expect(xavier.railNames).toContain('CPU');
    expect(xavier.cpuLoad.length).toBeGreaterThan(0);
    expect(xavier.inputRail).toBeNull();
    const perGpc = fixtures.map((fixture) => parseTegrastats(fixture.line)!).find((sample) => sample.gpu.length === 2);
    expect(perGpc?.gpu.map((gpu) => gpu.name)).toEqual(['GR3D', 'GR3D2']);
  });

  it('shares name arrays between lines of the same shape and gives fresh value arrays', () => {
    const line = fixtures[0]!.line;
    const first = parseTegrastats(line)!;
    parseTegrastats(fixtures[1]!.line);
    const second = parseTegrastats(line)!;
    expect(second.railNames).toBe(first.railNames);
    expect(second.tempNames).toBe(first.tempNames);
    expect(second.railMw).not.toBe(first.railMw);
    expect(second).toEqual(first);
  });

  it('reads a line of a learnt shape (the fast path) exactly as the full parser does, other numbers included', () => {
    let seed = 99;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const { line } of fixtures) {
      for (let round = 0; round < 20; round += 1) {
        // Same shape, other numbers: every digit run replaced by a random one (a decimal keeps decimals).
        const variant = line.replace(/(\d+)(\.\d+)?/g, (_match, _whole: string, decimals?: string) => {
          const whole = String(Math.floor(random() * (round % 2 === 0 ? 100 : 100000)));
          return decimals === undefined ? whole : `${whole}.${Math.floor(random() * 1000)}`;
        });
        parseTegrastats(line);
        const fast = parseTegrastats(variant);
        forgetTegrastatsShapes();
        const full = parseTegrastats(variant);
        expect(fast, variant).toEqual(full);
      }
    }
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

  it('never throws on random or truncated lines (fuzz)', { timeout: 60_000 }, () => {
    let seed = 12345;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = 'RAMCPU[]@%/,.-0123456789 mWCxoff()lfbkBMB_GR3DVDDIN\t';
    const throwing: string[] = [];
    for (let round = 0; round < 5000; round += 1) {
      const base = fixtures[round % fixtures.length]!.line;
      const cut = base.slice(0, Math.floor(random() * base.length));
      const noise = Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const mutated = base.split('');
      mutated[Math.floor(random() * mutated.length)] = alphabet[Math.floor(random() * alphabet.length)]!;
      for (const line of [cut, noise, cut + noise, mutated.join('')]) {
        try {
          parseTegrastats(line);
        } catch {
          throwing.push(line);
        }
      }
    }
    // One assertion at the end: 20,000 `expect` calls were what made it slow on a busy machine.
    expect(throwing).toEqual([]);
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
