import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { MakerZIP } from '@electron-forge/maker-zip';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { shippedExternals } from './vite.main.config.ts';

/** The folder `require(name)` finds from `from`: its node_modules, then each parent's, up to the project. */
function locateModule(name: string, from: string, projectDir: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const folder = join(dir, 'node_modules', name);
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dir === projectDir || dirname(dir) === dir) return undefined;
  }
}

/**
 * `/node_modules/…` of each package and of everything it depends on, nested
 * copies included. A missing dependency fails the packaging: the app would
 * not start without it (a missing optional one is skipped, as npm does).
 */
function nodeModulesClosure(projectDir: string, roots: readonly string[]): string[] {
  const kept = new Set<string>();
  const visit = (name: string, from: string, optional: boolean): void => {
    const folder = locateModule(name, from, projectDir);
    if (folder === undefined) {
      if (optional) return;
      throw new Error(`Cannot package ${name} (needed by ${from}): it is not installed.`);
    }
    const path = `/${relative(projectDir, folder).split(sep).join('/')}`;
    if (kept.has(path)) return;
    kept.add(path);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, folder, false);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) visit(dependency, folder, true);
  };
  for (const root of roots) visit(root, projectDir, false);
  return [...kept];
}

const shippedModules = nodeModulesClosure(import.meta.dirname, shippedExternals);

/**
 * The Vite plugin's own rule (keep only `.vite/`, it rewrites package.json)
 * plus the main bundle's externals: left to the plugin, the packaged app has
 * no node_modules and stops at its first `require('ssh2')`. Paths start with
 * `/`, relative to the project; folders above a shipped module are kept too.
 */
function ignoredWhenPackaging(file: string): boolean {
  if (file === '' || file.startsWith('/.vite') || file === '/node_modules') return false;
  return !shippedModules.some((module) => file === module || file.startsWith(`${module}/`) || module.startsWith(`${file}/`));
}

// `npm start` and `npm run make`. The renderer is the same Vite build the
// serve shell uses (vite.renderer.config.ts); main and preload are bundled
// by the configs next to this file.
const config: ForgeConfig = {
  packagerConfig: {
    name: 'Jetson Workbench',
    executableName: 'jetson-workbench',
    asar: true,
    ignore: ignoredWhenPackaging,
    // The packager's pruning would decide every dependency's folder on its own and keep an empty one
    // for each bundled package; the rule above already keeps only what runs, devDependencies never.
    prune: false,
    // Read at run time through the Resources object (src/main/resources.ts, filled in by electron.ts).
    extraResource: ['resources/agent', 'resources/recipes'],
  },
  makers: [new MakerZIP({}, ['linux', 'darwin', 'win32'])],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'src/main/shell/electron.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'src/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        // The privileged SD writer, run as root by Electron's binary in Node mode (writer-client.ts).
        { entry: 'src/writer/main.ts', config: 'vite.writer.config.ts', target: 'main' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    // Hardening, as Electron Forge's template: no NODE_OPTIONS, asar
    // integrity, load the app only from its asar. ELECTRON_RUN_AS_NODE stays
    // on, as in balenaEtcher: the SD writer is Electron's binary run as Node
    // (its bundle is inside the asar, whose integrity the fuse above checks),
    // and a computer without Node cannot run it any other way. The
    // inspect-arguments fuse stays on in this test build so Playwright's
    // _electron can drive it (STYLE.md, part I); turn it off for releases.
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
