/**
 * The serve shell's bridge: a WebSocket to `/ws` on the page's own origin
 * (the access token in its address authenticates it), reopened with
 * exponential back-off when it drops, at the address `socketUrl` gives then. `createRemoteBridge` ends with its
 * pipe, so each socket gets a fresh one; this wrapper keeps the page's event
 * listeners and moves them to the new socket.
 */
import type { EventPayload, MethodName, TopicName, WorkbenchBridge } from '../../shared/api.ts';
import { methodNames } from '../../shared/api.ts';
import { createRemoteBridge } from '../../shared/wire.ts';
import { ConnectionStateEmitter, type ConnectionMonitor } from './connection.ts';
import { socketPipe, type SocketLike } from './socket-pipe.ts';

export interface WebSocketBridgeOptions {
  createSocket?: (url: string) => SocketLike;
  /** First wait before reconnecting; doubles on each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface BridgeHandle {
  readonly bridge: WorkbenchBridge;
  readonly connection: ConnectionMonitor;
  dispose(): void;
}

type AnyListener = (payload: never) => void;

export function openWebSocketBridge(socketUrl: () => string, options: WebSocketBridgeOptions = {}): BridgeHandle {
  const createSocket = options.createSocket ?? ((target: string) => new WebSocket(target));
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const connection = new ConnectionStateEmitter('connecting');
  const listeners = new Map<TopicName, Set<AnyListener>>();
  // The current socket's bridge and its subscriptions (one per topic).
  let remote: WorkbenchBridge;
  let remoteSubscriptions = new Map<TopicName, () => void>();
  let socket: SocketLike;
  let delayMs = initialDelayMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function subscribeRemote(topic: TopicName): void {
    const relay = (payload: unknown) => {
      for (const listener of [...(listeners.get(topic) ?? [])]) listener(payload as never);
    };
    remoteSubscriptions.set(topic, remote.on(topic, relay));
  }

  function connect(): void {
    socket = createSocket(socketUrl());
    remote = createRemoteBridge(socketPipe(socket));
    remoteSubscriptions = new Map();
    for (const topic of listeners.keys()) subscribeRemote(topic);
    const current = socket;
    current.addEventListener('open', () => {
      delayMs = initialDelayMs;
      connection.set('connected');
    });
    current.addEventListener('close', () => {
      if (disposed || current !== socket) return;
      connection.set('lost');
      timer = setTimeout(connect, delayMs);
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    });
  }

  connect();

  const call = Object.fromEntries(
    methodNames.map((method: MethodName) => [method, (input: never) => (remote.call[method] as (input: never) => unknown)(input)]),
  ) as unknown as WorkbenchBridge['call'];

  const bridge: WorkbenchBridge = Object.freeze({
    call: Object.freeze(call),
    on<T extends TopicName>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        subscribeRemote(topic);
      }
      set.add(listener as AnyListener);
      return () => {
        const current = listeners.get(topic);
        if (!current?.delete(listener as AnyListener) || current.size > 0) return;
        listeners.delete(topic);
        remoteSubscriptions.get(topic)?.();
        remoteSubscriptions.delete(topic);
      };
    },
  });

  return {
    bridge,
    connection,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      socket.close(1000, 'page closed');
    },
  };
}
