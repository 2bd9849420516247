/**
 * The contract's closed lists of names, without its schemas: the sandboxed
 * preload needs only these, and stays free of zod (which probes `eval` when
 * it loads). `contract.test.ts` checks they match `api.ts` exactly.
 */
import type { MethodName, TopicName } from './api.ts';

export const methodNames = [
  'app.info',
  'settings.get',
  'settings.update',
  'demo.profiles',
  'demo.list',
  'demo.add',
  'demo.remove',
] as const satisfies readonly MethodName[];

export const topicNames = ['settings.onDidChange', 'demo.onDidChange'] as const satisfies readonly TopicName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (methodNames as readonly string[]).includes(name);
}

export function isTopicName(name: unknown): name is TopicName {
  return typeof name === 'string' && (topicNames as readonly string[]).includes(name);
}

/** Electron IPC channels: used only by the preload and main's IPC router. */
export const ipcChannels = {
  request: 'jwb:request',
  subscribe: 'jwb:subscribe',
  unsubscribe: 'jwb:unsubscribe',
  event: 'jwb:event',
} as const;
