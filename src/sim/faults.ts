/**
 * Fault injection for tests: what can go wrong between the workbench and a
 * board. Set at start (`SimBoardOptions.faults`) or at run time
 * (`board.faults.set({...})`); one-shot actions (rotate the host key, reboot,
 * fill the disk) are methods on the board.
 */
export interface FaultSettings {
  /** Close every new SSH connection this long after it authenticates. */
  dropAfterMs: number | null;
  /** Close an SSH connection once this many bytes went to the client. */
  dropAfterBytes: number | null;
  /** Reject every authentication attempt. */
  refuseAuth: boolean;
  /** Delay before each command starts and each authentication answer. */
  latencyMs: number;
  /** The disk has no free space left: installs fail the way dpkg fails. */
  diskFull: boolean;
  /** `tegrastats` stops (exits 1, no more lines) after this many lines. */
  tegrastatsStopAfterLines: number | null;
}

export function noFaults(): FaultSettings {
  return { dropAfterMs: null, dropAfterBytes: null, refuseAuth: false, latencyMs: 0, diskFull: false, tegrastatsStopAfterLines: null };
}

export class FaultInjector {
  #settings: FaultSettings;

  constructor(initial: Partial<FaultSettings> = {}) {
    this.#settings = { ...noFaults(), ...initial };
  }

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  set(changes: Partial<FaultSettings>): void {
    this.#settings = { ...this.#settings, ...changes };
  }

  clear(): void {
    this.#settings = noFaults();
  }

  /** Resolves after the configured latency (at once when none). */
  delay(signal?: AbortSignal): Promise<void> {
    const ms = this.#settings.latencyMs;
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
