import type { Buffer } from 'node:buffer';
import { KnownHosts, type HostKeyVerdict } from '../link/known-hosts.ts';

/**
 * KnownHosts that also remembers the last verdict per address, so a refused
 * connection can tell the person exactly which key the board offered (to
 * show before trusting it) without parsing an error sentence.
 */
export class ObservedKnownHosts extends KnownHosts {
  readonly #verdicts = new Map<string, HostKeyVerdict>();

  override async check(host: string, port: number, hostKey: Buffer): Promise<HostKeyVerdict> {
    const verdict = await super.check(host, port, hostKey);
    this.#verdicts.set(addressOf(host, port), verdict);
    return verdict;
  }

  lastVerdict(host: string, port: number): HostKeyVerdict | undefined {
    return this.#verdicts.get(addressOf(host, port));
  }

  clearVerdict(host: string, port: number): void {
    this.#verdicts.delete(addressOf(host, port));
  }
}

function addressOf(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}
