import { describe, expect, it } from 'vitest';
import { FrameReader, framedLine, untypeableArgument } from './serial-framing.ts';

const nonce = '0123456789abcdef01';

/** What a Linux console sends back for the framed line: the echo (wrapped by readline), the output, the prompt. */
function consoleAnswer(output: string, code: number): string {
  const line = framedLine(['cat', 'my file'], nonce);
  const echo = `${line.slice(0, 40)}\n${line.slice(40)}\n`;
  return `jetson@nano:~$ ${echo}JWB0_${nonce}\n${output}JWB1_${nonce}:${code}\njetson@nano:~$ `;
}

function readInChunks(text: string, size: number): { result: ReturnType<FrameReader['push']>; streamed: string } {
  const reader = new FrameReader(nonce);
  let streamed = '';
  for (let at = 0; at < text.length; at += size) {
    const result = reader.push(text.slice(at, at + size));
    streamed += reader.takeStreamable();
    if (result !== null) return { result, streamed };
  }
  return { result: null, streamed };
}

describe('command framing', () => {
  it('types the quoted command between two markers that its own echo cannot show', () => {
    const line = framedLine(['cat', 'my file'], nonce);
    expect(line).toBe(` echo JWB0_''${nonce}; cat 'my file' </dev/null; echo JWB1_''${nonce}:$?`);
    expect(line).not.toContain(`JWB0_${nonce}`);
    expect(line).not.toContain(`JWB1_${nonce}`);
  });

  it('extracts output and exit code from the echoed answer in any chunk size', () => {
    const output = 'line one\nJWB0_fake\nlast line without newline';
    for (const size of [1, 2, 3, 7, 64, 10_000]) {
      const { result, streamed } = readInChunks(consoleAnswer(output, 127), size);
      expect(result).toEqual({ code: 127, stdout: output });
      expect(streamed).toBe(output);
    }
  });

  it('keeps an empty output empty and waits for the whole exit code', () => {
    const reader = new FrameReader(nonce);
    expect(reader.push(`JWB0_${nonce}\nJWB1_${nonce}:1`)).toBeNull();
    expect(reader.push('30\n')).toEqual({ code: 130, stdout: '' });
  });

  it("ignores another command's markers", () => {
    const reader = new FrameReader(nonce);
    expect(reader.push('JWB0_aaaa\nold\nJWB1_aaaa:0\n')).toBeNull();
    expect(reader.push(`JWB0_${nonce}\nnew\nJWB1_${nonce}:0\n`)).toEqual({ code: 0, stdout: 'new\n' });
  });

  it('finds arguments a terminal would act on', () => {
    expect(untypeableArgument(['echo', 'fine é $x'])).toBeUndefined();
    expect(untypeableArgument(['echo', 'tab\there'])).toBe('tab\there');
    expect(untypeableArgument(['echo', 'ctrl-c\x03'])).toBe('ctrl-c\x03');
  });
});
