import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.ts';
import { inputChunkChars, maxPasteChars, splitInput, TerminalInput, type InputProblem } from './terminal-input.ts';

/** A `terminal.input` that answers each call when the test says so. */
function scriptedSend() {
  const calls: Array<{ data: string; answer: (result: Result<unknown>) => void }> = [];
  const send = (data: string) => new Promise<Result<unknown>>((answer) => calls.push({ data, answer }));
  return { calls, send };
}

const ok: Result<unknown> = { ok: true, value: {} };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('TerminalInput', () => {
  it('sends a key as it comes', async () => {
    const { calls, send } = scriptedSend();
    new TerminalInput(send, () => {}).write('l');
    await settle();
    expect(calls.map((call) => call.data)).toEqual(['l']);
  });

  it('sends a 200 KB paste in pieces of at most 64 Ki, each once the last was taken, and keys typed meanwhile after it', async () => {
    const { calls, send } = scriptedSend();
    const input = new TerminalInput(send, () => {});
    const paste = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    input.write(paste);
    input.write('\r');
    await settle();
    expect(calls).toHaveLength(1);
    for (let sent = 1; sent < 5; sent++) {
      calls.at(-1)!.answer(ok);
      await settle();
      expect(calls).toHaveLength(sent + 1);
    }
    calls.at(-1)!.answer(ok);
    const pieces = calls.map((call) => call.data);
    expect(pieces.slice(0, 4).map((piece) => piece.length)).toEqual([
      inputChunkChars,
      inputChunkChars,
      inputChunkChars,
      200_000 - 3 * inputChunkChars,
    ]);
    expect(pieces.slice(0, 4).join('')).toBe(paste);
    expect(pieces[4]).toBe('\r');
  });

  it('refuses a paste over the limit whole, with its size, and sends nothing of it', async () => {
    const { calls, send } = scriptedSend();
    const problems: InputProblem[] = [];
    const input = new TerminalInput(send, (problem) => problems.push(problem));
    input.write('x'.repeat(maxPasteChars + 1));
    input.write('ls\r');
    await settle();
    expect(problems).toEqual([{ kind: 'too-large', chars: maxPasteChars + 1, limit: maxPasteChars }]);
    expect(calls.map((call) => call.data)).toEqual(['ls\r']);
  });

  it('stops a paste at the first piece that fails, and says so', async () => {
    const { calls, send } = scriptedSend();
    const problems: InputProblem[] = [];
    new TerminalInput(send, (problem) => problems.push(problem)).write('y'.repeat(3 * inputChunkChars));
    await settle();
    const error = { code: 'not-found', message: 'This terminal is closed.' } as const;
    calls[0]!.answer({ ok: false, error });
    await settle();
    expect(calls).toHaveLength(1);
    expect(problems).toEqual([{ kind: 'failed', error }]);
  });
});

describe('splitInput', () => {
  it('never splits a character made of two UTF-16 units', () => {
    const pieces = splitInput('ab😀cd', 3);
    expect(pieces).toEqual(['ab', '😀c', 'd']);
    expect(splitInput('', 3)).toEqual([]);
  });
});
