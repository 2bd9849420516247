/**
 * The one way a remote command line is built. Every argument is single-quoted
 * for a POSIX shell unless it is made only of characters no shell treats
 * specially, so user input (a file name, a password prompt answer, a package
 * name) can never become shell syntax on the board.
 */
// '=' is not safe: a first word like 'A=b' would be read as a variable assignment.
const safeWord = /^[A-Za-z0-9_@%+:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte');
  if (arg !== '' && safeWord.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** `commandLine('ls', '-l', name)` → `ls -l 'my file'`. */
export function commandLine(...argv: string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least a program name');
  return argv.map(quoteArg).join(' ');
}
