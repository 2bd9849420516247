import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { aptCatalog, type AptPackage } from '../packages.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { pause, resolveHost } from './util.ts';

/**
 * apt-get / apt on Ubuntu (22.04 texts): update, install with the real
 * progress lines, persistent state, `E: Unable to locate package`, the
 * dpkg failure on a full disk, and the lock error without root.
 */

const step = 5;

function arch(context: CommandContext): string {
  return context.session.board.profile.arch === 'aarch64' ? 'arm64' : 'amd64';
}

function mirror(context: CommandContext): string {
  return context.session.board.profile.arch === 'aarch64' ? 'http://ports.ubuntu.com/ubuntu-ports' : 'http://archive.ubuntu.com/ubuntu';
}

function lockError(context: CommandContext): number {
  context.stderr.write(
    'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n',
  );
  return 100;
}

async function update(context: CommandContext): Promise<number> {
  if (!context.session.root) {
    context.stderr.write(
      'Reading package lists... Done\nE: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n',
    );
    return 100;
  }
  const l4t = context.session.board.profile.l4t;
  const lines = [`Hit:1 ${mirror(context)} jammy InRelease`, `Get:2 ${mirror(context)} jammy-updates InRelease [128 kB]`];
  if (l4t) lines.push(`Hit:3 https://repo.download.nvidia.com/jetson/common r${l4t.split('.').slice(0, 2).join('.')} InRelease`);
  lines.push('Fetched 128 kB in 1s (131 kB/s)', 'Reading package lists... Done');
  for (const line of lines) {
    println(context.stdout, line);
    if (!(await pause(step, context.signal))) return 130;
  }
  return 0;
}

