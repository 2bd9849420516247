import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { RecipeStep, SupportedPlan } from '../../shared/install/recipe.ts';
import { commandLine } from '../../shared/shell-quote.ts';

/**
 * Installing on a board without internet (issue 7, "Offline boards"): the
 * recipe's pip and apt steps are served from a local folder of `.whl` / `.deb`
 * files, uploaded to `~/.jwb/offline/` and installed from there
 * (`pip3 install --no-index --find-links DIR`, `apt-get install ./file.deb`).
 * This file only plans: which files each step needs, what is missing and the
 * exact commands that fetch it on a computer that has internet.
 */

/** Where the files go on the board, under the login user's home. */
export const offlineFolderName = '.jwb/offline';

/** pip options followed by a value: their value is not a requirement. */
const pipOptionsWithValue = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-c',
  '--constraint',
  '--target',
  '-t',
]);
const pipIndexOptions = new Set(['-i', '--index-url', '--extra-index-url']);

export interface OfflineStep {
  /** Index into the plan's steps. */
  index: number;
  /** Null: the step needs the internet and nothing offline (`apt-get update`), so it is skipped. */
  files: string[] | null;
  kind: 'pip' | 'apt';
  sudo: boolean;
  /** pip requirements as the recipe gives them (a name, `name==1.2`, or a wheel URL). */
  requirements: string[];
}

export interface OfflinePlan {
  localDir: string;
  steps: OfflineStep[];
  /** Every file needed, once each. */
  files: string[];
}

export interface Missing {
  pip: Array<{ requirements: string[]; indexOptions: string[] }>;
  apt: string[];
}

/** `Jetson-Stats` / `jetson_stats` / `jetson.stats` alike, as in a wheel file name (PEP 427/503). */
export function wheelName(name: string): string {
  return name.toLowerCase().replaceAll(/[-_.]+/g, '_');
}

function parseRequirement(spec: string): { name: string; version: string | null } {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(==)?\s*([^,;\s]*)/.exec(spec);
  return { name: match?.[1] ?? spec, version: match?.[2] === '==' ? match[3] || null : null };
}

