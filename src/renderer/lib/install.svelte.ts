/**
 * The Install view's state (issue 7): the board picked, its current stack,
 * the libraries with their compatibility, the library picked and its plan,
 * the running install followed through `install.onDidProgress` (log,
 * verification, failure) and its procedure document. Only this class talks
 * to the bridge for `install.*`. The sudo password lives in `sudoPassword`
 * until the install starts, then is cleared: never stored.
 */
import type { BoardDetails, WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { InstallProgressEvent, InstallRecipeSummary } from '../../shared/install/contract.ts';
import type { MessageKey } from '../i18n/index.ts';

/** The live log keeps its last characters only: a source build prints megabytes. */
export const logLimit = 200_000;

export type InstallRunState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface InstallActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

export interface InstallProcedure {
  markdown: string;
  url: string;
}

export class InstallViewState {
  boardId = $state<string | undefined>();
  details = $state.raw<BoardDetails | undefined>();
  recipes = $state.raw<InstallRecipeSummary[]>([]);
  library = $state<string | undefined>();
  sudoPassword = $state('');
  /** A folder of .whl/.deb files on this computer for a board without internet; empty: install online. */
  offlineDir = $state('');
  /** With an offline folder: download the wheels it lacks on this computer first. */
  fetchMissing = $state(false);
  /** Run the steps even when the board already has the library (the runner's probe would skip them). */
  force = $state(false);
  installId = $state<string | undefined>();
  runState = $state<InstallRunState>('idle');
  starting = $state(false);
  cancelling = $state(false);
  stepIndex = $state<number | null>(null);
  stepCount = $state<number | null>(null);
  stepTitle = $state<string | null>(null);
  stepsDone = $state(0);
  log = $state('');
  messages = $state.raw<{ text: string; warning: boolean }[]>([]);
  verification = $state.raw<InstallProgressEvent['verification']>(null);
  failure = $state.raw<InstallProgressEvent['error']>(null);
  procedure = $state.raw<InstallProcedure | undefined>();
  actionError = $state.raw<InstallActionError | undefined>();

  readonly #bridge: WorkbenchBridge;
  readonly #stops: (() => void)[] = [];

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
  }

  get selected(): InstallRecipeSummary | undefined {
    return this.recipes.find((recipe) => recipe.library === this.library);
  }

  start(): void {
    if (this.#stops.length > 0) return;
    this.#stops.push(this.#bridge.on('install.onDidProgress', (event) => this.#follow(event)));
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    if (this.procedure !== undefined) URL.revokeObjectURL(this.procedure.url);
  }

  async selectBoard(boardId: string | undefined): Promise<void> {
    this.boardId = boardId;
    this.details = undefined;
    this.recipes = [];
    this.library = undefined;
    if (boardId === undefined) return;
    const [details, recipes] = await Promise.all([
      this.#bridge.call['boards.details']({ id: boardId }),
      this.#bridge.call['install.recipes']({ board: { kind: 'inventory', id: boardId } }),
    ]);
    if (this.boardId !== boardId) return; // another board was picked meanwhile
    if (!details.ok) this.actionError = { context: 'install.boardErrorContext', error: details.error };
    else this.details = details.value;
    if (!recipes.ok) this.actionError = { context: 'install.recipesErrorContext', error: recipes.error };
    else this.recipes = recipes.value;
  }

  async install(): Promise<void> {
    const library = this.selected;
    if (this.boardId === undefined || library === undefined || !library.supported || this.running || this.starting) return;
    this.starting = true;
    const password = this.sudoPassword;
    const offlineDir = this.offlineDir.trim();
    this.sudoPassword = '';
    try {
      const result = await this.#bridge.call['install.start']({
        board: { kind: 'inventory', id: this.boardId },
        library: library.library,
        ...(password === '' ? {} : { sudoPassword: password }),
        ...(offlineDir === '' ? {} : { offlineDir, ...(this.fetchMissing ? { fetchMissing: true } : {}) }),
        ...(this.force ? { force: true } : {}),
      });
      if (!result.ok) {
        this.actionError = { context: 'install.startErrorContext', error: result.error };
        return;
      }
      this.actionError = undefined;
      this.#reset(result.value.installId, library.steps.length);
    } finally {
      this.starting = false;
    }
  }

  get running(): boolean {
    return this.runState === 'running';
  }

  async cancel(): Promise<void> {
    if (this.installId === undefined || !this.running) return;
    this.cancelling = true;
    const result = await this.#bridge.call['install.cancel']({ installId: this.installId });
    if (!result.ok) {
      this.cancelling = false;
      this.actionError = { context: 'install.cancelErrorContext', error: result.error };
    }
  }

  async loadProcedure(): Promise<void> {
    if (this.installId === undefined) return;
    const result = await this.#bridge.call['install.procedure']({ installId: this.installId });
    if (!result.ok) {
      this.actionError = { context: 'install.procedureErrorContext', error: result.error };
      return;
    }
    if (this.procedure !== undefined) URL.revokeObjectURL(this.procedure.url);
    this.procedure = { markdown: result.value.markdown, url: URL.createObjectURL(new Blob([result.value.html], { type: 'text/html' })) };
  }

  #reset(installId: string, stepCount: number): void {
    this.installId = installId;
    this.runState = 'running';
    this.cancelling = false;
    this.stepIndex = null;
    this.stepCount = stepCount;
    this.stepTitle = null;
    this.stepsDone = 0;
    this.log = '';
    this.messages = [];
    this.verification = null;
    this.failure = null;
    if (this.procedure !== undefined) URL.revokeObjectURL(this.procedure.url);
    this.procedure = undefined;
  }

  #append(text: string): void {
    const log = this.log + text;
    this.log = log.length > logLimit ? log.slice(-logLimit) : log;
  }

  #follow(event: InstallProgressEvent): void {
    if (event.installId !== this.installId) return;
    if (event.stepCount !== null) this.stepCount = event.stepCount;
    switch (event.kind) {
      case 'preflight':
        this.messages = [...this.messages, { text: event.message ?? '', warning: event.warning }];
        break;
      case 'step-started':
        this.stepIndex = event.stepIndex;
        this.stepTitle = event.title;
        this.#append(`$ ${event.line ?? ''}\n`);
        break;
      case 'step-skipped':
        // Said in the log too: a skipped step is never silent (`already installed, version 4.3.2`).
        this.#append(`# ${event.title ?? ''}: skipped (${event.message ?? ''})\n`);
        this.stepsDone += 1;
        break;
      case 'step-finished':
        this.stepsDone += 1;
        break;
      case 'log':
        this.#append(event.text ?? '');
        break;
      case 'verified':
        this.verification = event.verification;
        break;
      case 'finished':
        this.runState = 'done';
        void this.loadProcedure();
        break;
      case 'failed':
        this.runState = event.state === 'cancelled' ? 'cancelled' : 'failed';
        this.cancelling = false;
        this.failure = event.error;
        break;
    }
  }
}
