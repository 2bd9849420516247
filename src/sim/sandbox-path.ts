import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * Board paths (`/home/nvidia/x.py`) map to host paths under the board's
 * sandbox root. `..` and symbolic links are resolved against the sandbox
 * root, never the host's, so nothing can point outside it.
 */
export function boardPath(cwd: string, path: string): string {
  return posix.resolve('/', cwd, path);
}

const maxLinks = 40;

/** The host path for a board path, following symlinks inside the sandbox only. */
export function hostPath(root: string, cwd: string, path: string): string {
  return join(root, realBoardPath(root, boardPath(cwd, path)));
}

/** Resolves symlinks component by component, re-rooting each link target in the sandbox. */
export function realBoardPath(root: string, path: string): string {
  let pending = posix.resolve('/', path).split('/').filter(Boolean);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '.') continue;
    if (name === '..') {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, name];
    let target: string | null = null;
    try {
      const hostCandidate = join(root, ...candidate);
      if (lstatSync(hostCandidate).isSymbolicLink()) target = readlinkSync(hostCandidate);
    } catch {
      target = null;
    }
    if (target === null) {
      resolved.push(name);
      continue;
    }
    links += 1;
    if (links > maxLinks) throw new Error('Too many levels of symbolic links');
    const base = target.startsWith('/') ? [] : resolved;
    pending = [
      ...posix
        .resolve('/', ...base, target)
        .split('/')
        .filter(Boolean),
      ...pending,
    ];
    resolved.length = 0;
  }
  return `/${resolved.join('/')}`;
}