function kb(mb: number): string {
  return mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.round(mb * 1024)} kB`;
}

/**
 * Local archives (`./name_version_arch.deb`, any path with a `/`): installed from
 * the file, as apt does on a board without internet. Returns the package names
 * to carry on with, or an exit status when a file is missing.
 */
function localDebs(context: CommandContext, names: string[]): string[] | number {
  const board = context.session.board;
  const catalog = new Map(aptCatalog(board.profile).map((item) => [item.name, item]));
  for (const path of names.filter((name) => name.includes('/') && name.endsWith('.deb'))) {
    let found: boolean;
    try {
      found = statSync(resolveHost(context, path)).isFile();
    } catch {
      found = false;
    }
    const [name, version] = posix.basename(path, '.deb').split('_');
    if (!found || name === undefined || version === undefined) {
      context.stderr.write(`E: Unsupported file ${path} given on commandline\n`);
      return 100;
    }
    println(context.stdout, `Note, selecting '${name}' instead of '${path}'`);
    if (board.state.apt[name] === undefined) board.state.usedMb += catalog.get(name)?.sizeMb ?? 1;
    board.state.apt[name] = version;
    println(context.stdout, `Unpacking ${name} (${version}) ...\nSetting up ${name} (${version}) ...`);
  }
  return names.filter((name) => !(name.includes('/') && name.endsWith('.deb')));
}

async function install(context: CommandContext, requested: string[], assumeYes: boolean): Promise<number> {
  if (!context.session.root) return lockError(context);
  const board = context.session.board;
  const catalog = new Map(aptCatalog(board.profile).map((item) => [item.name, item]));
  println(context.stdout, 'Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done');
  const names = localDebs(context, requested);
  if (typeof names === 'number') return names;
  if (names.length < requested.length) {
    board.saveState();
    board.refreshPythonModules();
    if (names.length === 0) return 0;
  }
  const unknown = names.filter((name) => !catalog.has(name) && board.state.apt[name] === undefined);
  if (unknown.length > 0) {
    for (const name of unknown) context.stderr.write(`E: Unable to locate package ${name}\n`);
    return 100;
  }
  const wanted: AptPackage[] = [];
  const visit = (name: string): void => {
    const item = catalog.get(name);
    if (!item || board.state.apt[name] !== undefined || wanted.includes(item)) return;
    item.depends.forEach(visit);
    wanted.push(item);
  };
  for (const name of names) {
    const version = board.state.apt[name];
    if (version !== undefined) println(context.stdout, `${name} is already the newest version (${version}).`);
    visit(name);
  }
  if (wanted.length === 0) {
    println(context.stdout, '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.');
    return 0;
  }
  const extra = wanted.filter((item) => !names.includes(item.name));
  if (extra.length > 0)
    println(context.stdout, `The following additional packages will be installed:\n  ${extra.map((item) => item.name).join(' ')}`);
  println(context.stdout, `The following NEW packages will be installed:\n  ${wanted.map((item) => item.name).join(' ')}`);
  const totalMb = wanted.reduce((sum, item) => sum + item.sizeMb, 0);
  println(context.stdout, `0 upgraded, ${wanted.length} newly installed, 0 to remove and 0 not upgraded.`);
  println(
    context.stdout,
    `Need to get ${kb(totalMb / 3)} of archives.\nAfter this operation, ${kb(totalMb)} of additional disk space will be used.`,
  );
  if (extra.length > 0 && !assumeYes) {
    context.stdout.write('Do you want to continue? [Y/n] ');
    const answer = (await context.stdin.readLine(context.signal))?.trim().toLowerCase();
    if (answer === undefined || (answer !== '' && answer !== 'y' && answer !== 'yes')) {
      println(context.stdout, 'Abort.');
      return 1;
    }
  }
  for (const [index, item] of wanted.entries()) {
    println(
      context.stdout,
      `Get:${index + 1} ${mirror(context)} jammy/main ${arch(context)} ${item.name} ${arch(context)} ${item.version} [${kb(item.sizeMb / 3)}]`,
    );
    if (!(await pause(step, context.signal))) return 130;
  }
  println(context.stdout, `Fetched ${kb(totalMb / 3)} in 2s (${kb(totalMb / 6)}/s)`);
  println(context.stdout, '(Reading database ... 186342 files and directories currently installed.)');
  for (const item of wanted) {
    const archive = `/var/cache/apt/archives/${item.name}_${item.version.replace(':', '%3a')}_${arch(context)}.deb`;
    println(
      context.stdout,
      `Selecting previously unselected package ${item.name}.\nPreparing to unpack .../${archive.slice(archive.lastIndexOf('/') + 1)} ...\nUnpacking ${item.name} (${item.version}) ...`,
    );
    if (board.diskFreeMb() < item.sizeMb) {
      context.stderr.write(
        `dpkg: error processing archive ${archive} (--unpack):\n cannot copy extracted data for './usr/share/doc/${item.name}/copyright' to '/usr/share/doc/${item.name}/copyright.dpkg-new': failed to write (No space left on device)\n`,
      );
      context.stderr.write(`No apport report written because the error message indicates a disk full error\n`);
      println(context.stdout, `Errors were encountered while processing:\n ${archive}`);
      context.stderr.write('E: Sub-process /usr/bin/dpkg returned an error code (1)\n');
      board.saveState();
      return 100;
    }
    board.state.apt[item.name] = item.version;
    board.state.usedMb += item.sizeMb;
    if (!(await pause(step, context.signal))) break;
  }
  for (const item of wanted) println(context.stdout, `Setting up ${item.name} (${item.version}) ...`);
  println(context.stdout, 'Processing triggers for man-db (2.10.2-1) ...\nProcessing triggers for libc-bin (2.35-0ubuntu3.8) ...');
  board.saveState();
  board.refreshPythonModules();
  return 0;
}

function aptCommand(frontend: 'apt-get' | 'apt'): CommandHandler {
  return async (context) => {
    const args = context.argv.slice(1);
    if (frontend === 'apt') context.stderr.write('\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n');
    const assumeYes = args.some((arg) => arg === '-y' || arg === '--yes' || arg === '--assume-yes' || arg === '-qy' || arg === '-yq');
    const operands = args.filter((arg) => !arg.startsWith('-'));
    const [verb, ...names] = operands;
    if (verb === 'update') return update(context);
    if (verb === 'install') return install(context, names, assumeYes);
    if (verb === 'upgrade')
      return context.session.root
        ? (println(context.stdout, 'Reading package lists... Done\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'), 0)
        : lockError(context);
    context.stderr.write(`E: Invalid operation ${verb ?? ''}\n`);
    return 100;
  };
}

export const aptCommands: Record<string, CommandHandler> = { 'apt-get': aptCommand('apt-get'), apt: aptCommand('apt') };
