import {
  ShellSyntaxError,
  type CommandList,
  type Pipeline,
  type Redirection,
  type SimpleCommand,
  type Word,
  type WordPart,
} from './syntax.ts';

type Operator = ';' | '&&' | '||' | '|' | '&' | '!';
type Token =
  | { type: 'word'; word: Word; raw: string; quoted: boolean }
  | { type: 'operator'; operator: Operator }
  | { type: 'redirect'; fd: number; mode: Redirection['mode']; duplicateOf?: number };

const variableStart = /[A-Za-z_]/;
const variableChar = /[A-Za-z0-9_]/;
const specialVariables = new Set(['?', '$', '#', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const wordBreak = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>']);

/** Parses one command line (newlines count as `;`). Throws ShellSyntaxError. */
export function parseCommandLine(source: string): CommandList {
  return buildList(tokenize(source));
}

class WordBuilder {
  parts: WordPart[] = [];
  raw = '';
  started = false;
  quoted = false;

  text(value: string): void {
    this.started = true;
    const last = this.parts.at(-1);
    if (last?.kind === 'text') last.value += value;
    else this.parts.push({ kind: 'text', value });
  }

  variable(name: string): void {
    this.started = true;
    this.parts.push({ kind: 'variable', name });
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let word = new WordBuilder();

  function flushWord(): void {
    if (word.started) tokens.push({ type: 'word', word: { parts: word.parts }, raw: word.raw, quoted: word.quoted });
    word = new WordBuilder();
  }

  /** Reads `$…` at `index` (pointing at `$`) into the current word. */
  function readDollar(): void {
    const next = source[index + 1];
    if (next === '(' || next === '`') throw new ShellSyntaxError('command substitution is not supported by the simulated shell');
    if (next === '{') {
      const end = source.indexOf('}', index + 2);
      if (end < 0) throw new ShellSyntaxError('bad substitution');
      const name = source.slice(index + 2, end);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])$/.test(name)) throw new ShellSyntaxError(`\${${name}}: bad substitution`);
      word.variable(name);
      index = end + 1;
      return;
    }
    if (next !== undefined && specialVariables.has(next)) {
      word.variable(next);
      index += 2;
      return;
    }
    if (next !== undefined && variableStart.test(next)) {
      let end = index + 1;
      while (end < source.length && variableChar.test(source[end] ?? '')) end += 1;
      word.variable(source.slice(index + 1, end));
      index = end;
      return;
    }
    word.text('$');
    index += 1;
  }

  while (index < source.length) {
    const char = source[index] as string;
    if (char === '`') throw new ShellSyntaxError('command substitution is not supported by the simulated shell');
    if (!word.started && char === '#') {
      while (index < source.length && source[index] !== '\n') index += 1;
      continue;
    }
    if (char === ' ' || char === '\t') {
      flushWord();
      index += 1;
      continue;
    }
    if (char === '\n' || char === ';') {
      flushWord();
      tokens.push({ type: 'operator', operator: ';' });
      index += 1;
      continue;
    }
    if (char === '&' || char === '|') {
      flushWord();
      const doubled = source[index + 1] === char;
      tokens.push({ type: 'operator', operator: doubled ? (`${char}${char}` as Operator) : (char as Operator) });
      index += doubled ? 2 : 1;
      continue;
    }
    if (char === '<' || char === '>') {
      let fd = char === '<' ? 0 : 1;
      if (word.started && !word.quoted && /^[0-9]$/.test(word.raw)) {
        fd = Number(word.raw);
        word = new WordBuilder();
      } else flushWord();
      index += 1;
      if (char === '>' && source[index] === '>') {
        tokens.push({ type: 'redirect', fd, mode: 'append' });
        index += 1;
      } else if (source[index] === '&' && /[0-9]/.test(source[index + 1] ?? '')) {
        tokens.push({ type: 'redirect', fd, mode: 'duplicate', duplicateOf: Number(source[index + 1]) });
        index += 2;
      } else tokens.push({ type: 'redirect', fd, mode: char === '<' ? 'read' : 'write' });
      continue;
    }
    if (char === '!' && !word.started && wordBreak.has(source[index + 1] ?? ' ')) {
      tokens.push({ type: 'operator', operator: '!' });
      index += 1;
      continue;
    }
    if (char === '\\') {
      const next = source[index + 1];
      index += 2;
      word.raw += '\\';
      word.quoted = true;
      if (next === undefined) word.text('\\');
      else if (next !== '\n') word.text(next);
      continue;
    }
    if (char === "'") {
      const end = source.indexOf("'", index + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      word.text(source.slice(index + 1, end));
      word.quoted = true;
      word.raw += "'";
      index = end + 1;
      continue;
    }
    if (char === '"') {
      word.quoted = true;
      word.raw += '"';
      word.text('');
      index += 1;
      for (;;) {
        const inner = source[index];
        if (inner === undefined) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
        if (inner === '"') {
          index += 1;
          break;
        }
        if (inner === '\\' && ['$', '`', '"', '\\', '\n'].includes(source[index + 1] ?? '')) {
          if (source[index + 1] !== '\n') word.text(source[index + 1] as string);
          index += 2;
        } else if (inner === '$') readDollar();
        else if (inner === '`') throw new ShellSyntaxError('command substitution is not supported by the simulated shell');
        else {
          word.text(inner);
          index += 1;
        }
      }
      continue;
    }
    if (char === '$') {
      word.raw += '$';
      readDollar();
      continue;
    }
    if (char === '~' && !word.started && ['/', undefined, ' ', '\t', '\n', ';'].includes(source[index + 1])) {
      word.started = true;
      word.raw += '~';
      word.parts.push({ kind: 'home' });
      index += 1;
      continue;
    }
    word.text(char);
    word.raw += char;
    index += 1;
  }
  flushWord();
  return tokens;
}

function buildList(tokens: Token[]): CommandList {
  const list: CommandList = { items: [] };
  let connector: ';' | '&&' | '||' = ';';
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    if (token?.type === 'operator' && token.operator === ';') {
      if (connector !== ';') throw new ShellSyntaxError("syntax error near unexpected token `;'");
      index += 1;
      continue;
    }
    const [pipeline, next] = readPipeline(tokens, index);
    list.items.push({ connector, pipeline });
    index = next;
    const after = tokens[index];
    if (after === undefined) break;
    if (after.type !== 'operator') throw new ShellSyntaxError('syntax error');
    if (after.operator === '&') throw new ShellSyntaxError('background jobs (&) are not supported by the simulated shell');
    connector = after.operator === '&&' || after.operator === '||' ? after.operator : ';';
    index += 1;
    if (connector !== ';' && index >= tokens.length)
      throw new ShellSyntaxError(`syntax error: unexpected end of file after \`${connector}'`);
  }
  return list;
}

