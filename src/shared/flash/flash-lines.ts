/**
 * Script output → lines, as a terminal would show them: NVIDIA's tools redraw
 * the `[....] 100%` bar in place with `\r` (flashing-and-installing.md §2.6 c),
 * and a line is capped before any pattern reads it.
 */

/** A longer line is cut before any pattern runs: a bar redrawn without newlines must not cost a regex over megabytes. */
export const maxFlashLineChars = 4096;

/** A `\r` redraws the line in place (the `[....] 100%` bar): only its last non-blank segment is what a terminal shows. */
export function cleanFlashLine(raw: string): string {
  // From the end, without splitting the whole line: a long line costs one scan.
  let end = raw.length;
  while (end > 0) {
    const start = raw.lastIndexOf('\r', end - 1);
    const segment = raw.slice(start + 1, Math.min(end, start + 1 + maxFlashLineChars));
    if (segment.trim() !== '') return segment.trimEnd();
    if (start < 0) break;
    end = start;
  }
  return '';
}

/**
 * Script output (chunks) → lines for FlashLogParser and the job log. A line
 * is held up to its newline; while it grows past the limit, only its last
 * `\r` redraws are kept (a bar redrawn in place must still show its 100%), and
 * a long line without any `\r` keeps its head and drops the rest.
 */
export class FlashLineReader {
  #pending = '';
  #dropping = false;

  push(chunk: string): string[] {
    const parts = chunk.split('\n');
    const lines: string[] = [];
    for (let index = 0; index < parts.length - 1; index += 1) {
      this.#add(parts[index] ?? '');
      lines.push(this.#take());
    }
    this.#add(parts.at(-1) ?? '');
    return lines.map(cleanFlashLine).filter((line) => line.trim() !== '');
  }

  /** The last line when the stream ends without a newline. */
  flush(): string[] {
    const line = cleanFlashLine(this.#take());
    return line.trim() === '' ? [] : [line];
  }

  #add(text: string): void {
    if (this.#dropping) return;
    this.#pending += text;
    if (this.#pending.length <= maxFlashLineChars * 2) return;
    const redraws = this.#pending.split('\r').filter((segment) => segment.trim() !== '');
    if (redraws.length > 1)
      this.#pending = redraws
        .slice(-2)
        .join('\r')
        .slice(-maxFlashLineChars * 2);
    else {
      this.#pending = this.#pending.slice(0, maxFlashLineChars);
      this.#dropping = true;
    }
  }

  #take(): string {
    const line = this.#pending;
    this.#pending = '';
    this.#dropping = false;
    return line;
  }
}
