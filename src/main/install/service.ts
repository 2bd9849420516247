/**
 * The install service behind the contract's `install.*` methods: lists the
 * recipes for a board, runs installs in the background (one AbortController
 * each), batches their log text into progress events and keeps each finished
 * install's procedure document. Sudo passwords live only in the running
 * install's closure: never stored, logged or sent back.
 */
import { randomUUID } from 'node:crypto';
import type { MethodOutput } from '../../shared/api.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { InstallProgressEvent, InstallRecipeSummary, InstallStartRequest } from '../../shared/install/contract.ts';
import type { InstallProgress } from '../../shared/install/install-contract.ts';
import { familyOfL4t, isSupported, type Recipe } from '../../shared/install/recipe.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';
import type { BoardLease, BoardName } from '../boards/board-registry.ts';
import { checkOfflineFolder } from './offline.ts';
import { procedureHtml, procedureMarkdown } from './procedure.ts';
import { runInstall, type InstallOutcome } from './runner.ts';
import { displayLine, effectiveStep } from './step-line.ts';

export interface InstallServiceOptions {
  recipes(): Recipe[];
  boards: {
    name(ref: BoardRef): BoardName;
    open(ref: BoardRef): Promise<BoardLease>;
    /** What the Boards view knows of an inventory board, connected or not (recipes are listed for offline boards too). */
    storedFacts(ref: BoardRef): BoardFacts | null;
  };
  stateFolder: string;
  emit(topic: 'install.onDidProgress', payload: InstallProgressEvent): void;
  /** How often streamed log text is sent, at most (ms). */
  logIntervalMs?: number;
}

interface Running {
  board: string;
  controller: AbortController;
  done: Promise<unknown>;
  outcome: InstallOutcome | null;
  settled: boolean;
}

/** Framework names as identify reports them, per recipe library (src/main/identify). */
const frameworkNames: Record<string, string[]> = { pytorch: ['torch', 'pytorch'], 'jetson-stats': ['jtop', 'jetson-stats'] };

export class InstallService {
  readonly #options: InstallServiceOptions;
  readonly #installs = new Map<string, Running>();

  constructor(options: InstallServiceOptions) {
    this.#options = options;
  }

