/**
 * Routes Electron IPC to the core. Written against the small part of
 * ipcMain/WebContents it uses, so the contract suite can run it against an
 * in-memory fake (the Electron binary cannot run on our build machines).
 * Every message's sender is checked: our own page, in the main frame.
 */
import { isTopicName, type TopicName } from '../../shared/api.ts';
import type { Result } from '../../shared/errors.ts';
import { ipcChannels } from '../../shared/contract-names.ts';
import type { Workbench } from '../app.ts';

export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: IpcSender;
  /** Null when the frame navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

const forbidden: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the workbench window.' },
};

export function routeIpc(ipc: IpcMainLike, workbench: Workbench, isTrustedUrl: (url: string) => boolean): () => void {
  const subscribers = new Map<number, { sender: IpcSender; topics: Set<TopicName> }>();
  const trusted = (event: IpcEventLike) =>
    event.senderFrame !== null && event.senderFrame.parent === null && isTrustedUrl(event.senderFrame.url);

  ipc.handle(ipcChannels.request, (event, method, input) =>
    trusted(event) ? workbench.dispatcher.handle(method, input, { via: 'ipc' }) : forbidden,
  );

  const onSubscribe = (event: IpcEventLike, topic: unknown) => {
    if (!trusted(event) || !isTopicName(topic)) return;
    let entry = subscribers.get(event.sender.id);
    if (!entry) {
      const id = event.sender.id;
      entry = { sender: event.sender, topics: new Set() };
      subscribers.set(id, entry);
      event.sender.once('destroyed', () => subscribers.delete(id));
    }
    entry.topics.add(topic);
  };
  const onUnsubscribe = (event: IpcEventLike, topic: unknown) => {
    if (isTopicName(topic)) subscribers.get(event.sender.id)?.topics.delete(topic);
  };
  ipc.on(ipcChannels.subscribe, onSubscribe);
  ipc.on(ipcChannels.unsubscribe, onUnsubscribe);

  const stopEvents = workbench.events.subscribe((topic, payload) => {
    for (const { sender, topics } of subscribers.values()) {
      if (topics.has(topic) && !sender.isDestroyed()) sender.send(ipcChannels.event, topic, payload);
    }
  });

  return () => {
    stopEvents();
    ipc.removeHandler(ipcChannels.request);
    ipc.removeListener(ipcChannels.subscribe, onSubscribe);
    ipc.removeListener(ipcChannels.unsubscribe, onUnsubscribe);
    subscribers.clear();
  };
}
