/**
 * Telemetry for the contract: one source and one Recorder per board, batched
 * columnar events to the renderer on a fixed cadence (never one event per
 * sample), recordings in SQLite with per-rail energy (written as they go),
 * CSV export. A board that reboots comes back on its own (source-keeper.ts).
 */
import type { Sample } from '../../shared/telemetry/sample.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventPayload, TopicName } from '../../shared/api.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';
import type { RecordingInfo, TelemetryBoardState } from '../../shared/telemetry/contract.ts';
import { emptyColumns, recordingEnergy } from '../../shared/telemetry/columns.ts';
import { recordingToCsv } from '../../shared/telemetry/csv.ts';
import type { BoardLease } from '../boards/board-registry.ts';
import { readPowerMode } from '../boards/power-mode.ts';
import { maxGapFor } from '../../shared/power/gaps.ts';
import { maxNamedSeries } from '../../shared/power/plausible.ts';
import { Recorder } from './recorder.ts';
import type { RecordingRun, Recordings } from '../store/recordings.ts';
import { recordingInfoOf } from './recording-info.ts';
import { chooseSource, type SourceRequest } from './source-choice.ts';
import { SourceKeeper } from './source-keeper.ts';
import { startSource } from './sources.ts';

export interface TelemetryServiceOptions {
  boards: { open(ref: BoardRef): Promise<BoardLease> };
  /** Resources.agentDir: the agent is pushed to the board for its power sampler. */
  agentRoot: string;
  store: Recordings;
  exportDir: string;
  emit<T extends TopicName>(topic: T, payload: EventPayload<T>): void;
  /** Batch cadence, ms (default 100: at most 10 events a second per board). */
  flushMs?: number;
  clock?: () => number;
}

interface BoardSession {
  state: TelemetryBoardState;
  lease: BoardLease;
  source: SourceKeeper | null;
  recorder: Recorder;
  markers: { t: number; label: string }[];
  changed: boolean;
}

export function epochSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

