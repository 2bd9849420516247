import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';
import { parseTegrastats } from './telemetry/tegrastats-parser.ts';

const lines = readFileSync(new URL('../../test/fixtures/tegrastats-real.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { line: string }).line);

describe('LineSplitter', () => {
  const text = `${lines.join('\n')}\n`;

  it('gives the same samples whatever the chunk sizes', () => {
    const whole = new LineSplitter().push(text).map((line) => parseTegrastats(line));
    for (const size of [1, 7, 64, 333]) {
      const splitter = new LineSplitter();
      const parts: string[] = [];
      for (let offset = 0; offset < text.length; offset += size) parts.push(...splitter.push(text.slice(offset, offset + size)));
      parts.push(...splitter.flush());
      expect(parts.map((line) => parseTegrastats(line))).toEqual(whole);
    }
    expect(whole).toHaveLength(28);
    expect(whole.every((sample) => sample !== null)).toBe(true);
  });

  it('drops a torn first line, strips CR and returns an unterminated tail on flush', () => {
    const splitter = new LineSplitter({ dropFirst: true });
    expect(splitter.push('0%@1224] POM_5V_IN 1/1\r\nRAM 1/2MB CPU [1%@2]\r\nRAM 3')).toEqual(['RAM 1/2MB CPU [1%@2]']);
    expect(splitter.flush()).toEqual(['RAM 3']);
    expect(splitter.flush()).toEqual([]);
  });

  it('keeps at most maxLineChars of a line that never ends, and counts what it drops (issue 16, item 4)', () => {
    const splitter = new LineSplitter({ maxLineChars: 1000 });
    const chunk = 'x'.repeat(64 * 1024);
    // 5 MB without a newline: nothing comes out, and the tail held stays at the cap.
    for (let sent = 0; sent < 5 * 1024 * 1024; sent += chunk.length) expect(splitter.push(chunk)).toEqual([]);
    const [cut, next] = splitter.push('y\nnext line\n');
    expect([cut?.length, cut?.startsWith('xxx'), next]).toEqual([1000, true, 'next line']);
    expect([splitter.overlongLines, splitter.droppedChars]).toEqual([1, 5 * 1024 * 1024 + 1 - 1000]);
    expect(splitter.push('a short one\n')).toEqual(['a short one']);
    expect(splitter.overlongLines).toBe(1);
  });

  it('cuts lines at 64 KiB by default, including the tail given on flush', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('z'.repeat(100_000))).toEqual([]);
    expect(splitter.flush().map((line) => line.length)).toEqual([64 * 1024]);
    expect(splitter.droppedChars).toBe(100_000 - 64 * 1024);
  });
});
