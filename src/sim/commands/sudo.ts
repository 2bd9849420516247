import type { CommandContext, CommandHandler, ShellSession } from '../shell/context.ts';

/**
 * sudo as Ubuntu's sudo 1.9 answers: `[sudo] password for <user>: ` on
 * stderr, `-S` reads the password from stdin, `-n` never prompts, three
 * tries, `Sorry, try again.`. Runs the rest as root in the same session.
 */
export function createSudo(lookup: (name: string) => CommandHandler | undefined): CommandHandler {
  return async (context) => {
    const args = context.argv.slice(1);
    const flags = new Set<string>();
    let index = 0;
    for (; index < args.length; index += 1) {
      const arg = args[index] as string;
      if (arg === '--') {
        index += 1;
        break;
      }
      if (!arg.startsWith('-')) break;
      if (arg === '-u' || arg === '-g' || arg === '-p') {
        index += 1;
        continue;
      }
      for (const letter of arg.slice(1)) flags.add(letter);
    }
    const command = args.slice(index);
    if (flags.has('k') && command.length === 0) {
      context.session.sudoValidated = false;
      return 0;
    }
    if (command.length === 0 && !flags.has('v')) {
      context.stderr.write(
        'usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-u user] command\n',
      );
      return 1;
    }
    if (!context.session.root && !context.session.sudoValidated) {
      const ok = await authenticate(context, flags.has('S'), flags.has('n'));
      if (!ok) return 1;
      context.session.sudoValidated = true;
    }
    if (command.length === 0) return 0;
    const name = command[0] as string;
    const handler = lookup(name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name);
    if (!handler) {
      context.stderr.write(`sudo: ${name}: command not found\n`);
      return 1;
    }
    const session: ShellSession = {
      ...context.session,
      root: true,
      env: { ...context.session.env, HOME: '/root', USER: 'root', LOGNAME: 'root' },
    };
    const status = await handler({ ...context, argv: command, session });
    // A `reboot` or `exit` inside sudo still ends the real session.
    if (session.exitStatus !== null) context.session.exitStatus = session.exitStatus;
    return status;
  };
}

async function authenticate(context: CommandContext, fromStdin: boolean, nonInteractive: boolean): Promise<boolean> {
  const { session } = context;
  if (nonInteractive) {
    context.stderr.write('sudo: a password is required\n');
    return false;
  }
  if (!fromStdin && !session.terminal) {
    context.stderr.write(
      'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n',
    );
    return false;
  }
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    context.stderr.write(`[sudo] password for ${session.user}: `);
    session.terminal?.setEcho(false);
    const answer = await context.stdin.readLine(context.signal);
    session.terminal?.setEcho(true);
    if (session.terminal || answer === null) context.stderr.write('\n');
    if (answer === null) {
      context.stderr.write(
        attempt === 1 ? 'sudo: no password was provided\n' : `sudo: ${attempt - 1} incorrect password attempt${attempt === 2 ? '' : 's'}\n`,
      );
      return false;
    }
    if (answer === session.board.state.password) return true;
    if (attempt < 3) context.stderr.write('Sorry, try again.\n');
  }
  context.stderr.write('sudo: 3 incorrect password attempts\n');
  return false;
}
