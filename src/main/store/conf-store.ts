import Conf from 'conf';
import type { KeyValueStore } from './settings.ts';

/** The settings file of the serve shell and the CLI (Electron uses electron-store, same format). */
export function openConfStore(dataDir: string): KeyValueStore {
  return new Conf({ cwd: dataDir, configName: 'settings', projectName: 'jetson-workbench' });
}
