import { aptCatalog } from '../packages.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';

/** dpkg -l / -s and dpkg-query over the board's persisted apt state (Ubuntu's dpkg texts). */

function installed(context: CommandContext): [string, string][] {
  return Object.entries(context.session.board.state.apt).sort(([a], [b]) => a.localeCompare(b));
}

function describe(context: CommandContext, name: string): string {
  return aptCatalog(context.session.board.profile).find((item) => item.name === name)?.description ?? `${name} package`;
}

function architecture(context: CommandContext): string {
  return context.session.board.profile.arch === 'aarch64' ? 'arm64' : 'amd64';
}

function globToRegex(pattern: string): RegExp {
  const escaped = pattern
    .replaceAll(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`);
}

function list(context: CommandContext, patterns: string[]): number {
  const rows = installed(context).filter(([name]) => patterns.length === 0 || patterns.some((pattern) => globToRegex(pattern).test(name)));
  if (rows.length === 0) {
    for (const pattern of patterns) context.stderr.write(`dpkg-query: no packages found matching ${pattern}\n`);
    return 1;
  }
  println(context.stdout, 'Desired=Unknown/Install/Remove/Purge/Hold');
  println(context.stdout, '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend');
  println(context.stdout, '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)');
  println(context.stdout, '||/ Name                      Version                          Architecture Description');
  println(
    context.stdout,
    '+++-=========================-================================-============-===============================================',
  );
  for (const [name, version] of rows) {
    println(context.stdout, `ii  ${name.padEnd(25)} ${version.padEnd(32)} ${architecture(context).padEnd(12)} ${describe(context, name)}`);
  }
  return 0;
}

function status(context: CommandContext, names: string[]): number {
  let result = 0;
  for (const name of names) {
    const version = context.session.board.state.apt[name];
    if (version === undefined) {
      context.stderr.write(
        `dpkg-query: package '${name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files.\n`,
      );
      result = 1;
      continue;
    }
    println(
      context.stdout,
      `Package: ${name}\nStatus: install ok installed\nPriority: optional\nSection: misc\nArchitecture: ${architecture(context)}\nVersion: ${version}\nDescription: ${describe(context, name)}`,
    );
    if (names.length > 1) println(context.stdout);
  }
  return result;
}

function show(context: CommandContext, format: string, names: string[]): number {
  let result = 0;
  for (const name of names) {
    const version = context.session.board.state.apt[name];
    if (version === undefined) {
      context.stderr.write(`dpkg-query: no packages found matching ${name}\n`);
      result = 1;
      continue;
    }
    const fields: Record<string, string> = {
      Package: name,
      Version: version,
      Status: 'install ok installed',
      Architecture: architecture(context),
      'binary:Package': name,
    };
    context.stdout.write(
      format
        .replaceAll(/\$\{([^}]+)\}/g, (_, field: string) => fields[field] ?? '')
        .replaceAll('\\n', '\n')
        .replaceAll('\\t', '\t'),
    );
  }
  return result;
}

async function dpkgQuery(context: CommandContext): Promise<number> {
  const args = context.argv.slice(1);
  let format = '${binary:Package}\t${Version}\n';
  let mode: 'list' | 'status' | 'show' = 'list';
  const names: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '-l' || arg === '--list') mode = 'list';
    else if (arg === '-s' || arg === '--status') mode = 'status';
    else if (arg === '-W' || arg === '--show') mode = 'show';
    else if (arg === '-f' || arg === '--showformat') format = args[++index] ?? format;
    else if (arg.startsWith('--showformat=')) format = arg.slice('--showformat='.length);
    else names.push(arg);
  }
  if (mode === 'status') return status(context, names);
  if (mode === 'show') return show(context, format, names);
  return list(context, names);
}

export const dpkgCommands: Record<string, CommandHandler> = { dpkg: dpkgQuery, 'dpkg-query': dpkgQuery };
