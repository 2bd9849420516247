import { readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { normalizePipName, pipCatalog, type PipPackage } from '../packages.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { pause, resolveHost } from './util.ts';

/**
 * pip3 / python3 -m pip (pip 22-era texts): install with index options,
 * versions per JetPack from packages.ts, persistent state, the resolver error
 * for unknown packages or versions, errno 28 on a full disk.
 */

const optionsWithValue = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-c',
  '--constraint',
  '--target',
  '-t',
  '--prefix',
  '--root',
  '--cache-dir',
  '--timeout',
  '--trusted-host',
]);

function parseRequirement(spec: string): { name: string; version: string | null; operator: string | null } {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(==|>=|<=|~=|!=|>|<)?\s*([^,;\s]*)/.exec(spec);
  return { name: match?.[1] ?? spec, operator: match?.[2] ?? null, version: match?.[3] || null };
}

function sitePackages(context: CommandContext, user: boolean): string {
  const short = context.session.board.profile.python.split('.').slice(0, 2).join('.');
  return user ? `/home/${context.session.user}/.local/lib/python${short}/site-packages` : `/usr/local/lib/python${short}/dist-packages`;
}

async function install(context: CommandContext, args: string[]): Promise<number> {
  const board = context.session.board;
  const indexes: string[] = [];
  const links: string[] = [];
  const requirements: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--find-links' || arg === '-f') links.push(args[++index] ?? '');
    else if (arg.startsWith('--find-links=')) links.push(arg.slice('--find-links='.length));
    else if (arg === '--index-url' || arg === '-i') indexes.unshift(args[++index] ?? '');
    else if (arg === '--extra-index-url') indexes.push(args[++index] ?? '');
    else if (arg.startsWith('--index-url=') || arg.startsWith('--extra-index-url=')) indexes.push(arg.slice(arg.indexOf('=') + 1));
    else if (optionsWithValue.has(arg)) index += 1;
    else if (!arg.startsWith('-')) requirements.push(arg);
  }
  if (requirements.length === 0) {
    context.stderr.write('ERROR: You must give at least one requirement to install (see "pip help install")\n');
    return 1;
  }
  const user = !context.session.root;
  if (user) println(context.stdout, 'Defaulting to user installation because normal site-packages is not writeable');
  if (indexes.length > 0)
    println(
      context.stdout,
      `Looking in indexes: ${(args.includes('--index-url') || args.includes('-i') ? indexes : ['https://pypi.org/simple', ...indexes]).join(', ')}`,
    );
  const catalog = new Map(pipCatalog(board.profile).map((item) => [normalizePipName(item.name), item]));
  if (args.includes('--no-index')) return installFromLinks(context, requirements, links, catalog);
  const toInstall = [];
  for (const spec of requirements) {
    const requirement = parseRequirement(spec);
    const item = catalog.get(normalizePipName(requirement.name));
    const installed = item ? board.state.pip[item.name] : undefined;
    if (item && installed !== undefined && (requirement.operator !== '==' || requirement.version === installed)) {
      println(context.stdout, `Requirement already satisfied: ${requirement.name} in ${sitePackages(context, user)} (${installed})`);
      continue;
    }
    if (!item || (requirement.operator === '==' && requirement.version !== item.version)) {
      context.stderr.write(
        `ERROR: Could not find a version that satisfies the requirement ${spec} (from versions: ${item ? item.version : 'none'})\nERROR: No matching distribution found for ${requirement.name}\n`,
      );
      return 1;
    }
    println(context.stdout, `Collecting ${spec}`);
    const tag = `cp${board.profile.python.split('.').slice(0, 2).join('')}`;
    const platform = board.profile.arch === 'aarch64' ? 'linux_aarch64' : 'manylinux_2_17_x86_64';
    println(
      context.stdout,
      `  Downloading ${item.name.replaceAll('-', '_')}-${item.version}-${tag}-${tag}-${platform}.whl (${item.sizeMb.toFixed(1)} MB)`,
    );
    if (!(await pause(5, context.signal))) return 130;
    println(context.stdout, `     ${'━'.repeat(40)} ${item.sizeMb.toFixed(1)}/${item.sizeMb.toFixed(1)} MB 25.3 MB/s eta 0:00:00`);
    toInstall.push(item);
  }
  return installCollected(context, toInstall);
}