export class TelemetryService {
  readonly #options: TelemetryServiceOptions;
  readonly #sessions = new Map<string, BoardSession>();
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: TelemetryServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? epochSeconds;
  }

  async start(ref: BoardRef, request: SourceRequest, intervalMs: number | undefined): Promise<TelemetryBoardState> {
    if ((request === 'tegrastats' || request === 'nvidia-smi') && intervalMs !== undefined && intervalMs < 100) {
      throw new WorkbenchFailure('invalid-request', `${request} samples at most every 100 ms.`, `intervalMs ${intervalMs}`);
    }
    const lease = await this.#options.boards.open(ref);
    if (this.#sessions.has(lease.key)) await this.stop(lease.key);
    let chosen;
    try {
      chosen = await chooseSource(lease.link, request, intervalMs, this.#options.agentRoot);
    } catch (error) {
      await lease.release();
      throw error;
    }
    const session: BoardSession = {
      state: {
        board: lease.key,
        label: lease.label,
        simulated: lease.simulated,
        source: chosen.kind,
        powerSource: chosen.powerSource,
        intervalMs: chosen.intervalMs,
        state: 'starting',
        error: null,
        samples: 0,
        gaps: 0,
        lost: 0,
        unparsed: 0,
        recentUnparsed: [],
        inputRail: null,
        rails: [],
        powerMode: null,
        recording: null,
      },
      lease,
      source: null,
      recorder: new Recorder({ intervalS: chosen.intervalMs / 1000 }, this.#options.store),
      markers: [],
      changed: true,
    };
    this.#sessions.set(lease.key, session);
    session.state.powerMode = chosen.kind === 'nvidia-smi' ? null : await readPowerMode(lease.link);
    const sink = this.#sinkFor(session);
    const options = { intervalMs: chosen.intervalMs, clock: this.#clock, ...(chosen.agentArgv && { agentArgv: chosen.agentArgv }) };
    const show = (state: TelemetryBoardState['state'], error: string | null) => {
      Object.assign(session.state, { state, error });
      session.changed = true;
    };
    session.source = new SourceKeeper(lease.link, () => startSource(chosen.kind, lease.link, sink, options), {
      running: () => show('running', null),
      waiting: (why) => show('starting', why),
      failed: (why) => show('failed', why),
    });
    this.#ensureTimer();
    this.#emitChange(session);
    return { ...session.state };
  }

  async stop(board: string): Promise<boolean> {
    const session = this.#sessions.get(board);
    if (session === undefined) return false;
    await session.source?.stop();
    if (session.state.recording !== null) this.#finishRecording(session);
    this.#flush();
    this.#sessions.delete(board);
    session.state.state = 'stopped';
    this.#emitChange(session);
    await session.lease.release();
    if (this.#sessions.size === 0) this.#stopTimer();
    return true;
  }

  list(): TelemetryBoardState[] {
    return [...this.#sessions.values()].map((session) => ({ ...session.state }));
  }

  mark(board: string, label: string): { t: number; recordingT: number | null } {
    const session = this.#session(board);
    const t = this.#clock();
    session.markers.push({ t, label });
    return { t, recordingT: session.recorder.mark(label, t) };
  }

  startRecording(board: string, title?: string): { id: string } {
    const session = this.#session(board);
    if (session.state.recording !== null)
      throw new WorkbenchFailure('conflict', 'This board is already recording.', session.state.recording);
    const id = randomUUID();
    const run: RecordingRun = {
      id,
      board,
      title: title ?? `${session.state.label} telemetry`,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      params: {
        source: session.state.source,
        powerSource: session.state.powerSource,
        intervalMs: session.state.intervalMs,
        simulated: session.state.simulated,
        powerMode: session.state.powerMode,
        label: session.state.label,
      },
      metrics: {},
    };
    this.#options.store.begin(run);
    session.recorder.startRecording(id, this.#clock());
    session.state.recording = id;
    this.#emitChange(session);
    return { id };
  }

  stopRecording(board: string): RecordingInfo {
    const session = this.#session(board);
    if (session.state.recording === null) throw new WorkbenchFailure('conflict', 'This board is not recording.', board);
    const id = this.#finishRecording(session);
    this.#emitChange(session);
    return this.recording(id);
  }

  recordings(limit?: number): RecordingInfo[] {
    return this.#options.store.list(limit).map(recordingInfoOf);
  }

  recording(id: string): RecordingInfo {
    const stored = this.#options.store.list(1000).find((run) => run.id === id);
    if (stored === undefined) throw new WorkbenchFailure('not-found', 'There is no such recording.', id);
    return recordingInfoOf(stored);
  }

  exportCsv(id: string): { csv: string; path: string } {
    const stored = this.#options.store.get(id);
    if (stored === undefined) throw new WorkbenchFailure('not-found', 'There is no such recording.', id);
    const csv = recordingToCsv(stored.columns, stored.markers);
    mkdirSync(this.#options.exportDir, { recursive: true });
    const path = join(this.#options.exportDir, `${id}.csv`);
    writeFileSync(path, csv);
    return { csv, path };
  }

  async dispose(): Promise<void> {
    for (const board of [...this.#sessions.keys()]) await this.stop(board);
    this.#stopTimer();
  }

  #finishRecording(session: BoardSession): string {
    const active = session.recorder.stopRecording();
    const id = session.state.recording as string;
    session.state.recording = null;
    const stored = this.#options.store.get(id);
    const maxGapS = maxGapFor(session.state.intervalMs / 1000);
    const energy = stored === undefined ? null : recordingEnergy(stored.columns, maxGapS);
    this.#options.store.finish(id, active?.markers ?? [], {
      status: 'done',
      finishedAt: Date.now(),
      metrics: { samples: active?.stored ?? 0, energy, maxGapS },
    });
    return id;
  }

  #session(board: string): BoardSession {
    const session = this.#sessions.get(board);
    if (session === undefined) throw new WorkbenchFailure('not-found', 'Telemetry is not running on this board.', board);
    return session;
  }

  #sinkFor(session: BoardSession) {
    const unparsed = (line: string) => {
      session.state.unparsed += 1;
      session.state.recentUnparsed = [...session.state.recentUnparsed.slice(-19), line.slice(0, 300)];
      session.changed = true;
    };
    return {
      samples: (samples: Sample[], lostBefore = 0) => {
        for (const [index, sample] of samples.entries()) {
          const ignored = session.recorder.add(sample, index === 0 ? lostBefore : 0);
          if (ignored.length > 0) unparsed(`not kept (a board has at most ${maxNamedSeries} rails and sensors): ${ignored.join(', ')}`);
        }
        const last = samples[samples.length - 1];
        if (last !== undefined && session.state.rails.length === 0) {
          session.state.rails = [...last.railNames];
          session.state.inputRail = last.inputRail;
          session.changed = true;
        }
      },
      unparsed,
    };
  }

  #ensureTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#flush(), this.#options.flushMs ?? 100);
    this.#timer.unref();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    for (const session of this.#sessions.values()) {
      session.recorder.writeDue(this.#clock());
      const batch = session.recorder.takeBatch();
      const counts = session.recorder.counts;
      if (counts.gaps !== session.state.gaps || counts.lost !== session.state.lost) session.changed = true;
      session.state.samples = counts.samples;
      session.state.gaps = counts.gaps;
      session.state.lost = counts.lost;
      if (batch !== null || session.markers.length > 0) {
        const columns = batch ?? emptyColumns(counts.samples);
        this.#options.emit('telemetry.onDidSample', {
          board: session.state.board,
          inputRail: session.state.inputRail,
          ...columns,
          markers: session.markers,
        });
        session.markers = [];
      }
      if (session.changed) this.#emitChange(session);
    }
  }

  #emitChange(session: BoardSession): void {
    session.changed = false;
    this.#options.emit('telemetry.onDidChange', { ...session.state });
  }
}