  async recipes(ref: BoardRef): Promise<InstallRecipeSummary[]> {
    const name = this.#options.boards.name(ref);
    let facts = this.#options.boards.storedFacts(ref);
    if (facts === null && ref.kind === 'address') {
      const lease = await this.#options.boards.open(ref);
      facts = await lease.facts().finally(() => lease.release());
    }
    const family = familyOfL4t(facts?.l4t ?? null);
    const simulator = name.simulated || facts?.simulated === true;
    return this.#options.recipes().map((recipe) => {
      const installedVersion = installedVersionOf(recipe.library, facts);
      const base = { library: recipe.library, title: recipe.title, legacy: recipe.legacy ?? false, family, installedVersion };
      if (family === null)
        return {
          ...base,
          ...unsupported(
            facts?.l4t
              ? `No recipe for L4T ${facts.l4t}; recipes cover JetPack 4, 5 and 6.`
              : 'The board reports no L4T release (not a Jetson, or not identified yet).',
          ),
        };
      const plan = recipe.families[family];
      if (!isSupported(plan)) return { ...base, ...unsupported(plan.unsupported) };
      return {
        ...base,
        supported: true,
        reason: null,
        minutes: plan.estimate.minutes,
        diskMb: plan.estimate.diskMb,
        notes: plan.notes ?? null,
        steps: plan.steps.map((step) => {
          const effective = effectiveStep(step, simulator);
          return {
            title: step.title,
            line: displayLine(effective.argv, effective.sudo),
            sudo: effective.sudo,
            source: step.source ?? null,
            verified: step.verified ?? true,
            note: step.note ?? null,
          };
        }),
      };
    });
  }

  /**
   * Starts an install in the background and answers its id at once. An
   * `offlineDir` (a folder on this computer) is checked here, so a wrong
   * path is the answer to the request, not a failure event later; the
   * runner then checks its files against the plan and uploads them.
   */
  async start(request: InstallStartRequest): Promise<{ installId: string }> {
    const { board: ref, library, sudoPassword, offlineDir, force, fetchMissing } = request;
    if (offlineDir !== undefined) checkOfflineFolder(offlineDir);
    const recipe = this.#options.recipes().find((candidate) => candidate.library === library);
    if (recipe === undefined) throw new WorkbenchFailure('not-found', `There is no install recipe for "${library}".`);
    const name = this.#options.boards.name(ref);
    for (const running of this.#installs.values())
      if (running.board === name.key && running.outcome === null && !running.settled)
        throw new WorkbenchFailure('conflict', 'An install is already running on this board.', name.label);
    const lease = await this.#options.boards.open(ref);
    const facts = this.#options.boards.storedFacts(ref) ?? (await lease.facts().catch(() => null));
    const installId = randomUUID();
    const controller = new AbortController();
    const relay = new ProgressRelay(
      { installId, board: lease.key, label: lease.label, library },
      this.#options.emit,
      this.#options.logIntervalMs ?? 100,
    );
    const running: Running = { board: lease.key, controller, done: Promise.resolve(), outcome: null, settled: false };
    const password = sudoPassword ?? lease.sudoPassword;
    running.done = runInstall({
      boardId: lease.key,
      link: lease.link,
      recipe,
      stateFolder: this.#options.stateFolder,
      ...(password === undefined ? {} : { sudoPassword: password }),
      ...(facts === null ? {} : { facts }),
      simulator: lease.simulated || facts?.simulated === true,
      ...(offlineDir === undefined ? {} : { offlineDir, fetchMissing: fetchMissing ?? false }),
      force: force ?? false,
      signal: controller.signal,
      onProgress: (progress) => relay.push(progress, controller.signal.aborted),
    })
      .then(
        (outcome) => {
          running.outcome = outcome;
          running.settled = true;
        },
        () => {
          running.settled = true;
          relay.close();
        },
      )
      .finally(() => lease.release());
    this.#installs.set(installId, running);
    return { installId };
  }

  cancel(installId: string): boolean {
    const running = this.#installs.get(installId);
    if (running === undefined || running.outcome !== null || running.controller.signal.aborted) return false;
    running.controller.abort(new WorkbenchFailure('cancelled', 'The install was cancelled.'));
    return true;
  }

  procedure(installId: string): MethodOutput<'install.procedure'> {
    const outcome = this.#installs.get(installId)?.outcome;
    if (outcome === null || outcome === undefined)
      throw new WorkbenchFailure('not-found', 'The procedure document exists once the install has finished.', installId);
    const { recipe, family, verification } = outcome;
    return { markdown: procedureMarkdown(outcome), html: procedureHtml(outcome), title: recipe.title, family, verification };
  }

  async dispose(): Promise<void> {
    for (const running of this.#installs.values()) running.controller.abort(new WorkbenchFailure('cancelled', 'The workbench is closing.'));
    await Promise.allSettled([...this.#installs.values()].map((running) => running.done));
  }
}

function unsupported(reason: string): Pick<InstallRecipeSummary, 'supported' | 'reason' | 'minutes' | 'diskMb' | 'steps' | 'notes'> {
  return { supported: false, reason, minutes: null, diskMb: null, steps: [], notes: null };
}

function installedVersionOf(library: string, facts: BoardFacts | null): string | null {
  const names = frameworkNames[library] ?? [library];
  return facts?.frameworks.find((framework) => names.includes(framework.name.toLowerCase()))?.version ?? null;
}

/** Turns runner progress into contract events; log text is gathered and sent at most every `intervalMs`. */
type EventIds = Pick<InstallProgressEvent, 'installId' | 'board' | 'label' | 'library'>;

export class ProgressRelay {
  readonly #ids: EventIds;
  readonly #emit: InstallServiceOptions['emit'];
  readonly #intervalMs: number;
  #log: { index: number; text: string } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(ids: EventIds, emit: InstallServiceOptions['emit'], intervalMs: number) {
    this.#ids = ids;
    this.#emit = emit;
    this.#intervalMs = intervalMs;
  }

  push(progress: InstallProgress, cancelled: boolean): void {
    if (progress.type === 'log') {
      if (this.#log !== null && this.#log.index !== progress.index) this.#flush();
      this.#log = { index: progress.index, text: (this.#log?.text ?? '') + progress.text };
      this.#timer ??= setTimeout(() => this.#flush(), this.#intervalMs);
      return;
    }
    this.#flush();
    this.#emit('install.onDidProgress', eventOf(this.#ids, progress, cancelled));
  }

  close(): void {
    this.#flush();
  }

  #flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const log = this.#log;
    this.#log = null;
    if (log === null) return;
    this.#emit('install.onDidProgress', { ...blank(this.#ids, 'log', 'running'), stepIndex: log.index, text: log.text });
  }
}

function blank(ids: EventIds, kind: InstallProgressEvent['kind'], state: InstallProgressEvent['state']): InstallProgressEvent {
  return {
    ...ids,
    kind,
    state,
    stepIndex: null,
    stepCount: null,
    title: null,
    line: null,
    text: null,
    message: null,
    warning: false,
    verification: null,
    error: null,
  };
}

export function eventOf(ids: EventIds, progress: InstallProgress, cancelled: boolean): InstallProgressEvent {
  switch (progress.type) {
    case 'preflight':
      return { ...blank(ids, 'preflight', 'running'), message: progress.message, warning: progress.warning ?? false };
    case 'step-started':
      return {
        ...blank(ids, progress.type, 'running'),
        stepIndex: progress.index,
        stepCount: progress.count,
        title: progress.title,
        line: progress.line,
      };
    case 'step-skipped':
      return {
        ...blank(ids, progress.type, 'running'),
        stepIndex: progress.index,
        stepCount: progress.count,
        title: progress.title,
        message: progress.reason,
      };
    case 'step-finished':
      return { ...blank(ids, progress.type, 'running'), stepIndex: progress.index, stepCount: progress.count, title: progress.title };
    case 'log':
      return { ...blank(ids, 'log', 'running'), stepIndex: progress.index, text: progress.text };
    case 'verified':
      return { ...blank(ids, 'verified', 'running'), verification: progress.verification };
    case 'finished':
      return blank(ids, 'finished', 'done');
    case 'failed':
      return {
        ...blank(ids, 'failed', cancelled || progress.error.code === 'cancelled' ? 'cancelled' : 'failed'),
        error: {
          code: progress.error.code,
          message: progress.error.message,
          ...(progress.error.detail === undefined ? {} : { detail: progress.error.detail }),
        },
      };
  }
}
