import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where settings and results live. `JWB_DATA_DIR` wins (tests, portable
 * installs); otherwise the platform's per-user data folder, the same one
 * Electron's `app.getPath('userData')` picks for our product name.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.JWB_DATA_DIR) return env.JWB_DATA_DIR;
  const product = 'Jetson Workbench';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), product);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', product);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), product);
}
