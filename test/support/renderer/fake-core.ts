/**
 * A tiny in-memory stand-in for the workbench core, for renderer tests. Each
 * `connect()` is one window: a real `createRemoteBridge` over an in-memory
 * pipe that copies every message with `structuredClone` (as Electron's IPC
 * does, so a Svelte proxy sent without `$state.snapshot` fails the test) and
 * delivers it on a later microtask, like a real transport.
 */
import type {
  AppInfo,
  BoardDetails,
  BoardSummary,
  ConnectOutcome,
  DemoBoard,
  MethodName,
  Preferences,
  SimProfileSummary,
  TopicName,
  WorkbenchBridge,
} from '../../../src/shared/api.ts';
import type { Result, WorkbenchError } from '../../../src/shared/errors.ts';
import type { BoardFacts } from '../../../src/shared/identify/board-facts.ts';
import { createRemoteBridge, type ClientMessage, type ServerMessage } from '../../../src/shared/wire.ts';
import { FakeBench } from './fake-bench.ts';
import { FakeDiscovery } from './fake-discovery.ts';
import { FakeFlash } from './fake-flash.ts';
import { FakeInstall } from './fake-install.ts';
import { FakeTelemetry } from './fake-telemetry.ts';

export const sampleInfo: AppInfo = {
  name: 'Jetson Workbench',
  version: '9.8.7',
  platform: 'linux',
  arch: 'x64',
  runtime: 'Node.js 22.23.3',
  shell: 'serve',
  dataDir: '/home/student/.local/share/jetson-workbench',
  database: { path: '/home/student/.local/share/jetson-workbench/results.sqlite', schemaVersion: 3 },
};

/** A few of the simulator's profiles, as `demo.profiles` lists them (src/sim/profiles). */
export const sampleProfiles: SimProfileSummary[] = [
  { id: 'nano', name: 'Jetson Nano 4GB', kind: 'jetson', l4t: '32.7.1', jetpack: '4.6.1' },
  { id: 'orin-nano', name: 'Jetson Orin Nano 8GB', kind: 'jetson', l4t: '36.4.7', jetpack: '6.2.1' },
  { id: 'desktop-gpu', name: 'Desktop GPU host (GeForce RTX 3060)', kind: 'desktop-gpu', l4t: null, jetpack: null },
];

/** A board as the core's demo mode describes it: 127.0.0.2 and up, port 2222. */
export function sampleBoard(profile: string, index: number): DemoBoard {
  return {
    id: `sim-${index}`,
    profile,
    name: `${profile}-${index}`,
    host: `127.0.0.${index + 1}`,
    port: 2222,
    user: 'jetson',
    password: `secret-${index}`,
    fingerprint: `SHA256:${'A'.repeat(42)}${index}`,
    startedAt: Date.UTC(2025, 0, 6, 9, 30, index),
  };
}

/** A remembered board as `boards.list` describes it. */
export function sampleBoardSummary(index: number, patch: Partial<BoardSummary> = {}): BoardSummary {
  return {
    id: `board-${index}`,
    name: `bench-${index}`,
    notes: '',
    host: `127.0.0.${index + 1}`,
    port: 22,
    user: 'jetson',
    state: 'offline',
    fingerprint: null,
    lastSeen: null,
    module: null,
    jetpack: null,
    frameworks: null,
    powerW: null,
    demoId: null,
    keyInstalled: false,
    identifying: false,
    ...patch,
  };
}

interface Window {
  readonly topics: Set<TopicName>;
  deliver(message: ServerMessage): void;
}

