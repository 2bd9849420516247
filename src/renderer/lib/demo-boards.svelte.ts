/**
 * Demo mode as the renderer sees it: the kinds of simulated board the core
 * can start, the boards running now, and what is under way (starting one,
 * stopping another). The list follows `demo.onDidChange`, so every open
 * window shows the same boards.
 */
import type { DemoBoard, SimProfileSummary, WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { FollowedList } from './followed-list.ts';

/** The failed action and its error, for `ErrorNotice` (the context says what the student was doing). */
export interface DemoActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

/** The board a new student most likely has in front of them (a current devkit). */
const preferredProfile = 'orin-nano';

/** What to type in a terminal to log into the board, as OpenSSH spells it. */
export function sshCommand(board: Pick<DemoBoard, 'host' | 'port' | 'user'>): string {
  const port = board.port === 22 ? '' : `-p ${board.port} `;
  return `ssh ${port}${board.user}@${board.host}`;
}

export class DemoBoardsState {
  profiles = $state<SimProfileSummary[]>([]);
  boards = $state<DemoBoard[]>([]);
  /** True once the first list arrived: before, the view shows "loading" rather than "none". */
  loaded = $state(false);
  loadError = $state<WorkbenchError | undefined>();
  actionError = $state<DemoActionError | undefined>();
  selectedProfile = $state<string | undefined>();
  adding = $state(false);
  /** Ids of the boards being stopped. */
  stopping = $state<string[]>([]);

  readonly #bridge: WorkbenchBridge;
  readonly #list: FollowedList<'demo.onDidChange'>;

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
    this.#list = new FollowedList(bridge, 'demo.onDidChange', (boards) => this.#show(boards));
  }

  start(): void {
    this.#list.start();
    void this.refresh();
  }

  dispose(): void {
    this.#list.dispose();
  }

  /** The profile's summary, for a board's card (its module name). */
  profile(id: string): SimProfileSummary | undefined {
    return this.profiles.find((profile) => profile.id === id);
  }

  isStopping(id: string): boolean {
    return this.stopping.includes(id);
  }

  async refresh(): Promise<void> {
    const [profiles, boards] = await Promise.all([
      this.#bridge.call['demo.profiles']({}),
      this.#list.request(() => this.#bridge.call['demo.list']({})),
    ]);
    if (profiles.ok) this.#showProfiles(profiles.value);
    this.loadError = !profiles.ok ? profiles.error : !boards.ok ? boards.error : undefined;
  }

  /** Starts a board of the selected profile; resolves to it, or to undefined on failure. */
  async add(): Promise<DemoBoard | undefined> {
    const profile = this.selectedProfile;
    if (this.adding || profile === undefined) return undefined; // one start at a time
    this.adding = true;
    try {
      const result = await this.#bridge.call['demo.add']({ profile });
      if (!result.ok) {
        this.actionError = { context: 'simulator.addErrorContext', error: result.error };
        return undefined;
      }
      this.actionError = undefined;
      // The event usually came first; the answer covers a missed one.
      if (!this.boards.some((board) => board.id === result.value.id)) this.boards = [...this.boards, result.value];
      return result.value;
    } finally {
      this.adding = false;
    }
  }

  async remove(id: string): Promise<void> {
    if (this.isStopping(id)) return;
    this.stopping = [...this.stopping, id];
    try {
      const result = await this.#bridge.call['demo.remove']({ id });
      if (!result.ok) {
        this.actionError = { context: 'simulator.stopErrorContext', error: result.error };
        return;
      }
      this.actionError = undefined;
      this.boards = this.boards.filter((board) => board.id !== id);
    } finally {
      this.stopping = this.stopping.filter((stopping) => stopping !== id);
    }
  }

  #show(boards: DemoBoard[]): void {
    this.boards = boards;
    this.loaded = true;
  }

  #showProfiles(profiles: SimProfileSummary[]): void {
    this.profiles = profiles;
    const selected = this.selectedProfile;
    if (selected !== undefined && profiles.some((profile) => profile.id === selected)) return;
    this.selectedProfile = (profiles.find((profile) => profile.id === preferredProfile) ?? profiles[0])?.id;
  }
}
