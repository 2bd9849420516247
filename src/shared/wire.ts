/**
 * The message format of every remote transport (WebSocket in the serve shell,
 * the in-memory pair in tests) and the client half that turns a message pipe
 * into a `WorkbenchBridge`. Electron's IPC carries the same requests through
 * `ipcRenderer.invoke`, so only the serve shell and tests use the framing.
 */
import { z } from 'zod';
import { isTopicName, methodNames, type EventPayload, type MethodName, type TopicName, type WorkbenchBridge } from './api.ts';
import { WorkbenchFailure, type Result } from './errors.ts';

/** The largest message either side sends or accepts (UTF-8 bytes of its JSON); the serve shell closes a socket with 1009 over it. */
export const maxMessageBytes = 1024 * 1024;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), topic: z.string().max(100) }),
  z.object({ type: z.literal('unsubscribe'), topic: z.string().max(100) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  { type: 'response'; id: number; result: Result<unknown> } | { type: 'event'; topic: TopicName; payload: unknown };

/** A bidirectional pipe of already-decoded messages. */
export interface MessagePipe {
  /** Throws a `WorkbenchFailure` for a message it cannot carry (over `maxMessageBytes`): the request fails, the pipe lives on. */
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): void;
  /** Called when the pipe is gone: pending requests fail with `unavailable`. */
  onClose(listener: (reason: string) => void): void;
}

export function createRemoteBridge(pipe: MessagePipe): WorkbenchBridge {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<TopicName, Set<(payload: never) => void>>();
  let closedReason: string | undefined;

  pipe.onMessage((message) => {
    if (message.type === 'response') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (isTopicName(message.topic)) {
      for (const listener of listeners.get(message.topic) ?? []) listener(message.payload as never);
    }
  });
  pipe.onClose((reason) => {
    closedReason = reason;
    for (const resolve of pending.values()) resolve(unavailable(reason));
    pending.clear();
  });

  function request(method: MethodName, input: unknown): Promise<Result<unknown>> {
    if (closedReason !== undefined) return Promise.resolve(unavailable(closedReason));
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      try {
        pipe.send({ type: 'request', id, method, input });
      } catch (error) {
        pending.delete(id);
        if (!(error instanceof WorkbenchFailure)) throw error;
        resolve({ ok: false, error: error.toError() });
      }
    });
  }

  const call = Object.fromEntries(
    methodNames.map((method) => [method, (input: unknown) => request(method, input)]),
  ) as unknown as WorkbenchBridge['call'];

  return Object.freeze({
    call: Object.freeze(call),
    on<T extends TopicName>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        pipe.send({ type: 'subscribe', topic });
      }
      set.add(listener as (payload: never) => void);
      return () => {
        const current = listeners.get(topic);
        if (!current?.delete(listener as (payload: never) => void) || current.size > 0) return;
        listeners.delete(topic);
        if (closedReason === undefined) pipe.send({ type: 'unsubscribe', topic });
      };
    },
  });
}

function unavailable(reason: string): Result<never> {
  return {
    ok: false,
    error: { code: 'unavailable', message: 'The workbench core is not reachable.', detail: reason },
  };
}
