/**
 * The desktop app loads (issue 11). Electron's binary cannot be downloaded
 * here, so the app is built and packaged as `electron-forge package` does
 * (test/support/desktop-package.ts) and its main bundle runs in Node with a
 * stand-in for the `electron` module (test/support/electron-stand-in.ts):
 * the window it opens, the page it loads, the preload's bridge and the
 * resources it reads are all checked in the packaged layout, through the
 * same IPC path a click in the window takes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import type { Result } from '../../src/shared/errors.ts';
import { buildBundles, checkout, packageApp, stageProject, vitePluginConfig, type PackagedApp } from '../support/desktop-package.ts';
import { launchPackagedApp } from '../support/packaged-app.ts';
import { startWriter } from '../../src/main/flash/writer-client.ts';

const work = mkdtempSync(join(tmpdir(), 'jwb-desktop-bundle-'));
const project = join(work, 'project');
let packaged: PackagedApp;

beforeAll(async () => {
  stageProject(project);
  await buildBundles(project, vitePluginConfig(), ['main', 'preload', 'renderer']);
  packaged = await packageApp(project, join(work, 'out'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A request's answer, or the error it carried (its code and detail say more than the message). */
function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message} ${result.error.detail ?? ''}`);
  return result.value;
}

const recipeNames = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();

describe('the packaged desktop app', () => {
  it('opens a hardened window on its page, with the bridge and the packaged resources', async () => {
    const userDataDir = join(work, 'user-data');
    const app = await launchPackagedApp(packaged, userDataDir);
    try {
      const { window } = app;
      const preferences = window.options.webPreferences ?? {};
      expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
      expect(window.sandboxEnabled).toBe(true);
      expect(preferences.preload).toBe(join(packaged.appDir, '.vite/build/preload.cjs'));
      expect(existsSync(preferences.preload!)).toBe(true);
      expect(window.loadedFile).toBe(join(packaged.appDir, '.vite/renderer/main_window/index.html'));
      expect(existsSync(window.loadedFile!)).toBe(true);
      expect(window.shown).toBe(true);
      expect(window.exposedInMainWorld).toEqual(['workbench']);
      expect({ granted: window.permissionGranted, checked: window.permissionChecked }).toEqual({ granted: false, checked: false });
      expect(window.navigationPrevented).toBe(true);
      expect(window.windowOpen).toEqual({ action: 'deny' });
      expect(window.openedExternally).toEqual(['https://example.org/docs']);

      expect(await app.call('app.info', {})).toMatchObject({
        ok: true,
        value: { shell: 'electron', version: packageJson.version, dataDir: userDataDir },
      });
      expect(await app.callFrom('https://example.org/', 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

      app.subscribe('demo.onDidChange');
      const board = { kind: 'simulated', id: valueOf(await app.call('demo.add', { profile: 'orin-nano' })).id } as const;
      const announced = () =>
        app.events.some(
          ({ topic, payload }) => topic === 'demo.onDidChange' && (payload as { id: string }[]).some(({ id }) => id === board.id),
        );
      await expect.poll(announced).toBe(true);

      // The recipes come from the package's resources/recipes, and they are the checkout's.
      const recipes = valueOf(await app.call('install.recipes', { board }));
      const recipesDir = join(packaged.resourcesDir, 'recipes');
      expect(recipes.map(({ library }) => library).sort()).toEqual(recipeNames(recipesDir));
      expect(recipeNames(recipesDir)).toEqual(recipeNames(join(checkout, 'resources/recipes')));

      // Live power through the agent: the package's resources/agent is pushed to the board and probed there.
      const telemetry = valueOf(await app.call('telemetry.start', { board, source: 'agent' }));
      expect(telemetry).toMatchObject({ source: 'agent', simulated: true });
      expect(await app.call('telemetry.stop', { board: telemetry.board })).toMatchObject({ ok: true });
      expect(existsSync(join(packaged.resourcesDir, 'agent/jwb_agent/__main__.py'))).toBe(true);
    } finally {
      expect(await app.quit()).toBe(0);
    }
  });

  it('ships the privileged writer as one bundle that greets the app over its pipe', async () => {
    // The shell points Resources.writerEntry here (electron.ts); the bundle needs nothing from node_modules.
    const entry = join(packaged.appDir, '.vite/build/writer.cjs');
    expect(existsSync(entry)).toBe(true);
    const writer = await startWriter({ entry, elevate: (argv) => [...argv] });
    expect(await writer.close()).toBe(0);
    const refused = spawnSync(process.execPath, [entry], { input: '', encoding: 'utf8', cwd: work });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('without a token');
  });

  it('does not load when a main-side module finds its files through import.meta.url', async () => {
    // The same build, but for one line in a service, as someone might write it; CommonJS has no import.meta.url.
    const planted = stageProject(join(work, 'planted'));
    cpSync(join(project, '.vite'), join(planted, '.vite'), { recursive: true });
    writeFileSync(join(planted, 'vite.main.planted.config.ts'), plantedMainConfig);
    const config = vitePluginConfig();
    const build = config.build.map((spec) =>
      (spec.target ?? 'main') === 'main' ? { ...spec, config: 'vite.main.planted.config.ts' } : spec,
    );
    await buildBundles(planted, { ...config, build }, ['main']);
    const plantedApp = await packageApp(planted, join(work, 'planted-out'));
    await expect(launchPackagedApp(plantedApp, join(work, 'planted-user-data'))).rejects.toThrow(
      'The packaged app failed to load: TypeError: Invalid URL',
    );
  }, 60_000);
});

/** vite.main.config.ts plus a plugin that gives src/main/install/recipes.ts a folder found from its own URL. */
const plantedMainConfig = `
import { mergeConfig, type Plugin } from 'vite';
import base from './vite.main.config.ts';

const plant: Plugin = {
  name: 'plant-import-meta-url',
  transform(code, id) {
    if (!id.endsWith('/src/main/install/recipes.ts')) return null;
    return code + "\\nimport { fileURLToPath as plantedPath } from 'node:url';\\nexport const plantedFolder = plantedPath(new URL('../x', import.meta.url));\\n";
  },
};

export default mergeConfig(base, { plugins: [plant] });
`;
