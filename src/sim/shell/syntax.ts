/**
 * The command-line syntax tree of the simulated board's shell: a small POSIX
 * subset (quotes, backslash, `;` `&&` `||` `|`, redirections, `$VAR` and `$?`).
 * Enough for what people and the workbench type at a Jetson, and exactly
 * enough to read back everything `src/shared/shell-quote.ts` writes.
 */

/** One piece of a word: literal text, or a variable expanded when the command runs. */
export type WordPart = { kind: 'text'; value: string } | { kind: 'variable'; name: string } | { kind: 'home' };

export interface Word {
  parts: WordPart[];
}

export interface Redirection {
  /** 0 = stdin, 1 = stdout, 2 = stderr. */
  fd: number;
  mode: 'read' | 'write' | 'append' | 'duplicate';
  /** A file word, or for `duplicate` the target descriptor (`2>&1`). */
  target: Word | number;
}

export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirections: Redirection[];
}

export interface Pipeline {
  commands: SimpleCommand[];
  /** `! cmd`: invert the exit status. */
  negated: boolean;
}

/** A list: pipelines joined by `;`, `&&` or `||`. The first item's connector is `;`. */
export interface CommandList {
  items: { connector: ';' | '&&' | '||'; pipeline: Pipeline }[];
}

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError';
}
