/**
 * The child process that plays Electron's main process for a packaged app
 * (`node electron-main-process.ts <resources folder> <user data folder>`,
 * forked by packaged-app.ts): `require('electron')` resolves to the
 * stand-in, `process.resourcesPath` is the package's resources folder, and
 * the app's package.json `main` runs as Electron runs it. Over the fork
 * channel it reports the first window once its page has loaded, then calls
 * the page's `window.workbench` on the test's request.
 */
import { readFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { join, resolve } from 'node:path';
import type { MethodName, TopicName, WorkbenchBridge } from '../../src/shared/api.ts';
import { ipcChannels } from '../../src/shared/contract-names.ts';
import { app, session, standIn, type BrowserWindow, type BrowserWindowOptions, type RendererPage } from './electron-stand-in.ts';

export interface WindowReport {
  options: BrowserWindowOptions;
  loadedFile: string | null;
  /** Created hidden, the window must show once its page is ready. */
  shown: boolean;
  url: string;
  exposedInMainWorld: string[];
  sandboxEnabled: boolean;
  /** What the default session's handlers answer a page asking for the camera. */
  permissionGranted: boolean | null;
  permissionChecked: boolean | null;
  /** Whether a navigation away from the page was stopped, and what a window.open of a web page got. */
  navigationPrevented: boolean;
  windowOpen: { action: string } | null;
  openedExternally: string[];
}

export type FromTest =
  | { type: 'call'; id: number; method: MethodName; input: unknown }
  | { type: 'call-from'; id: number; url: string; method: MethodName; input: unknown }
  | { type: 'subscribe'; topic: TopicName }
  | { type: 'quit' };

export type ToTest =
  | { type: 'loaded'; window: WindowReport }
  | { type: 'failed'; error: { name: string; message: string; stack: string } }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; topic: TopicName; payload: unknown };

const [resourcesDir, userDataDir] = process.argv.slice(2);
if (resourcesDir === undefined || userDataDir === undefined)
  throw new Error('usage: electron-main-process.ts <resources folder> <user data folder>');

const send = (message: ToTest) => new Promise<void>((done) => process.send?.(message, () => done()));
const standInUrl = new URL('./electron-stand-in.ts', import.meta.url).href;
registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'electron' ? { url: standInUrl, shortCircuit: true } : nextResolve(specifier, context),
});

function describe(error: unknown): { name: string; message: string; stack: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack ?? '' }
    : { name: 'Error', message: String(error), stack: '' };
}

async function report(window: BrowserWindow, page: RendererPage): Promise<WindowReport> {
  const { defaultSession } = session;
  const granted = await new Promise<boolean | null>((settle) =>
    defaultSession.permissionRequestHandler ? defaultSession.permissionRequestHandler(window.webContents, 'media', settle) : settle(null),
  );
  const navigation = { defaultPrevented: false, preventDefault: () => void (navigation.defaultPrevented = true) };
  window.webContents.emit('will-navigate', navigation, 'https://example.org/');
  return {
    options: window.options,
    loadedFile: window.loadedFile,
    shown: window.shown,
    url: page.url,
    exposedInMainWorld: Object.keys(page.mainWorld),
    sandboxEnabled: standIn.sandboxEnabled,
    permissionGranted: granted,
    permissionChecked: defaultSession.permissionCheckHandler?.(window.webContents, 'media') ?? null,
    navigationPrevented: navigation.defaultPrevented,
    windowOpen: window.webContents.windowOpenHandler?.({ url: 'https://example.org/docs' }) ?? null,
    openedExternally: standIn.openedExternally,
  };
}

function answer(page: RendererPage, message: FromTest): void {
  const workbench = page.mainWorld.workbench as WorkbenchBridge;
  const call = workbench.call as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  if (message.type === 'call') void call[message.method]!(message.input).then((result) => send({ type: 'result', id: message.id, result }));
  else if (message.type === 'call-from')
    void standIn
      .invokeFrom(message.url, ipcChannels.request, message.method, message.input)
      .then((result) => send({ type: 'result', id: message.id, result }));
  else if (message.type === 'subscribe')
    workbench.on(message.topic, (payload) => void send({ type: 'event', topic: message.topic, payload }));
  else app.quit();
}

const appDir = join(resourcesDir, 'app');
Object.assign(process, { resourcesPath: resourcesDir });
standIn.configure({ appDir, userDataDir });
try {
  const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { main?: string };
  const main = resolve(appDir, manifest.main ?? 'index.js');
  createRequire(main)(main);
} catch (error) {
  await send({ type: 'failed', error: describe(error) });
  process.exit(1);
}
standIn.startApp();
const page = await standIn.firstPage.promise;
await send({ type: 'loaded', window: await report(standIn.windows[0]!, page) });
process.on('message', (message: FromTest) => answer(page, message));
