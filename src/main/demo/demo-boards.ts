/**
 * Demo mode: simulated boards started inside the app, so a student without a
 * board (or a teacher at the projector) can try every workflow. The
 * simulator itself is injected by the composition root: services never
 * import src/sim.
 */
import type { DemoBoard, SimProfileSummary } from '../../shared/api.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

export interface RunningSimulatedBoard {
  host: string;
  port: number;
  user: string;
  password: string;
  fingerprint: string;
  dispose(): Promise<void>;
}

export interface Simulator {
  profiles(): SimProfileSummary[];
  /** Starts one board; rejects when the address is taken. */
  start(options: { profile: string; name: string; host: string; port: number }): Promise<RunningSimulatedBoard>;
}

/** Demo boards take 127.0.0.2, 127.0.0.3, … like `jwb sim`, each on the SSH port below. */
const firstHostOctet = 2;
const lastHostOctet = 254;
const demoPort = 2222;

export class DemoBoards {
  readonly #simulator: Simulator;
  readonly #boards = new Map<string, { info: DemoBoard; running: RunningSimulatedBoard }>();
  readonly #listeners = new Set<(boards: DemoBoard[]) => void>();
  #counter = 0;

  constructor(simulator: Simulator) {
    this.#simulator = simulator;
  }

  profiles(): SimProfileSummary[] {
    return this.#simulator.profiles();
  }

  list(): DemoBoard[] {
    return [...this.#boards.values()].map((board) => board.info);
  }

  async add(profile: string): Promise<DemoBoard> {
    if (!this.profiles().some((candidate) => candidate.id === profile)) {
      throw new WorkbenchFailure('invalid-request', 'There is no simulated board of this kind.', profile);
    }
    const number = ++this.#counter;
    const name = `${profile}-${number}`;
    const running = await this.#startOnFreeAddress(profile, name);
    const info: DemoBoard = {
      id: `sim-${number}`,
      profile,
      name,
      host: running.host,
      port: running.port,
      user: running.user,
      password: running.password,
      fingerprint: running.fingerprint,
      startedAt: Date.now(),
    };
    this.#boards.set(info.id, { info, running });
    this.#changed();
    return info;
  }

  async #startOnFreeAddress(profile: string, name: string): Promise<RunningSimulatedBoard> {
    const used = new Set(this.list().map((board) => board.host));
    for (let octet = firstHostOctet; octet <= lastHostOctet; octet++) {
      const host = `127.0.0.${octet}`;
      if (used.has(host)) continue;
      try {
        return await this.#simulator.start({ profile, name, host, port: demoPort });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') continue; // Another program (or `jwb sim`) holds it.
        // macOS and Windows route only 127.0.0.1 by default: fall back to it, on any free port.
        if (code === 'EADDRNOTAVAIL') return this.#simulator.start({ profile, name, host: '127.0.0.1', port: 0 });
        throw error;
      }
    }
    throw new WorkbenchFailure('unavailable', 'No free loopback address is left for another simulated board.');
  }

  async remove(id: string): Promise<boolean> {
    const board = this.#boards.get(id);
    if (!board) return false;
    this.#boards.delete(id);
    await board.running.dispose();
    this.#changed();
    return true;
  }

  onDidChange(listener: (boards: DemoBoard[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    const boards = [...this.#boards.values()];
    this.#boards.clear();
    await Promise.all(boards.map((board) => board.running.dispose()));
  }

  #changed(): void {
    const boards = this.list();
    for (const listener of [...this.#listeners]) listener(boards);
  }
}
