/**
 * What the student types or pastes, on its way to the board's shell. The
 * contract's `terminal.input` takes at most 64 Ki characters a call, and the
 * serve shell refuses any message over 1 MiB: a paste used to go out whole
 * and vanish. Now a paste goes in pieces of at most 64 Ki, in order, each
 * sent once the last was taken, and keys typed meanwhile queue behind it. A
 * paste over `maxPasteChars` is refused whole, so that what reaches the
 * board is never a silent part of it; so is the rest of a paste after a
 * piece failed.
 */
import type { Result, WorkbenchError } from '../../shared/errors.ts';

/** `terminal.input`'s limit in the contract (src/shared/boards-contract.ts). */
export const inputChunkChars = 64 * 1024;
/** Far more than anyone types; a file this big belongs on the board through scp, not a terminal. */
export const maxPasteChars = 1024 * 1024;

export type InputProblem = { kind: 'too-large'; chars: number; limit: number } | { kind: 'failed'; error: WorkbenchError };

export class TerminalInput {
  readonly #send: (data: string) => Promise<Result<unknown>>;
  readonly #onProblem: (problem: InputProblem) => void;
  #queue: Promise<void> = Promise.resolve();

  constructor(send: (data: string) => Promise<Result<unknown>>, onProblem: (problem: InputProblem) => void) {
    this.#send = send;
    this.#onProblem = onProblem;
  }

  write(data: string): void {
    if (data.length > maxPasteChars) return this.#onProblem({ kind: 'too-large', chars: data.length, limit: maxPasteChars });
    const pieces = splitInput(data, inputChunkChars);
    this.#queue = this.#queue.then(() => this.#sendInOrder(pieces));
  }

  async #sendInOrder(pieces: readonly string[]): Promise<void> {
    for (const piece of pieces) {
      const result = await this.#send(piece);
      if (!result.ok) return this.#onProblem({ kind: 'failed', error: result.error });
    }
  }
}

/** `data` in pieces of at most `size` UTF-16 units, never splitting a surrogate pair (an emoji stays whole). */
export function splitInput(data: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < data.length;) {
    let end = Math.min(start + size, data.length);
    if (end < data.length && end - start > 1 && isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
    pieces.push(data.slice(start, end));
    start = end;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