export class FakeCore {
  info: AppInfo = structuredClone(sampleInfo);
  preferences: Preferences = { language: 'en', theme: 'system' };
  /** Methods that answer with this error instead of their value. */
  readonly failures = new Map<MethodName, WorkbenchError>();
  readonly requests: { method: string; input: unknown }[] = [];
  profiles: SimProfileSummary[] = structuredClone(sampleProfiles);
  boards: DemoBoard[] = [];
  knownBoards: BoardSummary[] = [];
  /** What `boards.connect` answers, in order; once empty it answers "connected". */
  readonly connectOutcomes: ConnectOutcome[] = [];
  /** Discovery's state, interfaces and serial logins; tests stream changes with `emit('discovery.onDidChange', …)`. */
  readonly discovery = new FakeDiscovery((topic, payload) => this.emit(topic, payload));
  /** Telemetry boards and recordings; `telemetry.push(batch)` sends a sample batch. */
  readonly telemetry = new FakeTelemetry(
    (topic, payload) => this.emit(topic, payload),
    (id) => {
      const board = this.knownBoards.find((candidate) => candidate.id === id);
      return board === undefined ? undefined : { name: board.name, simulated: board.demoId !== null };
    },
  );
  /** Benchmark plans; `bench.progress(event)` sends a progress event. */
  readonly bench = new FakeBench((topic, payload) => this.emit(topic, payload));
  /** Installs; `install.progress(event)` sends a progress event. */
  readonly install = new FakeInstall((topic, payload) => this.emit(topic, payload));
  /** Drives, devkits, flash jobs and the console's questions; `flash.progress(job)` sends a progress event. */
  readonly flash = new FakeFlash((topic, payload) => this.emit(topic, payload));
  /** What `boards.details` answers as facts, per board id (null when absent). */
  readonly facts = new Map<string, BoardFacts>();
  readonly #windows = new Set<Window>();
  readonly #held = new Map<MethodName, Promise<void>>();
  #boardCount = 0;

