/**
 * The live power view's state: the boards whose telemetry runs (following
 * `telemetry.onDidChange`), the sample batches routed to each board's
 * charts (`telemetry.onDidSample`), and the view's own choices (window,
 * pause, big screen). Only this class talks to the bridge for telemetry.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { TelemetryBoardState, telemetrySourceKinds } from '../../shared/telemetry/contract.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { BoardChoice } from './board-choices.ts';
import { LiveBoard } from './live-board.svelte.ts';

export type TelemetrySource = (typeof telemetrySourceKinds)[number];

export interface LiveActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

/** The window buttons, seconds: 10 s to 30 min (issue 5). */
export const windowChoices = [10, 30, 60, 300, 600, 1800] as const;
/** Sampling intervals, ms; null: as fast as the source allows (100 Hz for the sensors, the default). */
export const intervalChoices = [null, 10, 50, 100, 250, 500, 1000, 2000] as const;

export class LivePowerState {
  boards = $state.raw<LiveBoard[]>([]);
  loaded = $state(false);
  actionError = $state<LiveActionError | undefined>();
  windowS = $state<number>(60);
  paused = $state(false);
  /** Seconds scrolled back from the newest sample while paused. */
  offsetS = $state(0);
  bigScreen = $state(false);
  source = $state<TelemetrySource>('auto');
  intervalMs = $state<number | null>(null);
  /** Keys of the choices being started. */
  starting = $state<string[]>([]);

  readonly #bridge: WorkbenchBridge;
  readonly #stops: (() => void)[] = [];

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
  }

  start(): void {
    if (this.#stops.length > 0) return;
    this.#stops.push(
      this.#bridge.on('telemetry.onDidChange', (state) => this.#apply(state)),
      this.#bridge.on('telemetry.onDidSample', (batch) => this.board(batch.board)?.receive(batch)),
    );
    void this.refresh();
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    for (const board of this.boards) board.dispose();
  }

  board(key: string): LiveBoard | undefined {
    return this.boards.find((board) => board.key === key);
  }

  async refresh(): Promise<void> {
    const result = await this.#bridge.call['telemetry.list']({});
    if (!result.ok) {
      this.actionError = { context: 'power.loadErrorContext', error: result.error };
      return;
    }
    for (const state of result.value) this.#apply(state);
    this.loaded = true;
  }

  async startTelemetry(choice: BoardChoice): Promise<void> {
    if (this.starting.includes(choice.key)) return;
    this.starting = [...this.starting, choice.key];
    try {
      const input = { board: choice.ref, source: this.source, ...(this.intervalMs === null ? {} : { intervalMs: this.intervalMs }) };
      const result = await this.#bridge.call['telemetry.start']($state.snapshot(input));
      if (result.ok) this.#apply(result.value);
      this.#report(result, 'power.startErrorContext');
    } finally {
      this.starting = this.starting.filter((key) => key !== choice.key);
    }
  }

  async stopTelemetry(board: LiveBoard): Promise<void> {
    await this.#busy(board, async () => {
      const result = await this.#bridge.call['telemetry.stop']({ board: board.key });
      this.#report(result, 'power.stopErrorContext');
      if (result.ok) this.#remove(board.key);
    });
  }

  async mark(board: LiveBoard, label: string): Promise<void> {
    const result = await this.#bridge.call['telemetry.mark']({ board: board.key, label });
    this.#report(result, 'power.markErrorContext');
  }

  async startRecording(board: LiveBoard): Promise<void> {
    await this.#busy(board, async () => {
      const result = await this.#bridge.call['telemetry.record.start']({ board: board.key });
      this.#report(result, 'power.recordErrorContext');
      if (!result.ok) return;
      board.resetEnergy();
      board.update({ ...board.state, recording: result.value.id });
    });
  }

  async stopRecording(board: LiveBoard): Promise<void> {
    await this.#busy(board, async () => {
      const result = await this.#bridge.call['telemetry.record.stop']({ board: board.key });
      this.#report(result, 'power.recordErrorContext');
      if (!result.ok) return;
      board.lastRecording = result.value;
      board.update({ ...board.state, recording: null });
    });
  }

  /** Asks the core for the recording's CSV (it also writes the file) and keeps a download link to it. */
  async exportCsv(board: LiveBoard): Promise<void> {
    const recording = board.lastRecording;
    if (recording === undefined) return;
    await this.#busy(board, async () => {
      const result = await this.#bridge.call['telemetry.exportCsv']({ id: recording.id });
      this.#report(result, 'power.exportErrorContext');
      if (!result.ok) return;
      if (board.exported !== undefined) URL.revokeObjectURL(board.exported.url);
      const url = URL.createObjectURL(new Blob([result.value.csv], { type: 'text/csv' }));
      board.exported = { ...result.value, url };
    });
  }

  setWindow(seconds: number): void {
    this.windowS = seconds;
    this.offsetS = Math.min(this.offsetS, this.maxOffsetS());
  }

  togglePause(): void {
    this.paused = !this.paused;
    if (!this.paused) this.offsetS = 0;
  }

  toggleBigScreen(): void {
    this.bigScreen = !this.bigScreen;
  }

  /** How far back the scroll goes: the charts keep 30 minutes. */
  maxOffsetS(): number {
    return Math.max(0, 30 * 60 - this.windowS);
  }

  #apply(state: TelemetryBoardState): void {
    if (state.state === 'stopped') {
      this.#remove(state.board);
      return;
    }
    const existing = this.board(state.board);
    if (existing !== undefined) existing.update(state);
    else this.boards = [...this.boards, new LiveBoard(state)];
  }

  #remove(key: string): void {
    const board = this.board(key);
    if (board === undefined) return;
    board.dispose();
    this.boards = this.boards.filter((candidate) => candidate !== board);
  }

  #report(result: { ok: true } | { ok: false; error: WorkbenchError }, context: MessageKey): void {
    this.actionError = result.ok ? undefined : { context, error: result.error };
  }

  async #busy(board: LiveBoard, action: () => Promise<void>): Promise<void> {
    if (board.busy) return;
    board.busy = true;
    try {
      await action();
    } finally {
      board.busy = false;
    }
  }
}
