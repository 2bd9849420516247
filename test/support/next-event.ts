import type { EventPayload, TopicName, WorkbenchBridge } from '../../src/shared/api.ts';

/** Resolves with the next payload of `topic` that `accept` takes (waiting for events, not for time). */
export function nextEvent<T extends TopicName>(
  bridge: WorkbenchBridge,
  topic: T,
  accept: (payload: EventPayload<T>) => boolean,
): Promise<EventPayload<T>> {
  return new Promise((resolve) => {
    const stop = bridge.on(topic, (payload) => {
      if (!accept(payload)) return;
      stop();
      resolve(payload);
    });
  });
}
