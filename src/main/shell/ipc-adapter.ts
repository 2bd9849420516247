// The ONLY file that touches `ipcMain` (see eslint.config.js). Do not relax.
import { ipcMain } from 'electron';
import type { Workbench } from '../app.ts';
import { routeIpc, type IpcMainLike } from './ipc-router.ts';

export function attachIpc(workbench: Workbench, isTrustedUrl: (url: string) => boolean): () => void {
  return routeIpc(ipcMain as unknown as IpcMainLike, workbench, isTrustedUrl);
}
