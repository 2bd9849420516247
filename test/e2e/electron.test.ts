/**
 * Electron smoke test: the packaged app opens the same UI and answers
 * app.info through IPC. It needs Electron's binary, which cannot be
 * downloaded on our build machines: there it skips and says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/**
 * The binary as the electron package would find it, read without requiring
 * the package: since Electron 4x, requiring it downloads a missing binary,
 * and our machines must not reach the network.
 */
function electronBinary(): string | undefined {
  if (process.env.JWB_ELECTRON && existsSync(process.env.JWB_ELECTRON)) return process.env.JWB_ELECTRON;
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  process.stdout.write(
    '\n[electron smoke test] SKIPPED: the Electron binary is not installed (it cannot be downloaded on this machine; ' +
      'install with network access, or set JWB_ELECTRON to an electron executable).\n',
  );
}

describe.skipIf(!binary)('the Electron shell', () => {
  it('opens the workbench window and shows app.info from the core', async () => {
    execFileSync('npx', ['electron-forge', 'package'], { cwd: root, stdio: 'inherit' });
    const outDir = join(root, 'out');
    const packaged = readdirSync(outDir)
      .map((name) => join(outDir, name, 'jetson-workbench'))
      .find((path) => existsSync(path));
    const dataDir = mkdtempSync(join(tmpdir(), 'jwb-electron-'));
    const app = await electron.launch({
      executablePath: packaged ?? binary!,
      args: packaged ? [] : [root],
      env: { ...process.env, JWB_DATA_DIR: dataDir },
    });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByText('electron', { exact: false }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const info = await window.evaluate(() =>
        (window as unknown as { workbench: { call: Record<string, (input: object) => Promise<unknown>> } }).workbench.call['app.info']!({}),
      );
      expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
