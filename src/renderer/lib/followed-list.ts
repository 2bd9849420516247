/**
 * A list the core both answers on request and pushes as events (the boards,
 * the simulated boards). Events are counted: an answer that set out before an
 * event arrived is older than the screen, and is dropped rather than shown.
 */
import type { EventPayload, TopicName, WorkbenchBridge } from '../../shared/api.ts';
import type { Result } from '../../shared/errors.ts';

export class FollowedList<T extends TopicName> {
  readonly #bridge: WorkbenchBridge;
  readonly #topic: T;
  readonly #show: (list: EventPayload<T>) => void;
  #stop: (() => void) | undefined;
  #events = 0;

  constructor(bridge: WorkbenchBridge, topic: T, show: (list: EventPayload<T>) => void) {
    this.#bridge = bridge;
    this.#topic = topic;
    this.#show = show;
  }

  start(): void {
    this.#stop ??= this.#bridge.on(this.#topic, (list) => {
      this.#events += 1;
      this.#show(list);
    });
  }

  dispose(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  /** Asks for the list; shows the answer unless an event overtook it. */
  async request(call: () => Promise<Result<EventPayload<T>>>): Promise<Result<EventPayload<T>>> {
    const before = this.#events;
    const result = await call();
    if (result.ok && this.#events === before) this.#show(result.value);
    return result;
  }
}
