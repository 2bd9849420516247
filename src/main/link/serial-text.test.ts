import { describe, expect, it } from 'vitest';
import { TerminalCleaner, applyBackspaces, stripAnsi } from './serial-text.ts';

function cleanInChunks(raw: string, sizes: number[]): string {
  const cleaner = new TerminalCleaner();
  let out = '';
  let at = 0;
  for (let index = 0; at < raw.length; index += 1) {
    const size = sizes[index % sizes.length] ?? 1;
    out += cleaner.push(raw.slice(at, at + size));
    at += size;
  }
  return out + cleaner.flush();
}

describe('serial text cleaning', () => {
  const raw =
    '\x1b[?2004h\x1b]0;jetson@nano: ~\x07\x1b[01;32mjetson@nano\x1b[00m:\x1b[01;34m~\x1b[00m$ ls\r\r\n\x1b[0m\x1b[01;34mDesktop\x1b(B\x1b[m  notes.txt\r\n\x1b[?2004l\r';
  const expected = 'jetson@nano:~$ ls\nDesktop  notes.txt\n';

  it('removes colour, title, bracketed-paste and charset escapes and turns \\r\\n into \\n', () => {
    expect(cleanInChunks(raw, [raw.length])).toBe(expected);
  });

  it('gives the same text whatever the chunk boundaries (escapes and \\r\\n split across chunks)', () => {
    for (const sizes of [[1], [2], [3, 1, 7], [5, 11], [13, 2, 1]]) expect(cleanInChunks(raw, sizes)).toBe(expected);
  });

  it('keeps plain text, UTF-8 and lone characters untouched', () => {
    expect(stripAnsi('é ✓ $ # 100%')).toBe('é ✓ $ # 100%');
  });

  it('drops a stray ESC that never completes instead of holding it forever', () => {
    const cleaner = new TerminalCleaner();
    expect(cleaner.push('a\x1b')).toBe('a');
    expect(cleaner.push('[')).toBe('');
    // Parameters that never reach a final byte: past 256 characters it is noise, shown as text.
    expect(cleaner.push('1;'.repeat(150))).toBe(`[${'1;'.repeat(150)}`);
  });

  it('applies backspace erasures as a screen shows them', () => {
    expect(applyBackspaces('jetsn\b \bon')).toBe('jetson');
    expect(applyBackspaces('a\n\bb')).toBe('a\nb');
  });
});
