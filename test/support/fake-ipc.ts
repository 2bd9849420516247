/**
 * An in-memory stand-in for Electron's ipcMain/ipcRenderer pair, for tests
 * only: messages are structured-cloned like real IPC, and every event
 * carries a sender frame whose URL and parent the test chooses.
 */
import type { IpcRendererLike } from '../../src/preload/bridge.ts';
import type { IpcEventLike, IpcMainLike, IpcSender } from '../../src/main/shell/ipc-router.ts';

type MainListener = (event: IpcEventLike, ...args: unknown[]) => unknown;

export function createFakeIpc(frameUrl: string, options: { subframe?: boolean } = {}) {
  const handlers = new Map<string, MainListener>();
  const mainListeners = new Map<string, Set<MainListener>>();
  const rendererListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const destroyedListeners: (() => void)[] = [];
  let destroyed = false;

  const sender: IpcSender = {
    id: 1,
    send(channel, ...args) {
      const cloned = structuredClone(args);
      queueMicrotask(() => rendererListeners.get(channel)?.forEach((listener) => listener({}, ...cloned)));
    },
    isDestroyed: () => destroyed,
    once(_event, listener) {
      destroyedListeners.push(listener);
    },
  };
  const event = (): IpcEventLike => ({ sender, senderFrame: { url: frameUrl, parent: options.subframe ? {} : null } });

  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
    on(channel, listener) {
      if (!mainListeners.has(channel)) mainListeners.set(channel, new Set());
      mainListeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => mainListeners.get(channel)?.delete(listener),
  };

  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler(event(), ...structuredClone(args)));
    },
    send(channel, ...args) {
      const cloned = structuredClone(args);
      queueMicrotask(() => mainListeners.get(channel)?.forEach((listener) => listener(event(), ...cloned)));
    },
    on(channel, listener) {
      if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
      rendererListeners.get(channel)!.add(listener);
    },
  };

  return {
    ipcMain,
    ipcRenderer,
    destroy() {
      destroyed = true;
      destroyedListeners.forEach((listener) => listener());
    },
    get handlerCount() {
      return handlers.size;
    },
  };
}
