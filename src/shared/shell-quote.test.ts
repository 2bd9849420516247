import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine, quoteArg } from './shell-quote.ts';

/** Strings chosen to break naive quoting, plus random bytes. */
function hostileStrings(count: number, seed = 42): string[] {
  const fixed = [
    '',
    ' ',
    "'",
    '"',
    "''",
    `'"'"'`,
    '$(reboot)',
    '`id`',
    '$HOME',
    '${IFS}',
    'a;b',
    'a&&b',
    'a|b',
    'a\nb',
    '\\',
    '*',
    '~',
    '-rf /',
    '#x',
    '!!',
    'é ü 中文 😀',
    '\t',
    'a\rb',
  ];
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff), state / 0x7fffffff);
  const alphabet = ` !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~\n\tazAZ09é`;
  const generated = Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
  );
  return [...fixed, ...generated];
}

describe('quoteArg', () => {
  it('leaves plain words alone and quotes everything else', () => {
    expect(quoteArg('nvpmodel')).toBe('nvpmodel');
    expect(quoteArg('/usr/bin/python3.10')).toBe('/usr/bin/python3.10');
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe(`'it'"'"'s'`);
    expect(quoteArg('')).toBe("''");
  });

  it('refuses a NUL byte, which no shell argument can hold', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });

  it('survives a real POSIX shell: every hostile string comes back byte for byte', () => {
    const inputs = hostileStrings(300);
    const script = `printf '%s\\0' ${inputs.map(quoteArg).join(' ')}`;
    const output = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(output.split('\0').slice(0, -1)).toEqual(inputs);
  });
});

describe('commandLine', () => {
  it('quotes every argument, the program name included', () => {
    expect(commandLine('sudo', '-S', 'nvpmodel', '-m', '0')).toBe('sudo -S nvpmodel -m 0');
    expect(commandLine('pip3', 'install', 'torch; reboot')).toBe("pip3 install 'torch; reboot'");
    expect(() => commandLine()).toThrow();
  });
});