  /** Holds the answers to `method` until the returned function is called. */
  hold(method: MethodName): () => void {
    let release = () => {};
    this.#held.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.#held.delete(method);
      release();
    };
  }

  connect(): WorkbenchBridge {
    const listeners: ((message: ServerMessage) => void)[] = [];
    const window: Window = {
      topics: new Set(),
      deliver: (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => listeners.forEach((listener) => listener(copy)));
      },
    };
    this.#windows.add(window);
    return createRemoteBridge({
      send: (message) => {
        const copy = structuredClone(message);
        queueMicrotask(() => this.#receive(window, copy));
      },
      onMessage: (listener) => listeners.push(listener),
      onClose: () => {},
    });
  }

  #receive(window: Window, message: ClientMessage): void {
    if (message.type === 'subscribe') window.topics.add(message.topic as TopicName);
    else if (message.type === 'unsubscribe') window.topics.delete(message.topic as TopicName);
    else {
      this.requests.push({ method: message.method, input: message.input });
      const held = this.#held.get(message.method as MethodName) ?? Promise.resolve();
      void held.then(() => window.deliver({ type: 'response', id: message.id, result: this.#answer(message.method, message.input) }));
    }
  }

  #answer(method: string, input: unknown): Result<unknown> {
    const failure = this.failures.get(method as MethodName);
    if (failure) return { ok: false, error: failure };
    if (method === 'app.info') return { ok: true, value: this.info };
    if (method === 'settings.get') return { ok: true, value: this.preferences };
    if (method === 'settings.update') {
      this.preferences = { ...this.preferences, ...(input as Partial<Preferences>) };
      this.emit('settings.onDidChange', this.preferences);
      return { ok: true, value: this.preferences };
    }
    if (method.startsWith('demo.')) return this.#answerDemo(method, input);
    if (method.startsWith('discovery.')) return this.discovery.answer(method, input as Record<string, unknown>);
    if (method.startsWith('boards.')) return this.#answerBoards(method, input as { id: string } & Record<string, unknown>);
    if (method.startsWith('bench.')) return this.bench.answer(method, input as Record<string, unknown>);
    if (method.startsWith('install.')) return this.install.answer(method, input as Record<string, unknown>);
    if (method.startsWith('telemetry.')) return this.telemetry.answer(method, input as Record<string, unknown>);
    if (method.startsWith('flash.')) return this.flash.answer(method, input as Record<string, unknown>);
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  /** Starts a simulated board as `demo.add` does, mirrored into the Boards view's list under the same id. */
  addSimulatedBoard(profile: string): DemoBoard {
    const board = sampleBoard(profile, ++this.#boardCount);
    this.boards = [...this.boards, board];
    this.emit('demo.onDidChange', this.boards);
    const mirrored = sampleBoardSummary(this.#boardCount, {
      id: board.id,
      name: board.name,
      host: board.host,
      port: board.port,
      demoId: board.id,
    });
    this.#setBoards([...this.knownBoards, mirrored]);
    return board;
  }

  // Like src/main/demo/demo-boards.ts and boards/demo-mirror.ts: the change events leave before the answer.
  #answerDemo(method: string, input: unknown): Result<unknown> {
    if (method === 'demo.profiles') return { ok: true, value: this.profiles };
    if (method === 'demo.list') return { ok: true, value: this.boards };
    if (method === 'demo.add') return { ok: true, value: this.addSimulatedBoard((input as { profile: string }).profile) };
    if (method === 'demo.remove') {
      const { id } = input as { id: string };
      const removed = this.boards.some((board) => board.id === id);
      this.boards = this.boards.filter((board) => board.id !== id);
      if (removed) {
        this.emit('demo.onDidChange', this.boards);
        this.#setBoards(this.knownBoards.filter((board) => board.demoId !== id));
      }
      return { ok: true, value: { removed } };
    }
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  // Like src/main/boards: every change is announced with the whole list.
  #answerBoards(method: string, input: { id: string } & Record<string, unknown>): Result<unknown> {
    if (method === 'boards.list') return { ok: true, value: this.knownBoards };
    if (method === 'boards.add') {
      const added = sampleBoardSummary(this.knownBoards.length + 1, {
        host: String(input.host),
        port: Number(input.port ?? 22),
        user: String(input.user),
        name: String(input.name ?? input.host),
      });
      this.#setBoards([...this.knownBoards, added]);
      return { ok: true, value: added };
    }
    const board = this.knownBoards.find((candidate) => candidate.id === input.id);
    if (board === undefined) return { ok: false, error: { code: 'not-found', message: 'No such board.', detail: input.id } };
    if (method === 'boards.connect') {
      const outcome = this.connectOutcomes.shift();
      if (outcome !== undefined) return { ok: true, value: outcome };
      const online = this.#patchBoard(board.id, { state: 'online', powerW: 4.8 });
      return { ok: true, value: { status: 'connected', board: online } };
    }
    if (method === 'boards.disconnect') return { ok: true, value: this.#patchBoard(board.id, { state: 'offline', powerW: null }) };
    if (method === 'boards.trustHostKey')
      return { ok: true, value: this.#patchBoard(board.id, { fingerprint: String(input.fingerprint) }) };
    if (method === 'boards.update') return { ok: true, value: this.#patchBoard(board.id, { name: String(input.name ?? board.name) }) };
    if (method === 'boards.details')
      return { ok: true, value: { ...board, facts: this.facts.get(board.id) ?? null, identifiedAt: null } satisfies BoardDetails };
    if (method === 'boards.remove') {
      this.#setBoards(this.knownBoards.filter((candidate) => candidate.id !== board.id));
      return { ok: true, value: { removed: true } };
    }
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  #patchBoard(id: string, patch: Partial<BoardSummary>): BoardSummary {
    const boards = this.knownBoards.map((board) => (board.id === id ? { ...board, ...patch } : board));
    this.#setBoards(boards);
    return boards.find((board) => board.id === id) as BoardSummary;
  }

  #setBoards(boards: BoardSummary[]): void {
    this.knownBoards = boards;
    this.emit('boards.onDidChange', boards);
  }

  emit(topic: TopicName, payload: unknown): void {
    for (const window of this.#windows) {
      if (window.topics.has(topic)) window.deliver({ type: 'event', topic, payload });
    }
  }
}