/** The wheel in `files` that satisfies a requirement: a URL's own file name, else a `.whl` of that name (and `==` version). */
export function wheelFor(requirement: string, files: readonly string[]): string | null {
  if (requirement.includes('://')) {
    const name = decodeURIComponent(requirement.slice(requirement.lastIndexOf('/') + 1).split(/[?#]/)[0] ?? '');
    return files.includes(name) ? name : null;
  }
  const { name, version } = parseRequirement(requirement);
  const matches = files.filter((file) => {
    if (!file.endsWith('.whl')) return false;
    const [dist, fileVersion] = file.split('-');
    return dist !== undefined && wheelName(dist) === wheelName(name) && (version === null || fileVersion === version);
  });
  return matches.sort().at(-1) ?? null;
}

/** The `.deb` in `files` for an apt package (`name_version_arch.deb`, the name `apt-get download` writes). */
export function debFor(pkg: string, files: readonly string[]): string | null {
  return (
    files
      .filter((file) => file.endsWith('.deb') && file.split('_')[0] === pkg)
      .sort()
      .at(-1) ?? null
  );
}

function pipArguments(argv: readonly string[]): { requirements: string[]; indexOptions: string[] } {
  const start = argv.indexOf('install');
  const requirements: string[] = [];
  const indexOptions: string[] = [];
  for (let index = start + 1; start >= 0 && index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (pipOptionsWithValue.has(arg)) {
      if (pipIndexOptions.has(arg)) indexOptions.push(arg, argv[index + 1] ?? '');
      index += 1;
    } else if (!arg.startsWith('-')) requirements.push(arg);
  }
  return { requirements, indexOptions };
}

function aptPackages(argv: readonly string[]): { verb: string | undefined; packages: string[] } {
  const [verb, ...packages] = argv.slice(1).filter((arg) => !arg.startsWith('-'));
  return { verb, packages };
}

/**
 * The offline folder as the user named it, checked before an install starts
 * (by the service for `install.start`, by `jwb install --offline`): it must
 * exist and be a folder. Returns it unchanged.
 */
export function checkOfflineFolder(localDir: string): string {
  let stats;
  try {
    stats = statSync(localDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new WorkbenchFailure('not-found', `The offline folder ${localDir} does not exist on this computer.`, String(error));
    throw new WorkbenchFailure('not-found', `The offline folder ${localDir} cannot be read.`, String(error));
  }
  if (!stats.isDirectory())
    throw new WorkbenchFailure(
      'invalid-request',
      `${localDir} is a file, not a folder: give the folder that holds the .whl and .deb files.`,
    );
  return localDir;
}

/**
 * Checks that the folder holds a file for every pip and apt step of the plan.
 * Throws `not-found` listing what is missing and the commands that fetch it.
 */
export function planOffline(plan: SupportedPlan, localDir: string): OfflinePlan {
  const { steps, missing } = offlineSteps(plan, localDir);
  if (missing.pip.length > 0 || missing.apt.length > 0)
    throw new WorkbenchFailure('not-found', missingMessage(localDir, missing, plan.prerequisites.python));
  const files = [...new Set(steps.flatMap((step) => step.files ?? []))];
  return { localDir, steps, files };
}

/** What the plan's pip and apt steps need from the folder, and what it lacks. */
export function offlineSteps(plan: SupportedPlan, localDir: string): { steps: OfflineStep[]; missing: Missing } {
  let available: string[];
  try {
    available = readdirSync(localDir);
  } catch (error) {
    throw new WorkbenchFailure('not-found', `The offline folder ${localDir} cannot be read.`, String(error));
  }
  const missing: Missing = { pip: [], apt: [] };
  const steps: OfflineStep[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const offline = offlineStep(step, index, available, missing);
    if (offline) steps.push(offline);
  }
  return { steps, missing };
}

function offlineStep(step: RecipeStep, index: number, available: string[], missing: Missing): OfflineStep | null {
  const sudo = step.sudo ?? false;
  if (step.kind === 'pip') {
    const { requirements, indexOptions } = pipArguments(step.argv);
    const found = requirements.map((requirement) => wheelFor(requirement, available));
    const absent = requirements.filter((_, position) => found[position] === null);
    if (absent.length > 0) missing.pip.push({ requirements: absent, indexOptions });
    return { index, kind: 'pip', sudo, requirements, files: found.filter((file) => file !== null) };
  }
  if (step.kind === 'apt') {
    const { verb, packages } = aptPackages(step.argv);
    if (verb !== 'install') return { index, kind: 'apt', sudo, requirements: [], files: null };
    const found = packages.map((pkg) => debFor(pkg, available));
    missing.apt.push(...packages.filter((_, position) => found[position] === null));
    return { index, kind: 'apt', sudo, requirements: packages, files: found.filter((file) => file !== null) };
  }
  return null;
}

/** What to run where there is internet, for a jetson (aarch64) board. */
/** `pip download` arguments that fetch wheels for a Jetson (aarch64) with the board's Python, from any computer. */
export function pipDownloadArguments(entry: Missing['pip'][number], localDir: string, python: string): string[] {
  return [
    'download',
    ...entry.requirements,
    ...entry.indexOptions,
    '--platform',
    'manylinux2014_aarch64',
    '--python-version',
    python,
    '--only-binary=:all:',
    '-d',
    localDir,
  ];
}

export function downloadCommands(localDir: string, missing: Missing, python: string): string[] {
  const pip = missing.pip.map((entry) => commandLine('pip', ...pipDownloadArguments(entry, localDir, python)));
  // `apt-get download` writes into the current folder; run it on an arm64 Ubuntu of the board's release.
  const apt = missing.apt.length > 0 ? [`cd ${commandLine(localDir)} && ${commandLine('apt-get', 'download', ...missing.apt)}`] : [];
  return [...pip, ...apt];
}

function missingMessage(localDir: string, missing: Missing, python: string): string {
  const names = [...missing.pip.flatMap((entry) => entry.requirements), ...missing.apt.map((pkg) => `${pkg} (.deb)`)];
  return [
    `The offline folder ${localDir} lacks: ${names.join(', ')}.`,
    'On a computer with internet, run:',
    ...downloadCommands(localDir, missing, python).map((line) => `  ${line}`),
    'then start the install again.',
  ].join('\n');
}

/** The argv a step runs offline (files already in `remoteDir`), or null to skip it. */
export function offlineArgv(step: OfflineStep, remoteDir: string): string[] | null {
  if (step.files === null) return null;
  if (step.kind === 'apt') return ['apt-get', 'install', '-y', ...step.files.map((file) => posix.join(remoteDir, file))];
  // A wheel URL becomes the uploaded file itself; names stay names, resolved from the folder.
  const requirements = step.requirements.map((requirement, position) =>
    requirement.includes('://') ? posix.join(remoteDir, step.files?.[position] ?? '') : requirement,
  );
  return ['pip3', 'install', '--no-index', '--find-links', remoteDir, ...requirements];
}

export function localPath(plan: OfflinePlan, file: string): string {
  return join(plan.localDir, file);
}

/** Per step index: what runs instead of the recipe's line, or null where the step is skipped offline. */
export function offlineOverrides(plan: OfflinePlan, remoteDir: string): Map<number, { argv: string[]; sudo: boolean } | null> {
  return new Map(
    plan.steps.map((step) => {
      const argv = offlineArgv(step, remoteDir);
      return [step.index, argv === null ? null : { argv, sudo: step.sudo }];
    }),
  );
}
