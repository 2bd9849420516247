/**
 * Builds `window.workbench` from ipcRenderer: one function per contract
 * method (the closed list in the contract), never a raw channel the page
 * could aim elsewhere. Kept apart from preload.ts so tests can run it.
 */
import type { EventPayload, TopicName, WorkbenchBridge } from '../shared/api.ts';
import { ipcChannels as channels, isTopicName, methodNames } from '../shared/contract-names.ts';
import type { Result } from '../shared/errors.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createIpcBridge(ipc: IpcRendererLike): WorkbenchBridge {
  const listeners = new Map<TopicName, Set<(payload: never) => void>>();
  ipc.on(channels.event, (_event, topic, payload) => {
    if (!isTopicName(topic)) return;
    for (const listener of listeners.get(topic) ?? []) listener(payload as never);
  });

  const call = Object.fromEntries(
    methodNames.map((method) => [method, (input: unknown) => ipc.invoke(channels.request, method, input) as Promise<Result<unknown>>]),
  ) as unknown as WorkbenchBridge['call'];

  return Object.freeze({
    call: Object.freeze(call),
    on<T extends TopicName>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
      if (!isTopicName(topic)) throw new Error(`Unknown event topic: ${String(topic)}`);
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        ipc.send(channels.subscribe, topic);
      }
      set.add(listener as (payload: never) => void);
      return () => {
        const current = listeners.get(topic);
        if (!current?.delete(listener as (payload: never) => void) || current.size > 0) return;
        listeners.delete(topic);
        ipc.send(channels.unsubscribe, topic);
      };
    },
  });
}
