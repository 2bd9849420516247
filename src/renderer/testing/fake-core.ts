/**
 * A tiny in-memory stand-in for the workbench core, for renderer tests. Each
 * `connect()` is one window: a real `createRemoteBridge` over an in-memory
 * pipe that copies every message with `structuredClone` (as Electron's IPC
 * does, so a Svelte proxy sent without `$state.snapshot` fails the test) and
 * delivers it on a later microtask, like a real transport.
 */
import type { AppInfo, MethodName, Preferences, TopicName, WorkbenchBridge } from '../../shared/api.ts';
import type { Result, WorkbenchError } from '../../shared/errors.ts';
import { createRemoteBridge, type ClientMessage, type ServerMessage } from '../../shared/wire.ts';

export const sampleInfo: AppInfo = {
  name: 'Jetson Workbench',
  version: '9.8.7',
  platform: 'linux',
  arch: 'x64',
  runtime: 'Node.js 22.23.3',
  shell: 'serve',
  dataDir: '/home/student/.local/share/jetson-workbench',
  database: { path: '/home/student/.local/share/jetson-workbench/results.sqlite', schemaVersion: 3 },
};

interface Window {
  readonly topics: Set<TopicName>;
  deliver(message: ServerMessage): void;
}

export class FakeCore {
  info: AppInfo = structuredClone(sampleInfo);
  preferences: Preferences = { language: 'en', theme: 'system' };
  /** Methods that answer with this error instead of their value. */
  readonly failures = new Map<MethodName, WorkbenchError>();
  readonly requests: { method: string; input: unknown }[] = [];
  readonly #windows = new Set<Window>();

  connect(): WorkbenchBridge {
    const listeners: ((message: ServerMessage) => void)[] = [];
    const window: Window = {
      topics: new Set(),
      deliver: (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => listeners.forEach((listener) => listener(copy)));
      },
    };
    this.#windows.add(window);
    return createRemoteBridge({
      send: (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => this.#receive(window, copy));
      },
      onMessage: (listener) => listeners.push(listener),
      onClose: () => {},
    });
  }

  #receive(window: Window, message: ClientMessage): void {
    if (message.type === 'subscribe') window.topics.add(message.topic as TopicName);
    else if (message.type === 'unsubscribe') window.topics.delete(message.topic as TopicName);
    else {
      this.requests.push({ method: message.method, input: message.input });
      window.deliver({ type: 'response', id: message.id, result: this.#answer(message.method, message.input) });
    }
  }

  #answer(method: string, input: unknown): Result<unknown> {
    const failure = this.failures.get(method as MethodName);
    if (failure) return { ok: false, error: failure };
    if (method === 'app.info') return { ok: true, value: this.info };
    if (method === 'settings.get') return { ok: true, value: this.preferences };
    if (method === 'settings.update') {
      this.preferences = { ...this.preferences, ...(input as Partial<Preferences>) };
      this.emit('settings.onDidChange', this.preferences);
      return { ok: true, value: this.preferences };
    }
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  emit(topic: TopicName, payload: unknown): void {
    for (const window of this.#windows) {
      if (window.topics.has(topic)) window.deliver({ type: 'event', topic, payload });
    }
  }
}
