import type { EventPayload, TopicName } from '../../shared/api.ts';

export type AnyEventListener = (topic: TopicName, payload: unknown) => void;

/** Services publish here; each shell forwards the topics its clients subscribed to. */
export class EventHub {
  readonly #listeners = new Set<AnyEventListener>();

  emit<T extends TopicName>(topic: T, payload: EventPayload<T>): void {
    for (const listener of [...this.#listeners]) listener(topic, payload);
  }

  subscribe(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
