/**
 * A stand-in for the `electron` module, for tests only: the part of
 * Electron's main-process API that the desktop bundle uses (electron.ts,
 * electron-pdf.ts, ipc-adapter.ts, electron-store), behaving as Electron
 * documents it, and a sandboxed renderer page that runs the preload bundle
 * with `contextBridge` and `ipcRenderer`. Everything the app asks for is
 * recorded in `standIn`. test/support/electron-main-process.ts points the
 * bundle's `require('electron')` here: Electron's binary cannot be
 * downloaded on our build machines.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, format as formatUrl } from 'node:url';
import { createContext, runInContext } from 'node:vm';

type Listener = (...args: unknown[]) => void;
type Handler = (event: IpcMainEvent, ...args: unknown[]) => unknown;

interface IpcMainEvent {
  sender: WebContents;
  senderFrame: { url: string; parent: null } | null;
  processId: number;
  frameId: number;
}

/** A promise with its resolve function (Promise.withResolvers is past this project's ES2023 library). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

interface StandInConfig {
  /** resources/app of the package: what Electron reads from app.asar. */
  appDir: string;
  userDataDir: string;
}

/** What the app did, for the test to check. */
export const standIn = {
  config: null as StandInConfig | null,
  windows: [] as BrowserWindow[],
  sandboxEnabled: false,
  openedExternally: [] as string[],
  /** The first page that loaded, with its preload run. */
  firstPage: deferred<RendererPage>(),
  configure(config: StandInConfig): void {
    this.config = config;
  },
  /** Electron emits `ready` once the main script has run. */
  startApp(): void {
    app.emit('ready');
  },
  /** A request as a frame at `url` would send it: the router must check who asks. */
  invokeFrom(url: string, channel: string, ...args: unknown[]): Promise<unknown> {
    const window = this.windows[0];
    if (window === undefined) throw new Error('No window to send from.');
    return ipcMain.invokeFrom({ sender: window.webContents, senderFrame: { url, parent: null }, processId: 1, frameId: 1 }, channel, args);
  },
};

function config(): StandInConfig {
  if (standIn.config === null) throw new Error('The Electron stand-in is not configured.');
  return standIn.config;
}

class App extends EventEmitter {
  readonly isPackaged = true;
  #ready = false;
  readonly #whenReady = deferred<void>();

  constructor() {
    super();
    this.once('ready', () => {
      this.#ready = true;
      this.#whenReady.resolve();
    });
  }

  getAppPath(): string {
    return config().appDir;
  }

