import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstallState } from '../../shared/install/install-contract.ts';

/**
 * One JSON file per board and library under `<data>/installs/`. Written
 * atomically (temp file + rename) after every step, so a crash or a dropped
 * connection leaves the last finished step on disk. It holds no password.
 */
export function installStatePath(folder: string, boardId: string, library: string): string {
  const safe = (text: string): string => text.replaceAll(/[^A-Za-z0-9._-]+/g, '_');
  return join(folder, `${safe(boardId)}--${safe(library)}.json`);
}

export function readInstallState(folder: string, boardId: string, library: string): InstallState | null {
  try {
    const state = JSON.parse(readFileSync(installStatePath(folder, boardId, library), 'utf8')) as InstallState;
    return state.version === 1 && state.boardId === boardId && state.library === library ? state : null;
  } catch {
    return null;
  }
}

export function writeInstallState(folder: string, state: InstallState): void {
  mkdirSync(folder, { recursive: true });
  const path = installStatePath(folder, state.boardId, state.library);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function clearInstallState(folder: string, boardId: string, library: string): void {
  rmSync(installStatePath(folder, boardId, library), { force: true });
}
