/**
 * `jwb`: the workbench core without a window. Every command prints text for a
 * person and offers `--json` for scripts.
 */
import { serveCommand } from './commands/serve.ts';
import { versionCommand } from './commands/version.ts';
import { UsageError, type CliCommand, type CliIo } from './command.ts';

const commands: CliCommand[] = [versionCommand, serveCommand];

export function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'jwb: Jetson Workbench from the command line',
    '',
    'Usage: jwb <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `jwb <command> --help` for the options of one command. Every command accepts --json.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return 0;
  }
  if (name === '--version' || name === '-v') return versionCommand.run([], io);
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`jwb: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`jwb ${command.name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}
