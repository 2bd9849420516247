/**
 * The Electron shell (`npm start`): one hardened window over the same core as
 * the serve shell. Only this file, electron-pdf.ts, the IPC adapter and the
 * preload import 'electron'.
 */
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createWorkbench } from '../app.ts';
import { resourcesIn } from '../resources.ts';
import { elevatedArgv } from './elevate.ts';
import { damagedSettings } from '../store/conf-store.ts';
import { ensurePrivateFolder } from '../store/data-dir.ts';
import { printPdfWithElectron } from './electron-pdf.ts';
import { attachIpc } from './ipc-adapter.ts';

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
// Forge's Vite plugin bundles this file to CommonJS (.vite/build/electron.cjs), where __dirname is defined.
const rendererFile = join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);

/** Our page and nothing else may call the core: the packaged file, or the dev server in development. */
function isTrustedUrl(url: string): boolean {
  if (devServerUrl) return new URL(url).origin === new URL(devServerUrl).origin;
  return url.split(/[?#]/)[0] === pathToFileURL(rendererFile).href;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Jetson Workbench',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Documentation links open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

function openElectronStore(dataDir: string): ElectronStore {
  try {
    return new ElectronStore({ cwd: dataDir, name: 'settings', configFileMode: 0o600 });
  } catch (error) {
    throw damagedSettings(join(dataDir, 'settings.json'), error);
  }
}

function main(): void {
  if (!app.requestSingleInstanceLock()) return app.quit();
  app.enableSandbox();
  app
    .whenReady()
    .then(() => {
      session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);
      const dataDir = process.env.JWB_DATA_DIR || app.getPath('userData');
      ensurePrivateFolder(dataDir);
      const store = openElectronStore(dataDir);
      // Forge copies resources/agent and resources/recipes beside the asar (forge.config.ts, extraResource);
      // the writer's bundle is built beside this one (vite.writer.config.ts).
      const resources = resourcesIn(
        app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
        join(__dirname, 'writer.cjs'),
      );
      // The writer runs as Node under Electron's own binary, elevated through pkexec (elevate.ts).
      const writer = { elevate: elevatedArgv, env: { ELECTRON_RUN_AS_NODE: '1' }, execPath: process.execPath };
      const workbench = createWorkbench({ shell: 'electron', dataDir, store, resources, writer, printPdf: printPdfWithElectron });
      const detachIpc = attachIpc(workbench, isTrustedUrl);
      let window = createWindow();
      app.on('second-instance', () => {
        if (window.isMinimized()) window.restore();
        window.focus();
      });
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
      });
      app.on('will-quit', () => {
        detachIpc();
        void workbench.dispose();
      });
    })
    .catch((error: unknown) => {
      // A damaged settings file or results database says which file and what to do: show it, then stop.
      console.error(error);
      dialog.showErrorBox('Jetson Workbench cannot start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

main();