  /** Only the folder the app asks for; Electron throws for a name it does not know. */
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`Failed to get '${name}' path`);
    return config().userDataDir;
  }

  /** The app's package.json version, as Electron reads it (electron-store asks). */
  getVersion(): string {
    const manifest = JSON.parse(readFileSync(join(config().appDir, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  }

  whenReady(): Promise<void> {
    return this.#whenReady.promise;
  }

  requestSingleInstanceLock(): boolean {
    return true; // the first and only instance
  }

  enableSandbox(): void {
    if (this.#ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    standIn.sandboxEnabled = true;
  }

  /** As Electron: `before-quit`, `will-quit`, `quit`, then the process ends (promises left running are not awaited). */
  quit(): void {
    this.emit('before-quit');
    this.emit('will-quit');
    this.emit('quit');
    setImmediate(() => process.exit(0));
  }

  exit(code = 0): void {
    process.exit(code);
  }
}

export const app = new App();

class Session {
  permissionRequestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  readonly webRequest = { onBeforeRequest: (_listener: Listener) => undefined };

  setPermissionRequestHandler(handler: Session['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: Session['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

const partitions = new Map<string, Session>();
export const session = {
  defaultSession: new Session(),
  fromPartition(partition: string): Session {
    if (!partitions.has(partition)) partitions.set(partition, new Session());
    return partitions.get(partition)!;
  },
};

class IpcMain extends EventEmitter {
  readonly #handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.#handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.#handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }

  /** `ipcRenderer.invoke` arriving: arguments and answer are structured-cloned, as IPC serializes them. */
  async invokeFrom(event: IpcMainEvent, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.#handlers.get(channel);
    if (handler === undefined) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

export const ipcMain = new IpcMain();

export const shell = {
  async openExternal(url: string): Promise<void> {
    standIn.openedExternally.push(url);
  },
};

let nextId = 1;

class WebContents extends EventEmitter {
  readonly id = nextId++;
  page: RendererPage | null = null;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  #destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    this.page?.deliver(channel, structuredClone(args));
  }

  setWindowOpenHandler(handler: WebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  destroy(): void {
    this.#destroyed = true;
    this.emit('destroyed');
  }

  async printToPDF(): Promise<Buffer> {
    throw new Error('The Electron stand-in does not print.');
  }
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  webSecurity?: boolean;
  [name: string]: unknown;
}

export interface BrowserWindowOptions {
  webPreferences?: WebPreferences;
  [name: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  readonly options: BrowserWindowOptions;
  readonly webContents: WebContents;
  /** The file given to `loadFile`, resolved as Electron resolves it. */
  loadedFile: string | null = null;
  shown = false;
  #destroyed = false;

  static getAllWindows(): BrowserWindow[] {
    return standIn.windows.filter((window) => !window.#destroyed);
  }

  constructor(options: BrowserWindowOptions = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    standIn.windows.push(this);
  }

  /** Electron resolves the path against the app's folder and loads it as a file: URL (Chromium's spelling of it). */
  loadFile(filePath: string): Promise<void> {
    const file = resolve(app.getAppPath(), filePath);
    this.loadedFile = file;
    return this.loadURL(new URL(formatUrl({ protocol: 'file', slashes: true, pathname: file })).href);
  }

  async loadURL(url: string): Promise<void> {
    if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    const page = new RendererPage(url, this.webContents);
    this.webContents.page = page;
    const preload = this.options.webPreferences?.preload;
    if (preload !== undefined) page.runPreload(preload, this.options.webPreferences ?? {});
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
    if (standIn.windows[0] === this) standIn.firstPage.resolve(page);
  }

  show(): void {
    this.shown = true;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  focus(): void {}

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  destroy(): void {
    this.#destroyed = true;
    this.webContents.destroy();
  }
}

/** The modules a sandboxed preload may require (Electron's sandbox docs); anything else is "module not found". */
const sandboxModules = new Set(['events', 'timers', 'url']);

/** A renderer page: its main world (what `contextBridge` exposes) and the preload's `ipcRenderer`. */
export class RendererPage {
  readonly url: string;
  readonly mainWorld: Record<string, unknown> = {};
  readonly #webContents: WebContents;
  readonly #listeners = new EventEmitter();

  constructor(url: string, webContents: WebContents) {
    this.url = url;
    this.#webContents = webContents;
  }

  deliver(channel: string, args: unknown[]): void {
    this.#listeners.emit(channel, {}, ...args);
  }

  /** Runs the preload bundle as a sandboxed preload runs: a context of its own, no Node, a require of a few modules. */
  runPreload(file: string, preferences: WebPreferences): void {
    if (!isAbsolute(file)) throw new Error(`The preload path must be absolute: ${file}`);
    if (preferences.sandbox !== true || preferences.nodeIntegration === true)
      throw new Error('This stand-in only runs sandboxed preloads.');
    const source = readFileSync(file, 'utf8');
    const context = createContext({ console, setTimeout, clearTimeout, queueMicrotask, structuredClone });
    const wrapper = runInContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, context, { filename: file });
    const module = { exports: {} };
    const rendererElectron = { contextBridge: this.#contextBridge(preferences), ipcRenderer: this.#ipcRenderer() };
    const require = (id: string): unknown => {
      if (id === 'electron' || id === 'electron/renderer') return rendererElectron;
      if (sandboxModules.has(id)) return process.getBuiltinModule(id);
      throw new Error(`module not found: ${id}`);
    };
    (wrapper as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  }

  #contextBridge(preferences: WebPreferences) {
    return {
      exposeInMainWorld: (key: string, api: unknown): void => {
        if (preferences.contextIsolation !== true) throw new Error('contextBridge API can only be used when contextIsolation is enabled');
        if (key in this.mainWorld) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
        this.mainWorld[key] = api;
      },
    };
  }

  #ipcRenderer() {
    const event = (): IpcMainEvent => ({
      sender: this.#webContents,
      senderFrame: { url: this.url, parent: null },
      processId: 1,
      frameId: 1,
    });
    return {
      invoke: (channel: string, ...args: unknown[]) => ipcMain.invokeFrom(event(), channel, args),
      send: (channel: string, ...args: unknown[]) => {
        const cloned = structuredClone(args);
        setImmediate(() => ipcMain.emit(channel, event(), ...cloned));
      },
      on: (channel: string, listener: Listener) => this.#listeners.on(channel, listener),
    };
  }
}
