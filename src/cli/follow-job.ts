/**
 * A job the core runs in the background (a benchmark plan, an install):
 * started by one request, followed through its events until its last one;
 * Ctrl+C cancels it. Events can come before the start request answers, so
 * they are kept until the job's id is known.
 */
import type { EventPayload, TopicName } from '../shared/api.ts';
import type { CliIo } from './command.ts';
import type { CliWorkbench } from './workbench.ts';

export interface Job<T extends TopicName> {
  topic: T;
  /** Starts the job; answers its id. */
  start(): Promise<string>;
  idOf(event: EventPayload<T>): string;
  isLast(event: EventPayload<T>): boolean;
  cancel(id: string): Promise<unknown>;
  /** Each of the job's events, in order (progress for the person). */
  onEvent(event: EventPayload<T>): void;
}

export async function followJob<T extends TopicName>(
  workbench: CliWorkbench,
  io: CliIo,
  job: Job<T>,
): Promise<{ id: string; last: EventPayload<T> }> {
  let id: string | undefined;
  const early: EventPayload<T>[] = [];
  let settle: (event: EventPayload<T>) => void = () => undefined;
  const ended = new Promise<EventPayload<T>>((resolve) => (settle = resolve));
  const follow = (event: EventPayload<T>): void => {
    if (job.idOf(event) !== id) return;
    job.onEvent(event);
    if (job.isLast(event)) settle(event);
  };
  const stop = workbench.on(job.topic, (event) => (id === undefined ? early.push(event) : follow(event)));
  try {
    const started = await job.start();
    id = started;
    for (const event of early.splice(0)) follow(event);
    const cancel = (): void => void job.cancel(started).catch(() => undefined);
    io.signal.addEventListener('abort', cancel, { once: true });
    const last = await ended.finally(() => io.signal.removeEventListener('abort', cancel));
    return { id: started, last };
  } finally {
    stop();
  }
}
