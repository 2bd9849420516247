/**
 * The Boards view's state: the remembered boards (following
 * `boards.onDidChange`), what is under way, and the one question a
 * connection may be waiting on (a password, a new fingerprint, a changed
 * key). Components read it and call its methods; only this class talks to
 * the bridge for boards.
 */
import type { BoardDetails, BoardSummary, ConnectOutcome, MethodInput, WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { FollowedList } from './followed-list.ts';
import type { TerminalSession, TerminalSessionEvents } from './terminal-session.ts';

export interface BoardActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

/** What the connect dialog asks; `boardId` says which board it is about. */
export type ConnectQuestion =
  | { kind: 'password'; boardId: string; rejected: boolean }
  | { kind: 'new-key'; boardId: string; keyType: string; fingerprint: string }
  | { kind: 'changed-key'; boardId: string; knownFingerprint: string; offeredFingerprint: string; trustedSince: string };

export class BoardsState {
  boards = $state<BoardSummary[]>([]);
  loaded = $state(false);
  loadError = $state<WorkbenchError | undefined>();
  actionError = $state<BoardActionError | undefined>();
  question = $state<ConnectQuestion | undefined>();
  /** Ids of the boards with a request under way (connect, disconnect, remove). */
  busy = $state<string[]>([]);
  adding = $state(false);
  details = $state<BoardDetails | undefined>();

  readonly #bridge: WorkbenchBridge;
  readonly #list: FollowedList<'boards.onDidChange'>;

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
    this.#list = new FollowedList(bridge, 'boards.onDidChange', (boards) => this.#show(boards));
  }

  start(): void {
    this.#list.start();
    void this.refresh();
  }

  dispose(): void {
    this.#list.dispose();
  }

  board(id: string): BoardSummary | undefined {
    return this.boards.find((board) => board.id === id);
  }

  isBusy(id: string): boolean {
    return this.busy.includes(id);
  }

  async refresh(): Promise<void> {
    const result = await this.#list.request(() => this.#bridge.call['boards.list']({}));
    this.loadError = result.ok ? undefined : result.error;
  }

  async add(input: MethodInput<'boards.add'>): Promise<BoardSummary | undefined> {
    if (this.adding) return undefined;
    this.adding = true;
    try {
      const result = await this.#bridge.call['boards.add'](input);
      if (!result.ok) {
        this.actionError = { context: 'boards.addErrorContext', error: result.error };
        return undefined;
      }
      this.actionError = undefined;
      if (!this.board(result.value.id)) this.boards = [...this.boards, result.value];
      return result.value;
    } finally {
      this.adding = false;
    }
  }

  /** Adds a board and connects to it at once (the address a serial login read), with the password the person just typed. */
  async addAndConnect(input: MethodInput<'boards.add'>, password: string | undefined): Promise<void> {
    const added = await this.add(input);
    if (added !== undefined) await this.connect(added.id, password);
  }

  /** Connects; a question for the person (password, fingerprint) opens the dialog instead. */
  async connect(id: string, password?: string): Promise<void> {
    const outcome = await this.#run(id, 'boards.connectErrorContext', () =>
      this.#bridge.call['boards.connect'](password === undefined ? { id } : { id, password }),
    );
    if (outcome !== undefined) this.#ask(id, outcome);
  }

  /** The person accepted the fingerprint shown (first use or "I re-flashed this board"): trust it and connect. */
  async trustAndConnect(): Promise<void> {
    const question = this.question;
    if (question === undefined || question.kind === 'password') return;
    this.question = undefined;
    const fingerprint = question.kind === 'new-key' ? question.fingerprint : question.offeredFingerprint;
    const trusted = await this.#run(question.boardId, 'boards.trustErrorContext', () =>
      this.#bridge.call['boards.trustHostKey']({ id: question.boardId, fingerprint }),
    );
    if (trusted !== undefined) await this.connect(question.boardId);
  }

  async answerPassword(password: string): Promise<void> {
    const question = this.question;
    if (question?.kind !== 'password') return;
    this.question = undefined;
    await this.connect(question.boardId, password);
  }

  cancelQuestion(): void {
    this.question = undefined;
  }

  async disconnect(id: string): Promise<void> {
    await this.#run(id, 'boards.disconnectErrorContext', () => this.#bridge.call['boards.disconnect']({ id }));
  }

  async remove(id: string, forgetKey: boolean): Promise<boolean> {
    const result = await this.#run(id, 'boards.removeErrorContext', () => this.#bridge.call['boards.remove']({ id, forgetKey }));
    if (result?.removed) this.boards = this.boards.filter((board) => board.id !== id);
    return result?.removed ?? false;
  }

  async installKey(id: string): Promise<boolean> {
    const result = await this.#run(id, 'boards.installKeyErrorContext', () => this.#bridge.call['boards.installKey']({ id }));
    return result !== undefined;
  }

  async rename(id: string, name: string, notes: string): Promise<void> {
    const result = await this.#run(id, 'boards.saveErrorContext', () => this.#bridge.call['boards.update']({ id, name, notes }));
    if (result !== undefined && this.details?.id === id) this.details = { ...this.details, name: result.name, notes: result.notes };
  }

  async loadDetails(id: string): Promise<void> {
    const result = await this.#bridge.call['boards.details']({ id });
    if (result.ok) this.details = result.value;
    else this.actionError = { context: 'boards.detailsErrorContext', error: result.error };
  }

  /** Opens a terminal on a connected board inside `host`. xterm.js loads only now: the rest of the app stays light. */
  async openTerminal(boardId: string, host: HTMLElement, events: TerminalSessionEvents): Promise<TerminalSession | WorkbenchError> {
    const { TerminalSession } = await import('./terminal-session.ts');
    return TerminalSession.open(this.#bridge, boardId, host, events);
  }

  #ask(boardId: string, outcome: ConnectOutcome): void {
    if (outcome.status === 'connected') {
      this.question = undefined;
      return;
    }
    if (outcome.status === 'password-needed') this.question = { kind: 'password', boardId, rejected: outcome.rejected };
    else if (outcome.status === 'host-key-unknown')
      this.question = { kind: 'new-key', boardId, keyType: outcome.keyType, fingerprint: outcome.fingerprint };
    else
      this.question = {
        kind: 'changed-key',
        boardId,
        knownFingerprint: outcome.knownFingerprint,
        offeredFingerprint: outcome.offeredFingerprint,
        trustedSince: outcome.trustedSince,
      };
  }

  async #run<T>(
    id: string,
    context: MessageKey,
    request: () => Promise<{ ok: true; value: T } | { ok: false; error: WorkbenchError }>,
  ): Promise<T | undefined> {
    this.busy = [...this.busy, id];
    try {
      const result = await request();
      if (!result.ok) {
        this.actionError = { context, error: result.error };
        return undefined;
      }
      this.actionError = undefined;
      return result.value;
    } finally {
      this.busy = this.busy.filter((busy) => busy !== id);
    }
  }

  #show(boards: BoardSummary[]): void {
    this.boards = boards;
    this.loaded = true;
    // The details page follows the live part (state, power) of its board.
    const details = this.details;
    const live = details === undefined ? undefined : boards.find((board) => board.id === details.id);
    if (details === undefined || live === undefined) return;
    const identified = details.identifying && !live.identifying;
    this.details = { ...details, ...live };
    if (identified) void this.loadDetails(live.id); // new facts are waiting
  }
}
