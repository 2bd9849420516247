/**
 * Line numbers for a JSON file's errors: JSON.parse and zod say what is
 * wrong, not where. A teacher fixing a lab file in an editor needs the line.
 */

/** The line (from 1) where the value at `path` starts, or where its nearest present parent does. */
export function locateJsonPath(text: string, path: ReadonlyArray<PropertyKey>): number | null {
  const starts = new Map<string, number>();
  try {
    new Scanner(text, starts).value([]);
  } catch {
    return null; // Only called on text JSON.parse accepted; a scanner bug must not hide the error itself.
  }
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const start = starts.get(keyOf(path.slice(0, depth)));
    if (start !== undefined) return lineAt(text, start);
  }
  return null;
}

/** The line of a JSON.parse error: V8 says "at position N", newer ones "(line L column C)" too. */
export function jsonSyntaxLine(text: string, message: string): number | null {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAt(text, Number(position[1]));
  return /Unexpected end of JSON input/.test(message) ? lineAt(text, text.length) : null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = 0; at < offset && at < text.length; at += 1) if (text.charCodeAt(at) === 10) line += 1;
  return line;
}

function keyOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('\u0000');
}

/** Walks text JSON.parse accepted and records where each value (for a member: its key) starts. */
class Scanner {
  #at = 0;
  readonly #text: string;
  readonly #starts: Map<string, number>;

  constructor(text: string, starts: Map<string, number>) {
    this.#text = text;
    this.#starts = starts;
  }

  value(path: PropertyKey[], start?: number): void {
    this.#space();
    if (!this.#starts.has(keyOf(path))) this.#starts.set(keyOf(path), start ?? this.#at);
    const char = this.#text[this.#at];
    if (char === '{') this.#object(path);
    else if (char === '[') this.#array(path);
    else if (char === '"') this.#string();
    else this.#at = this.#text.slice(this.#at).search(/[,\]}\s]|$/) + this.#at;
  }

  #object(path: PropertyKey[]): void {
    this.#at += 1;
    for (this.#space(); this.#text[this.#at] !== '}'; this.#space()) {
      const keyStart = this.#at;
      const key = this.#string();
      this.#space();
      this.#at += 1; // the colon
      this.value([...path, key], keyStart);
      this.#space();
      if (this.#text[this.#at] === ',') this.#at += 1;
    }
    this.#at += 1;
  }

  #array(path: PropertyKey[]): void {
    this.#at += 1;
    this.#space();
    for (let index = 0; this.#text[this.#at] !== ']'; index += 1, this.#space()) {
      this.value([...path, index]);
      this.#space();
      if (this.#text[this.#at] === ',') this.#at += 1;
    }
    this.#at += 1;
  }

  #string(): string {
    const start = this.#at;
    for (this.#at += 1; this.#text[this.#at] !== '"'; this.#at += 1) if (this.#text[this.#at] === '\\') this.#at += 1;
    this.#at += 1;
    return JSON.parse(this.#text.slice(start, this.#at)) as string;
  }

  #space(): void {
    while (/\s/.test(this.#text[this.#at] ?? '')) this.#at += 1;
  }
}
