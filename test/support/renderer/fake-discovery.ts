/**
 * The discovery half of FakeCore: `discovery.*` answers as
 * src/main/discovery/service.ts gives them (a scan or a browse answers at
 * once, what it finds comes as `discovery.onDidChange` events the test sends).
 */
import type { TopicName } from '../../../src/shared/api.ts';
import type { DiscoveryState, NetworkInterface, SerialLogin } from '../../../src/shared/discovery-contract.ts';
import type { Result } from '../../../src/shared/errors.ts';

export class FakeDiscovery {
  /** What `discovery.list` answers; tests stream changes with `emit('discovery.onDidChange', …)`. */
  state: DiscoveryState = { boards: [], scan: null, mdns: null };
  /** What `discovery.interfaces` lists. */
  interfaces: NetworkInterface[] = [];
  /** What `discovery.serialLogin` answers, by path, for the password `password`; anything else is refused. */
  readonly logins = new Map<string, { password: string; login: SerialLogin }>();
  readonly #emit: (topic: TopicName, payload: unknown) => void;

  constructor(emit: (topic: TopicName, payload: unknown) => void) {
    this.#emit = emit;
  }

  answer(method: string, input: Record<string, unknown>): Result<unknown> {
    if (method === 'discovery.list') return { ok: true, value: this.state };
    if (method === 'discovery.scan') {
      const { range, ports } = input as { range: string; ports: number[] };
      this.#change({ scan: { range, ports, total: 32, probed: 0, running: true } });
      return { ok: true, value: { hosts: 32 } };
    }
    if (method === 'discovery.stop') {
      const running = this.state.scan?.running ?? false;
      if (this.state.scan) this.#change({ scan: { ...this.state.scan, running: false } });
      return { ok: true, value: { stopped: running } };
    }
    if (method === 'discovery.addSerialPort') {
      const path = String(input.path);
      const key = `serial://${path}`;
      const port = { key, protocol: 'serial' as const, address: path, label: path, properties: { manual: true }, source: 'manual' };
      this.#change({ boards: [...this.state.boards, { id: key, label: path, ports: [port] }] });
      return { ok: true, value: this.state };
    }
    if (method === 'discovery.interfaces') return { ok: true, value: this.interfaces };
    if (method === 'discovery.browseMdns') return this.#browse(String(input.interface));
    if (method === 'discovery.stopMdns') {
      const running = this.state.mdns?.running ?? false;
      if (this.state.mdns) this.#change({ mdns: { ...this.state.mdns, running: false } });
      return { ok: true, value: { stopped: running } };
    }
    if (method === 'discovery.serialLogin') {
      const known = this.logins.get(String(input.path));
      if (known === undefined || known.password !== input.password) {
        return { ok: false, error: { code: 'auth-failed', message: 'The board refused the login.', detail: 'Login incorrect' } };
      }
      return { ok: true, value: known.login };
    }
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  #browse(address: string): Result<unknown> {
    const chosen = this.interfaces.find((candidate) => candidate.address === address);
    if (chosen === undefined) return { ok: false, error: { code: 'not-found', message: 'No such interface.', detail: address } };
    const mdns = { interface: chosen.address, name: chosen.name, running: true };
    this.#change({ mdns });
    return { ok: true, value: mdns };
  }

  #change(patch: Partial<DiscoveryState>): void {
    this.state = { ...this.state, ...patch };
    this.#emit('discovery.onDidChange', this.state);
  }
}
