import { readFileSync } from 'node:fs';

interface PackageJson {
  productName: string;
  version: string;
}

// Read once at start-up: the package file is the single source of the version.
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

export const productInfo = { name: packageJson.productName, version: packageJson.version } as const;