function installCollected(context: CommandContext, toInstall: PipPackage[]): number {
  const board = context.session.board;
  if (toInstall.length === 0) return 0;
  println(context.stdout, `Installing collected packages: ${toInstall.map((item) => item.name).join(', ')}`);
  const needed = toInstall.reduce((sum, item) => sum + item.sizeMb, 0);
  if (board.diskFreeMb() < needed) {
    context.stderr.write('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n\n');
    return 1;
  }
  for (const item of toInstall) {
    board.state.pip[item.name] = item.version;
    board.state.usedMb += item.sizeMb;
  }
  board.saveState();
  board.refreshPythonModules();
  println(context.stdout, `Successfully installed ${toInstall.map((item) => `${item.name}-${item.version}`).join(' ')}`);
  return 0;
}

/** A wheel file (`name-version-…whl`) in the `--find-links` folders, or a wheel path given as the requirement. */
function findWheel(context: CommandContext, spec: string, links: string[]): { path: string; name: string; version: string } | null {
  const requirement = parseRequirement(spec);
  const candidates = spec.endsWith('.whl')
    ? [spec]
    : links.flatMap((folder) => {
        try {
          return readdirSync(resolveHost(context, folder)).map((file) => posix.join(folder, file));
        } catch {
          return [];
        }
      });
  for (const path of candidates.sort().reverse()) {
    const [dist, version] = posix.basename(path).split('-');
    if (!path.endsWith('.whl') || dist === undefined || version === undefined) continue;
    if (!spec.endsWith('.whl') && normalizePipName(dist) !== normalizePipName(requirement.name)) continue;
    if (requirement.operator === '==' && requirement.version !== version) continue;
    try {
      if (statSync(resolveHost(context, path)).isFile()) return { path, name: dist, version };
    } catch {
      continue;
    }
  }
  return null;
}

/** `--no-index`: only wheels in the `--find-links` folders count, as pip does on a board without internet. */
function installFromLinks(context: CommandContext, requirements: string[], links: string[], catalog: Map<string, PipPackage>): number {
  const board = context.session.board;
  const user = !context.session.root;
  if (links.length > 0) println(context.stdout, `Looking in links: ${links.join(', ')}`);
  const toInstall: PipPackage[] = [];
  for (const spec of requirements) {
    const wheel = findWheel(context, spec, links);
    const name = wheel?.name ?? parseRequirement(spec).name;
    const item = catalog.get(normalizePipName(name));
    const installed = item ? board.state.pip[item.name] : undefined;
    if (wheel && installed === wheel.version) {
      println(context.stdout, `Requirement already satisfied: ${name} in ${sitePackages(context, user)} (${installed})`);
      continue;
    }
    if (!wheel) {
      context.stderr.write(
        `ERROR: Could not find a version that satisfies the requirement ${spec} (from versions: none)\nERROR: No matching distribution found for ${name}\n`,
      );
      return 1;
    }
    println(context.stdout, `Processing ${wheel.path}`);
    toInstall.push(
      item
        ? { ...item, version: wheel.version }
        : { name: wheel.name, version: wheel.version, sizeMb: 1, module: wheel.name, simulated: true },
    );
  }
  return installCollected(context, toInstall);
}

function list(context: CommandContext): number {
  const rows = Object.entries(context.session.board.state.pip).sort(([a], [b]) => a.localeCompare(b));
  println(context.stdout, `${'Package'.padEnd(20)} Version\n${'-'.repeat(20)} ${'-'.repeat(12)}`);
  for (const [name, version] of rows) println(context.stdout, `${name.padEnd(20)} ${version}`);
  return 0;
}

function show(context: CommandContext, names: string[]): number {
  for (const name of names) {
    const entry = Object.entries(context.session.board.state.pip).find(
      ([installed]) => normalizePipName(installed) === normalizePipName(name),
    );
    if (!entry) {
      context.stderr.write(`WARNING: Package(s) not found: ${name}\n`);
      return 1;
    }
    println(context.stdout, `Name: ${entry[0]}\nVersion: ${entry[1]}\nLocation: ${sitePackages(context, true)}`);
  }
  return 0;
}

export async function runPip(context: CommandContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const python = context.session.board.profile.python.split('.').slice(0, 2).join('.');
  if (verb === '--version' || verb === '-V') {
    println(context.stdout, `pip 22.0.2 from /usr/lib/python3/dist-packages/pip (python ${python})`);
    return 0;
  }
  if (verb === 'install') return install(context, rest);
  if (verb === 'list' || verb === 'freeze') return list(context);
  if (verb === 'show')
    return show(
      context,
      rest.filter((arg) => !arg.startsWith('-')),
    );
  context.stderr.write(`ERROR: unknown command "${verb ?? ''}"\n`);
  return 1;
}

export const pipCommands: Record<string, CommandHandler> = {
  pip3: (context) => runPip(context, context.argv.slice(1)),
  pip: (context) => runPip(context, context.argv.slice(1)),
};
