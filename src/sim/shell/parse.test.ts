import { describe, expect, it } from 'vitest';
import { commandLine, quoteArg } from '../../shared/shell-quote.ts';
import { parseCommandLine } from './parse.ts';
import type { Word } from './syntax.ts';

function literal(word: Word): string {
  return word.parts.map((part) => (part.kind === 'text' ? part.value : part.kind === 'home' ? '~' : `$${part.name}`)).join('');
}

function argvOf(line: string): string[] {
  const list = parseCommandLine(line);
  expect(list.items).toHaveLength(1);
  const command = list.items[0]?.pipeline.commands[0];
  return (command?.words ?? []).map(literal);
}

/** Deterministic generator so a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const hostile = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  ';',
  '&',
  '|',
  '>',
  '<',
  '(',
  ')',
  '*',
  '?',
  '~',
  '#',
  ' ',
  '\t',
  '\n',
  '!',
  '{',
  '}',
  '$(',
  '${HOME}',
  'é',
  '✓',
  '=',
  '-',
  'a',
  'Z',
  '0',
  '%',
  '@',
];

describe('parseCommandLine', () => {
  it('round-trips every argv that commandLine() quotes (fuzz, 2000 cases)', () => {
    const next = random(42);
    for (let round = 0; round < 2000; round += 1) {
      // The program name stays a plain word: a first word like `Z=` is an assignment in any
      // POSIX shell (see the test below), which is how bash reads it too.
      const argv = [
        'cmd',
        ...Array.from({ length: Math.floor(next() * 4) }, () =>
          Array.from({ length: Math.floor(next() * 8) }, () => hostile[Math.floor(next() * hostile.length)] as string).join(''),
        ),
      ];
      const line = commandLine(...argv);
      const parsed = argvOf(line);
      expect(parsed, line).toEqual(argv);
    }
  });

  it('reads a leading NAME=value as an assignment, as bash does', () => {
    const command = parseCommandLine('A=1 B="x y" env').items[0]?.pipeline.commands[0];
    expect(command?.assignments.map((assignment) => [assignment.name, literal(assignment.value)])).toEqual([
      ['A', '1'],
      ['B', 'x y'],
    ]);
    expect(command?.words.map(literal)).toEqual(['env']);
  });

  it('reads quotes, escapes and variables', () => {
    expect(argvOf(`echo 'a b' "c $HOME" d\\ e ${quoteArg("it's")}`)).toEqual(['echo', 'a b', 'c $HOME', 'd e', "it's"]);
  });

  it('splits lists, pipelines and redirections', () => {
    const list = parseCommandLine('a && b || c; d | e > out 2>&1');
    expect(list.items.map((item) => item.connector)).toEqual([';', '&&', '||', ';']);
    const last = list.items[3]?.pipeline;
    expect(last?.commands).toHaveLength(2);
    expect(last?.commands[1]?.redirections).toEqual([
      { fd: 1, mode: 'write', target: { parts: [{ kind: 'text', value: 'out' }] } },
      { fd: 2, mode: 'duplicate', target: 1 },
    ]);
  });

  it('rejects what it does not support instead of guessing', () => {
    expect(() => parseCommandLine('echo $(id)')).toThrow(/not supported/);
    expect(() => parseCommandLine("echo 'open")).toThrow(/unexpected EOF/);
    expect(() => parseCommandLine('a &&')).toThrow(/syntax error/);
  });
});
