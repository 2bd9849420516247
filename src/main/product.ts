// The package file is the single source of the version. A JSON import (not
// a file read at run time) so the Electron bundle carries it inside.
import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../shared/api.ts';

export const productInfo = { name: packageJson.productName, version: packageJson.version } as const;

/** `app.info`: this workbench, the runtime it runs on and its data folder. */
export function appInfo(shell: AppInfo['shell'], dataDir: string, database: AppInfo['database']): AppInfo {
  return {
    name: productInfo.name,
    version: productInfo.version,
    platform: process.platform,
    arch: process.arch,
    runtime: process.versions.electron ? `Electron ${process.versions.electron}` : `Node.js ${process.versions.node}`,
    shell,
    dataDir,
    database,
  };
}
