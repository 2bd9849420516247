/**
 * Runs a host program (the real python3) inside the simulated board: with
 * bubblewrap, the board's folder becomes `/` (its /sys, /proc/device-tree
 * and /etc are the simulated ones), the host's /usr/bin, /usr/lib and
 * /usr/share are mounted read-only so the interpreter works (/usr/local
 * stays the board's), and there is no network and no other host path.
 * Without bubblewrap the program runs unconfined in the sandbox folder (the
 * caller is told, so it can say so once).
 */
import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hostPath } from './sandbox-path.ts';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap'].find((path) => existsSync(path));
export const confinementAvailable = bwrap !== undefined;
// What the host lends, read-only: its programs and libraries, plus the two /etc entries the
// dynamic linker needs to find them (Debian's BLAS, for numpy, is an /etc/alternatives link).
const hostLent = ['/usr/bin', '/usr/lib', '/usr/lib64', '/usr/share', '/etc/alternatives', '/etc/ld.so.cache'].filter((path) =>
  existsSync(path),
);

export interface ConfinedCommand {
  command: string;
  args: string[];
  /** The host folder to start in (ignored by bwrap, which changes directory inside). */
  cwd: string;
  confined: boolean;
  /** How the program sees a board path: unchanged when confined, the host path otherwise. */
  pathFor(boardPath: string): string;
}

export function confine(fsRoot: string, program: string, args: string[], boardCwd: string, env: Record<string, string>): ConfinedCommand {
  const cwd = hostPath(fsRoot, '/', boardCwd);
  if (!bwrap) {
    return { command: program, args, cwd, confined: false, pathFor: (path) => hostPath(fsRoot, boardCwd, path) };
  }
  mergedUsrLinks(fsRoot);
  const environment = Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]);
  return {
    command: bwrap,
    args: [
      '--die-with-parent',
      '--unshare-all',
      '--clearenv',
      '--bind',
      fsRoot,
      '/',
      ...hostLent.flatMap((path) => ['--ro-bind', path, path]),
      '--dev',
      '/dev',
      '--chdir',
      boardCwd,
      ...environment,
      program,
      ...args,
    ],
    cwd,
    confined: true,
    pathFor: (path) => path,
  };
}

/** Ubuntu's merged /usr (/bin → usr/bin …), made once in the board's folder; bwrap refuses to remake them. */
function mergedUsrLinks(fsRoot: string): void {
  for (const name of ['bin', 'lib', 'lib64']) {
    const link = join(fsRoot, name);
    if (!lstatSync(link, { throwIfNoEntry: false })) symlinkSync(`usr/${name}`, link);
  }
}
