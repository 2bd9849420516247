import { WorkbenchFailure } from '../../shared/errors.ts';
import { cancelledFailure } from './serial-errors.ts';

export interface BackoffPolicy {
  /** First wait after a failed try; doubles each time. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up (rethrowing the last failure) after this long. A Jetson reboot takes about a minute. */
  giveUpAfterMs: number;
}

const defaultPolicy: BackoffPolicy = { initialDelayMs: 250, maxDelayMs: 5_000, giveUpAfterMs: 5 * 60_000 };

/**
 * Only a missing or silent port is worth another try; a wrong password, a
 * port another program holds or a refused permission stay that way.
 */
function worthRetrying(error: unknown): boolean {
  return error instanceof WorkbenchFailure && (error.code === 'unavailable' || error.code === 'timeout');
}

/** Runs `attempt` until it succeeds, backing off between tries (the way a USB device comes back after a reboot). */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  options: Partial<BackoffPolicy> & { signal?: AbortSignal } = {},
): Promise<T> {
  const policy = { ...defaultPolicy, ...options };
  const startedAt = Date.now();
  for (let tries = 0; ; tries += 1) {
    if (options.signal?.aborted) throw cancelledFailure();
    try {
      return await attempt();
    } catch (error) {
      const delay = Math.min(policy.initialDelayMs * 2 ** tries, policy.maxDelayMs);
      if (!worthRetrying(error) || Date.now() - startedAt + delay > policy.giveUpAfterMs) throw error;
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledFailure());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
