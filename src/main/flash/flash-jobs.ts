/**
 * Every flash the workbench runs, SD or recovery: its state, its whole log
 * (a file kept beside the results, shown in the Flash view and by
 * `jwb flash log`), cancel, and progress events batched to ten a second so a
 * script that prints thousands of lines cannot flood the renderer.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlashJob, FlashOutcome, FlashPhase, FlashProgressEvent } from '../../shared/flash/contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

/** Most log text `flash.log` returns (the file keeps everything). */
const logReadLimit = 4 * 1024 * 1024;
/** Most characters of one log line kept: a bar redrawn in place without newlines must not make one huge line. */
const lineLimit = 4096;
const emitIntervalMs = 100;

export type JobUpdate = Partial<Omit<FlashJob, 'flashId' | 'kind' | 'label' | 'startedAt' | 'logPath'>>;

export interface RunningJob {
  readonly flashId: string;
  readonly signal: AbortSignal;
  /** Appends a line to the log (and to the next event). */
  log(line: string): void;
  update(update: JobUpdate): void;
  /** Ends the job: `done`, `failed` or `cancelled`, with its outcome. */
  finish(phase: Extract<FlashPhase, 'done' | 'failed' | 'cancelled'>, outcome: FlashOutcome): void;
  readonly job: FlashJob;
}

interface Entry {
  job: FlashJob;
  /** The drive or USB port it flashes. */
  target: string;
  controller: AbortController;
  pending: string[];
  timer?: NodeJS.Timeout | undefined;
}

export class FlashJobs {
  readonly #folder: string;
  readonly #emit: (event: FlashProgressEvent) => void;
  readonly #jobs = new Map<string, Entry>();

  constructor(folder: string, emit: (event: FlashProgressEvent) => void) {
    this.#folder = folder;
    this.#emit = emit;
  }

  /** Refuses a second job on the same target (a drive, a USB port): two writers on one drive destroy both. */
  start(kind: FlashJob['kind'], label: string, target: string): RunningJob {
    for (const entry of this.#jobs.values()) {
      if (entry.job.endedAt === null && entry.target === target) {
        throw new WorkbenchFailure('conflict', `A flash is already running on ${target}.`, entry.job.label);
      }
    }
    mkdirSync(this.#folder, { recursive: true, mode: 0o700 });
    const flashId = randomUUID();
    const job: FlashJob = {
      flashId,
      kind,
      label,
      phase: 'preparing',
      stage: null,
      bytes: null,
      totalBytes: null,
      speed: null,
      etaSeconds: null,
      partitionsDone: null,
      partitionsTotal: null,
      startedAt: Date.now(),
      endedAt: null,
      sha256: null,
      outcome: null,
      logPath: join(this.#folder, `${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}-${kind}-${flashId.slice(0, 8)}.log`),
    };
    const entry: Entry = { job, target, controller: new AbortController(), pending: [] };
    this.#jobs.set(flashId, entry);
    const flush = (): void => {
      entry.timer = undefined;
      const lines = entry.pending.splice(0);
      this.#emit({ job: { ...entry.job }, lines });
    };
    const schedule = (): void => {
      entry.timer ??= setTimeout(flush, emitIntervalMs);
    };
    const write = (line: string): void => {
      const kept = line.length > lineLimit ? `${line.slice(0, lineLimit)}…` : line;
      appendFileSync(job.logPath, `${kept}\n`, { mode: 0o600 });
      entry.pending.push(kept);
    };
    write(`# ${label}, started ${new Date(job.startedAt).toISOString()}`);
    schedule();
    return {
      flashId,
      signal: entry.controller.signal,
      get job() {
        return { ...entry.job };
      },
      log: (line) => {
        if (entry.job.endedAt !== null) return;
        write(line);
        schedule();
      },
      update: (update) => {
        if (entry.job.endedAt !== null) return;
        Object.assign(entry.job, update);
        schedule();
      },
      finish: (phase, outcome) => {
        if (entry.job.endedAt !== null) return;
        write(`# ${phase}: ${outcome.summary}${outcome.cause ? ` (${outcome.cause})` : ''}`);
        Object.assign(entry.job, { phase, outcome, endedAt: Date.now(), speed: null, etaSeconds: null });
        if (entry.timer !== undefined) clearTimeout(entry.timer);
        flush();
      },
    };
  }

  cancel(flashId: string): boolean {
    const entry = this.#jobs.get(flashId);
    if (entry === undefined || entry.job.endedAt !== null) return false;
    entry.controller.abort();
    return true;
  }

  list(): FlashJob[] {
    return [...this.#jobs.values()].map((entry) => ({ ...entry.job }));
  }

  get(flashId: string): FlashJob {
    const entry = this.#jobs.get(flashId);
    if (entry === undefined) throw new WorkbenchFailure('not-found', 'No flash with this id.', flashId);
    return { ...entry.job };
  }

  async log(flashId: string): Promise<{ path: string; text: string }> {
    const { logPath } = this.get(flashId);
    const text = await readFile(logPath, 'utf8').catch(() => '');
    return { path: logPath, text: text.length > logReadLimit ? `[…]\n${text.slice(-logReadLimit)}` : text };
  }

  /** Cancels what runs; the services wait for their jobs to end. */
  dispose(): void {
    for (const entry of this.#jobs.values()) {
      if (entry.job.endedAt === null) entry.controller.abort();
      if (entry.timer !== undefined) clearTimeout(entry.timer);
    }
  }
}
