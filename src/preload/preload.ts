// Sandboxed preload: exposes the contract, and nothing else, as `window.workbench`.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('workbench', createIpcBridge(ipcRenderer));
