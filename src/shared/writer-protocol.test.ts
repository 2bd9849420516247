import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';
import type { AppMessage, WriterMessage } from './writer-protocol.ts';
import {
  decodeAppLine,
  decodeWriterLine,
  encodeAppLine,
  encodeWriterLine,
  writerLineLimit,
  writerLogLineLimit,
} from './writer-protocol.ts';

const token = 'ab'.repeat(32);
const write = {
  type: 'write',
  image: '/home/student/jp62.img.xz',
  format: 'xz',
  device: '/dev/sdb',
  expectedSize: 63864569856,
  verify: true,
} as const;

describe('writer protocol', () => {
  it('round-trips every app message through one line', () => {
    const firstBoot = {
      user: 'student',
      password: 'jetson',
      hostname: 'bench-1',
      locale: 'en_US.UTF-8',
      timezone: 'Etc/UTC',
      acceptLicense: true,
    } as const;
    const messages: AppMessage[] = [
      { type: 'hello', token },
      { type: 'heartbeat' },
      write,
      { ...write, sha256: 'c'.repeat(64) },
      { type: 'configure', device: '/dev/sdb', firstBoot },
      { type: 'cancel' },
    ];
    for (const message of messages) {
      const line = encodeAppLine(message);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(decodeAppLine(line.slice(0, -1))).toEqual({ ok: true, message });
    }
  });

  it('round-trips every writer message', () => {
    const messages: WriterMessage[] = [
      { type: 'ready', version: 1 },
      { type: 'progress', phase: 'writing', bytes: 4194304, totalBytes: null, speed: 1.5e7, eta: null },
      { type: 'log', line: 'Unmounted /media/student/boot' },
      { type: 'result', sha256: 'd'.repeat(64), bytes: 123, verified: true },
      { type: 'configured', files: ['/etc/hostname'] },
      { type: 'error', code: 'corrupted', message: 'Read back differently.', detail: null },
    ];
    for (const message of messages) {
      expect(decodeWriterLine(encodeWriterLine(message).trim())).toEqual({ ok: true, message });
    }
  });

  it('refuses what the protocol does not allow', () => {
    expect(decodeAppLine('not json')).toEqual({ ok: false, reason: 'A line that is not JSON.' });
    expect(decodeAppLine(JSON.stringify({ type: 'format', device: '/dev/sda' })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ type: 'hello', token: 'short' })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ ...write, device: '/dev/../etc/passwd' })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ ...write, device: '/etc/passwd' })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ ...write, image: 'relative.img' })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ ...write, expectedSize: -1 })).ok).toBe(false);
    expect(decodeAppLine(JSON.stringify({ ...write, extra: 1 })).ok).toBe(false);
    expect(decodeWriterLine(JSON.stringify({ type: 'error', code: 'made-up', message: 'x', detail: null })).ok).toBe(false);
  });

  it('caps a line at 64 KiB both ways', () => {
    const long = JSON.stringify({ type: 'log', line: 'x'.repeat(writerLineLimit) });
    expect(decodeWriterLine(long)).toEqual({ ok: false, reason: `A line of more than ${writerLineLimit} characters.` });
    expect(decodeAppLine(' '.repeat(writerLineLimit + 1)).ok).toBe(false);
    // Our own log text is cut to fit, never sent over the limit.
    const line = encodeWriterLine({ type: 'log', line: 'y'.repeat(100_000) });
    const decoded = decodeWriterLine(line.trim());
    expect(decoded.ok && decoded.message.type === 'log' && decoded.message.line.length).toBe(writerLogLineLimit);
  });

  it('reads lines split anywhere across chunks, with the splitter the ends use', () => {
    const text = encodeAppLine({ type: 'hello', token }) + encodeAppLine({ type: 'heartbeat' });
    const splitter = new LineSplitter({ maxLineChars: writerLineLimit + 1 });
    const lines = [...text].flatMap((char) => splitter.push(char));
    expect(lines.map((line) => decodeAppLine(line).ok)).toEqual([true, true]);
  });
});