function readPipeline(tokens: Token[], start: number): [Pipeline, number] {
  const pipeline: Pipeline = { commands: [], negated: false };
  let index = start;
  const first = tokens[index];
  if (first?.type === 'operator' && first.operator === '!') {
    pipeline.negated = true;
    index += 1;
  }
  for (;;) {
    const [command, next] = readCommand(tokens, index);
    pipeline.commands.push(command);
    index = next;
    const after = tokens[index];
    if (after?.type === 'operator' && after.operator === '|') {
      index += 1;
      continue;
    }
    return [pipeline, index];
  }
}

function readCommand(tokens: Token[], start: number): [SimpleCommand, number] {
  const command: SimpleCommand = { assignments: [], words: [], redirections: [] };
  let index = start;
  for (;;) {
    const token = tokens[index];
    if (token === undefined || token.type === 'operator') break;
    if (token.type === 'redirect') {
      if (token.mode === 'duplicate') {
        command.redirections.push({ fd: token.fd, mode: 'duplicate', target: token.duplicateOf ?? 1 });
        index += 1;
        continue;
      }
      const target = tokens[index + 1];
      if (target?.type !== 'word') throw new ShellSyntaxError("syntax error near unexpected token `newline'");
      command.redirections.push({ fd: token.fd, mode: token.mode, target: target.word });
      index += 2;
      continue;
    }
    const assignment = command.words.length === 0 ? asAssignment(token) : null;
    if (assignment) command.assignments.push(assignment);
    else command.words.push(token.word);
    index += 1;
  }
  if (command.words.length === 0 && command.assignments.length === 0 && command.redirections.length === 0) {
    const token = tokens[index];
    const shown = token?.type === 'operator' ? token.operator : 'newline';
    throw new ShellSyntaxError(`syntax error near unexpected token \`${shown}'`);
  }
  return [command, index];
}

/** `NAME=value` before the command name (only when `NAME=` was typed unquoted). */
function asAssignment(token: Token & { type: 'word' }): { name: string; value: Word } | null {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.raw);
  const first = token.word.parts[0];
  if (!match || first?.kind !== 'text' || !first.value.startsWith(match[0])) return null;
  const rest = first.value.slice(match[0].length);
  const parts: WordPart[] = [...(rest ? [{ kind: 'text' as const, value: rest }] : []), ...token.word.parts.slice(1)];
  return { name: match[1] as string, value: { parts } };
}
