// The package file is the single source of the version. A JSON import (not
// a file read at run time) so the Electron bundle carries it inside.
import packageJson from '../../package.json' with { type: 'json' };

export const productInfo = { name: packageJson.productName, version: packageJson.version } as const;
