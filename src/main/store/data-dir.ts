import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** An environment variable that names a folder: set, and absolute (an empty or relative one is ignored, as the XDG spec says). */
function folderFrom(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' && isAbsolute(value) ? value : undefined;
}

/**
 * Where settings and results live. `JWB_DATA_DIR` wins (tests, portable
 * installs); otherwise the platform's per-user data folder, the same one
 * Electron's `app.getPath('userData')` picks for our product name. An empty
 * `XDG_CONFIG_HOME` must not put the data folder in the working directory.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  // The person's own choice: a relative one means from where they are.
  if (env.JWB_DATA_DIR) return resolve(env.JWB_DATA_DIR);
  const product = 'Jetson Workbench';
  if (platform === 'win32') return join(folderFrom(env.APPDATA) ?? join(homedir(), 'AppData', 'Roaming'), product);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', product);
  return join(folderFrom(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config'), product);
}

/**
 * Creates the data folder readable by its owner only: it holds the results,
 * the host keys trusted and the workbench's private login key. A folder that
 * already exists keeps the mode its owner gave it.
 */
export function ensurePrivateFolder(folder: string): void {
  if (existsSync(folder)) return;
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700); // mkdir's mode passes through the umask; say it once more
}
