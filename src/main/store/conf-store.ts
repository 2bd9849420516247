import Conf from 'conf';
import { join } from 'node:path';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { ensurePrivateFolder } from './data-dir.ts';
import type { KeyValueStore } from './settings.ts';

/** The settings file of the serve shell and the CLI (Electron uses electron-store, same format), readable by its owner only. */
export function openConfStore(dataDir: string): KeyValueStore {
  ensurePrivateFolder(dataDir);
  try {
    return new Conf({ cwd: dataDir, configName: 'settings', projectName: 'jetson-workbench', configFileMode: 0o600 });
  } catch (error) {
    throw damagedSettings(join(dataDir, 'settings.json'), error);
  }
}

/** A settings file that does not read: where it is, and what to do (nothing is overwritten). */
export function damagedSettings(path: string, error: unknown): WorkbenchFailure {
  return new WorkbenchFailure(
    'unavailable',
    `The settings file ${path} is damaged and cannot be read. Rename it (for example to settings.json.old) and start the workbench again: it writes a new one with the default settings. The boards you had added are listed in the old file; add them again.`,
    error instanceof Error ? error.message : String(error),
  );
}
