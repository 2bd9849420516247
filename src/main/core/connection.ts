/**
 * One remote client (a WebSocket, an in-memory pipe): decodes its messages,
 * routes requests to the dispatcher and forwards the events it subscribed to.
 */
import { isTopicName, type TopicName } from '../../shared/api.ts';
import { ClientMessage, type ServerMessage } from '../../shared/wire.ts';
import type { Result } from '../../shared/errors.ts';
import { describeIssues, type CallContext, type Dispatcher } from './dispatcher.ts';
import type { EventHub } from './event-hub.ts';

export interface Connection {
  receive(message: unknown): Promise<void>;
  close(): void;
}

export function openConnection(
  core: { dispatcher: Dispatcher; events: EventHub },
  send: (message: ServerMessage) => void,
  via: CallContext['via'],
): Connection {
  const topics = new Set<TopicName>();
  const unsubscribe = core.events.subscribe((topic, payload) => {
    if (topics.has(topic)) send({ type: 'event', topic, payload });
  });
  let closed = false;

  return {
    async receive(raw) {
      if (closed) return;
      const parsed = ClientMessage.safeParse(raw);
      if (!parsed.success) {
        // Not ours. With an id, its sender may be waiting for an answer; without one there is no one to answer.
        const id = requestId(raw);
        if (id !== undefined) send({ type: 'response', id, result: malformed(describeIssues(parsed.error)) });
        return;
      }
      const message = parsed.data;
      if (message.type === 'request') {
        const result = await core.dispatcher.handle(message.method, message.input, { via });
        if (!closed) send({ type: 'response', id: message.id, result });
      } else if (isTopicName(message.topic)) {
        if (message.type === 'subscribe') topics.add(message.topic);
        else topics.delete(message.topic);
      }
    },
    close() {
      closed = true;
      unsubscribe();
    },
  };
}

function requestId(raw: unknown): number | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function malformed(detail: string): Result<never> {
  return { ok: false, error: { code: 'invalid-request', message: 'The workbench could not read this request.', detail } };
}
