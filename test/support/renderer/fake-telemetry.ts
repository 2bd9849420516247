/**
 * The telemetry half of FakeCore: boards started by `telemetry.start`, their
 * recordings, and `push()` to send a `telemetry.onDidSample` batch the way
 * the core does (src/main/telemetry/telemetry-service.ts).
 */
import type { TopicName } from '../../../src/shared/api.ts';
import type { Result } from '../../../src/shared/errors.ts';
import { boardKey, type BoardRef } from '../../../src/shared/boards/board-ref.ts';
import type { PowerBatch } from '../../../src/shared/power/batch.ts';
import type { RecordingInfo, TelemetryBoardState } from '../../../src/shared/telemetry/contract.ts';

export function sampleTelemetryState(board: string, patch: Partial<TelemetryBoardState> = {}): TelemetryBoardState {
  return {
    board,
    label: board,
    simulated: false,
    source: 'tegrastats',
    powerSource: 'tegrastats',
    intervalMs: 500,
    state: 'running',
    error: null,
    samples: 0,
    gaps: 0,
    lost: 0,
    unparsed: 0,
    recentUnparsed: [],
    inputRail: 'VDD_IN',
    rails: ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC'],
    powerMode: { name: '15W', id: 0 },
    recording: null,
    ...patch,
  };
}

/** A batch of `count` samples every `stepS` from `t0`, at `watts` total (input rail 60 % CPU/GPU, 25 % SoC). */
export function sampleBatch(board: string, seq0: number, t0: number, count: number, watts: number, stepS = 0.5): PowerBatch {
  const t = Array.from({ length: count }, (_, index) => t0 + index * stepS);
  const mw = t.map(() => watts * 1000);
  return {
    board,
    seq0,
    t,
    inputRail: 'VDD_IN',
    inputMw: mw,
    railSumMw: mw.map((value) => value * 0.85),
    rails: { VDD_IN: mw, VDD_CPU_GPU_CV: mw.map((value) => value * 0.6), VDD_SOC: mw.map((value) => value * 0.25) },
    cpuLoad: t.map(() => 40),
    gpuLoad: t.map(() => 10),
    gpuMhz: t.map(() => 612),
    emcLoad: t.map(() => 5),
    ramUsedMb: t.map(() => 2100),
    temps: { cpu: t.map(() => 48.5), gpu: t.map(() => 46) },
    markers: [],
  };
}

export class FakeTelemetry {
  boards: TelemetryBoardState[] = [];
  recordings: RecordingInfo[] = [];
  readonly #emit: (topic: TopicName, payload: unknown) => void;
  readonly #boardName: (id: string) => { name: string; simulated: boolean } | undefined;
  #recordingCount = 0;

  /** `boardName`: an inventory board's name (the core's label) and whether it is simulated. */
  constructor(
    emit: (topic: TopicName, payload: unknown) => void,
    boardName: (id: string) => { name: string; simulated: boolean } | undefined = () => undefined,
  ) {
    this.#emit = emit;
    this.#boardName = boardName;
  }

  push(batch: PowerBatch): void {
    this.#emit('telemetry.onDidSample', batch);
  }

  change(board: string, patch: Partial<TelemetryBoardState>): void {
    this.boards = this.boards.map((state) => (state.board === board ? { ...state, ...patch } : state));
    const state = this.boards.find((candidate) => candidate.board === board);
    if (state !== undefined) this.#emit('telemetry.onDidChange', state);
  }

  answer(method: string, input: Record<string, unknown>): Result<unknown> {
    if (method === 'telemetry.list') return { ok: true, value: this.boards };
    if (method === 'telemetry.start') return this.#start(input.board as BoardRef, input);
    if (method === 'telemetry.recordings') return { ok: true, value: this.recordings };
    if (method === 'telemetry.exportCsv') {
      const id = String(input.id);
      return { ok: true, value: { csv: `seq,t_s,input_mw\n0,1.000,5000\n`, path: `/data/exports/${id}.csv` } };
    }
    const board = String(input.board);
    const state = this.boards.find((candidate) => candidate.board === board);
    if (state === undefined)
      return { ok: false, error: { code: 'not-found', message: 'Telemetry is not running on this board.', detail: board } };
    if (method === 'telemetry.stop') {
      this.boards = this.boards.filter((candidate) => candidate !== state);
      this.#emit('telemetry.onDidChange', { ...state, state: 'stopped' });
      return { ok: true, value: { stopped: true } };
    }
    if (method === 'telemetry.mark') return { ok: true, value: { t: 1_700_000_000, recordingT: null } };
    if (method === 'telemetry.record.start') {
      const id = `rec-${++this.#recordingCount}`;
      this.change(board, { recording: id });
      return { ok: true, value: { id } };
    }
    if (method === 'telemetry.record.stop') return this.#stopRecording(state);
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }

  #start(ref: BoardRef, input: Record<string, unknown>): Result<unknown> {
    const board = boardKey(ref);
    const named = ref.kind === 'address' ? undefined : this.#boardName(ref.id);
    const source = input.source === 'auto' || input.source === undefined ? 'agent' : (input.source as TelemetryBoardState['source']);
    const state = sampleTelemetryState(board, {
      label: named?.name ?? board,
      simulated: named?.simulated ?? false,
      source,
      powerSource: source === 'agent' ? 'hwmon' : source,
      intervalMs: input.intervalMs === undefined ? 10 : Number(input.intervalMs),
    });
    this.boards = [...this.boards.filter((candidate) => candidate.board !== board), state];
    this.#emit('telemetry.onDidChange', state);
    return { ok: true, value: state };
  }

  #stopRecording(state: TelemetryBoardState): Result<unknown> {
    const id = state.recording;
    if (id === null) return { ok: false, error: { code: 'conflict', message: 'This board is not recording.', detail: state.board } };
    const info: RecordingInfo = {
      id,
      board: state.board,
      title: `${state.label} telemetry`,
      status: 'done',
      startedAt: Date.UTC(2025, 0, 6, 10),
      finishedAt: Date.UTC(2025, 0, 6, 10, 1),
      samples: 120,
      powerMode: state.powerMode,
      energy: {
        fromT: 0,
        toT: 60,
        input: { joules: 412.5, averageW: 6.875, peakW: 9.5 },
        rails: { VDD_CPU_GPU_CV: { joules: 247.5, averageW: 4.125, peakW: 5.7 } },
        coveredS: 60,
        gaps: [],
        gapS: 0,
      },
      reason: null,
    };
    this.recordings = [info, ...this.recordings];
    this.change(state.board, { recording: null });
    return { ok: true, value: info };
  }
}
