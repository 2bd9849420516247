/**
 * Builds and packages the desktop app as `electron-forge package` does,
 * without Electron's binary (it cannot be downloaded on our build machines):
 * Forge's own Vite build worker for each target of forge.config.ts, then
 * @electron/packager with forge.config.ts's packagerConfig, as resolved by
 * Forge's Vite plugin, over a stand-in Electron zip. Both run in a staged
 * project folder (the checkout's files by symbolic link, its own `.vite/`),
 * so nothing is written into the checkout. The app.asar is then extracted to
 * resources/app, a layout Electron also runs from, for Node to load.
 *
 * Left out of Forge's steps: rebuilding native modules for Electron's ABI
 * (the bundle runs on this Node here) and the fuses (they edit the binary).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll } from '@electron/asar';
import { packager, type OfficialArch } from '@electron/packager';
import { VitePlugin, type VitePluginConfig } from '@electron-forge/plugin-vite';
import type { ResolvedForgeConfig } from '@electron-forge/shared-types';
import forgeConfig from '../../forge.config.ts';

export const checkout = fileURLToPath(new URL('../..', import.meta.url));

/** What Electron sees of a packaged app: its resources folder, and the app folder in it. */
export interface PackagedApp {
  resourcesDir: string;
  appDir: string;
}

export type BuildTarget = 'main' | 'preload' | 'renderer';

/**
 * The environment a developer's shell gives `electron-forge package` and the
 * app: without the test runner's NODE_ENV=test and VITEST flags, under which
 * Vite and Svelte build a development renderer.
 */
export function shellEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
}

/** The Vite plugin's configuration in forge.config.ts: its build targets and renderers. */
export function vitePluginConfig(): VitePluginConfig {
  const plugin = forgeConfig.plugins?.find((candidate) => candidate instanceof VitePlugin);
  if (!(plugin instanceof VitePlugin)) throw new Error('forge.config.ts has no Vite plugin.');
  return plugin.config;
}

/** Version control and build outputs stay out: the staged project writes its own `.vite/` and `out/`. */
const unstaged = new Set(['.git', '.vite', 'out', 'dist', 'test-results']);

/** A project folder whose entries are the checkout's, by symbolic link. */
export function stageProject(folder: string): string {
  mkdirSync(folder, { recursive: true });
  for (const entry of readdirSync(checkout)) if (!unstaged.has(entry)) symlinkSync(join(checkout, entry), join(folder, entry));
  return folder;
}

/**
 * The worker VitePlugin.spawnViteBuild runs once a target when packaging
 * (node_modules/@electron-forge/plugin-vite/dist/VitePlugin.js): it merges
 * Forge's config for the target (lib mode, CommonJS, `.vite/build`, the
 * renderer defines, Electron and Node built-ins external) with ours.
 */
const buildWorker = join(dirname(createRequire(import.meta.url).resolve('@electron-forge/plugin-vite')), 'subprocess-worker.js');

function runBuildWorker(projectDir: string, config: VitePluginConfig, kind: 'build' | 'renderer', index: number): Promise<void> {
  if (!existsSync(buildWorker))
    throw new Error(`Forge's Vite build worker moved (${buildWorker}): update test/support/desktop-package.ts.`);
  const child = spawn(process.execPath, [buildWorker], {
    cwd: projectDir,
    env: {
      ...shellEnvironment(),
      FORGE_VITE_PROJECT_DIR: projectDir,
      FORGE_VITE_KIND: kind,
      FORGE_VITE_INDEX: String(index),
      FORGE_VITE_CONFIG: JSON.stringify({ build: config.build, renderer: config.renderer }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((settle, fail) => {
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? settle() : fail(new Error(`Forge's Vite build (${kind} ${index}) exited with ${code}:\n${output}`)),
    );
  });
}

/** Forge's production build of the chosen targets into `<projectDir>/.vite`, each in its own process as Forge runs them. */
export async function buildBundles(projectDir: string, config: VitePluginConfig, targets: readonly BuildTarget[]): Promise<void> {
  const builds = config.build.map((spec, index) => ({ target: spec.target ?? 'main', kind: 'build' as const, index }));
  const renderers = config.renderer.map((_spec, index) => ({ target: 'renderer' as const, kind: 'renderer' as const, index }));
  await Promise.all(
    [...builds, ...renderers]
      .filter(({ target }) => targets.includes(target))
      .map(({ kind, index }) => runBuildWorker(projectDir, config, kind, index)),
  );
}

/** An Electron release zip as the packager expects it, with a script in place of the binary. */
function standInElectronZip(folder: string, version: string): string {
  const content = join(folder, 'content');
  mkdirSync(content, { recursive: true });
  writeFileSync(
    join(content, 'electron'),
    '#!/bin/sh\necho "A stand-in: test/support/electron-main-process.ts plays Electron." >&2\nexit 1\n',
    { mode: 0o755 },
  );
  writeFileSync(join(content, 'version'), version);
  execFileSync('python3', ['-m', 'zipfile', '-c', join(folder, `electron-v${version}-linux-${process.arch}.zip`), 'electron', 'version'], {
    cwd: content,
  });
  return folder;
}

/** @electron/packager over a built project, with the options `electron-forge package` gives it (@electron-forge/core, dist/api/package.js). */
export async function packageApp(projectDir: string, outDir: string): Promise<PackagedApp> {
  const vite = new VitePlugin(vitePluginConfig());
  vite.setDirectories(projectDir);
  const resolved = await vite.resolveForgeConfig({
    ...forgeConfig,
    packagerConfig: { ...forgeConfig.packagerConfig },
  } as ResolvedForgeConfig);
  const { extraResource = [], ...packagerConfig } = resolved.packagerConfig;
  const electronVersion = (JSON.parse(readFileSync(join(checkout, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
    .version;
  const [appPath] = await packager({
    asar: false,
    overwrite: true,
    ignore: [/^\/out\//g],
    quiet: true,
    ...packagerConfig,
    // Forge runs the packager from the project folder, which these paths are relative to.
    extraResource: [extraResource].flat().map((path) => resolve(projectDir, path)),
    dir: projectDir,
    platform: 'linux',
    arch: process.arch as OfficialArch, // the Electron zip above is for this machine's architecture
    electronVersion,
    out: outDir,
    electronZipDir: standInElectronZip(join(outDir, 'electron-zip'), electronVersion),
    // Its own staging folder: the default one in the system's temp folder is emptied by every packaging.
    tmpdir: join(outDir, 'staging'),
    // Forge's afterCopy hook that matters here: the Vite plugin writes the app's package.json.
    afterCopy: [async ({ buildPath }) => vite.packageAfterCopy(resolved, buildPath)],
  });
  if (appPath === undefined) throw new Error('The packager made no app.');
  const resourcesDir = join(appPath, 'resources');
  const appDir = join(resourcesDir, 'app');
  extractAll(join(resourcesDir, 'app.asar'), appDir);
  rmSync(join(resourcesDir, 'app.asar'));
  rmSync(join(resourcesDir, 'app.asar.unpacked'), { recursive: true, force: true });
  return { resourcesDir, appDir };
}
