import type { DiscoveryEvent, DiscoverySource } from '../../shared/discovery.ts';
import { PortSet } from './port-set.ts';
import { SshScanSource, type SshScanOptions } from './ssh-scan-source.ts';

export interface RangeScanProgress {
  range: string;
  ports: number[];
  total: number;
  probed: number;
  running: boolean;
}

/**
 * The on-demand range scans of the Boards view as one discovery source: each
 * `scan()` replaces the previous one (its results leave, the new ones stream
 * in), `cancel()` stops a pass in flight and keeps what it found so far.
 */
export class RangeScanSource implements DiscoverySource {
  readonly name = 'ssh-scan';
  readonly #set = new PortSet();
  readonly #defaults: Partial<SshScanOptions>;
  readonly #progressListeners = new Set<(progress: RangeScanProgress | undefined) => void>();
  #scan: SshScanSource | undefined;
  #stopForwarding: (() => void) | undefined;
  #progress: RangeScanProgress | undefined;

  /** `defaults`: timeouts and concurrency for every scan (tests shorten them). */
  constructor(defaults: Partial<SshScanOptions> = {}) {
    this.#defaults = defaults;
  }

  get progress(): RangeScanProgress | undefined {
    return this.#progress;
  }

  onDidChange(listener: (event: DiscoveryEvent) => void): () => void {
    return this.#set.onDidChange(listener);
  }

  onDidProgress(listener: (progress: RangeScanProgress | undefined) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.cancel();
    this.#set.clear();
  }

  /**
   * Starts a pass and returns how many targets it probes, without waiting for
   * it: results arrive as events. Throws AddressRangeError for a bad range,
   * before anything is sent and before the previous results are dropped.
   */
  async scan(range: string, ports: readonly number[]): Promise<number> {
    const scan = new SshScanSource({
      ...this.#defaults,
      range,
      ports,
      onProgress: (probed, total) => this.#report({ range, ports: [...ports], total, probed, running: probed < total }),
    });
    await this.cancel();
    this.#set.clear();
    this.#scan = scan;
    this.#stopForwarding = this.#set.follow(scan, this.name);
    const total = scan.targetCount;
    this.#report({ range, ports: [...ports], total, probed: 0, running: total > 0 });
    void scan.start().finally(() => {
      if (this.#scan !== scan || this.#progress === undefined) return;
      this.#report({ ...this.#progress, running: false });
    });
    return total;
  }

  /** Stops the pass in flight (if any); what it found stays listed. Resolves once it stopped. */
  async cancel(): Promise<boolean> {
    const scan = this.#scan;
    if (scan === undefined) return false;
    const wasRunning = this.#progress?.running ?? false;
    this.#stopForwarding?.();
    this.#stopForwarding = undefined;
    this.#scan = undefined;
    // SshScanSource.stop() clears its own set: forwarding is already off, so ours keeps the results.
    await scan.stop();
    if (this.#progress !== undefined && this.#progress.running) this.#report({ ...this.#progress, running: false });
    return wasRunning;
  }

  #report(progress: RangeScanProgress): void {
    this.#progress = progress;
    for (const listener of [...this.#progressListeners]) listener(progress);
  }
}
