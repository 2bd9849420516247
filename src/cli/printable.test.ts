import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { printable } from './printable.ts';

describe('printable', () => {
  it('keeps text, tabs and newlines, and turns every control character a terminal would obey into U+FFFD', () => {
    expect(printable('Jetson\tOrin\n')).toBe('Jetson\tOrin\n');
    expect(printable('\u001b]0;pwned\u0007NVIDIA \u001b[31mJetson\u009b2J')).toBe('\ufffd]0;pwned\ufffdNVIDIA \ufffd[31mJetson\ufffd2J');
  });

  it('is what every command writes through', async () => {
    let out = '';
    const sink = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
    const code = await runCli(['no-such-\u001b[2Jcommand'], { stdout: sink, stderr: sink, env: {}, signal: new AbortController().signal });
    expect(code).toBe(2);
    expect(out).toContain('unknown command "no-such-\ufffd[2Jcommand"');
    expect(out).not.toContain('\u001b');
  });
});
