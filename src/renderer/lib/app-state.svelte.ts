/**
 * The renderer's state: what the core told us (info, preferences), the last
 * error of each area, the connection and the current view. Components read
 * it and call its methods; only this class talks to the bridge.
 */
import type { AppInfo, Preferences, WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import { preferredLanguage, translate, type MessageKey, type TranslationParams } from '../i18n/index.ts';
import type { ConnectionMonitor, ConnectionState } from './connection.ts';
import { BenchState } from './bench.svelte.ts';
import { BoardsState } from './boards.svelte.ts';
import { InstallViewState } from './install.svelte.ts';
import { FlashViewState } from './flash.svelte.ts';
import { DemoBoardsState } from './demo-boards.svelte.ts';
import { DiscoveryViewState } from './discovery.svelte.ts';
import { LivePowerState } from './live-power.svelte.ts';
import type { ViewName } from './views.ts';

export class AppState {
  info = $state<AppInfo | undefined>();
  infoError = $state<WorkbenchError | undefined>();
  preferences = $state<Preferences>({ language: 'en', theme: 'system' });
  settingsError = $state<WorkbenchError | undefined>();
  connection = $state<ConnectionState>('connecting');
  view = $state<ViewName>('overview');
  /** The board whose details page is open on the Boards view (`#/boards/<id>`), if any. */
  boardId = $state<string | undefined>();
  /** Demo mode's simulated boards; kept here so every view and window sees the same list. */
  readonly demo: DemoBoardsState;
  /** The remembered boards, their connections and the questions a connection asks. */
  readonly boards: BoardsState;
  /** What discovery finds (USB, serial, range scans); the Boards view starts following it when it opens. */
  readonly discovery: DiscoveryViewState;
  /** The live power view's boards and choices; it subscribes to telemetry once that view opens. */
  readonly power: LivePowerState;
  /** The Benchmarks view's plan, progress and results; it subscribes to progress once that view opens. */
  readonly bench: BenchState;
  /** The Install view's board, library and running install. */
  readonly install: InstallViewState;
  /** The Flash view's image, drive, devkit, first boot and running flash. */
  readonly flash: FlashViewState;

  readonly #bridge: WorkbenchBridge;
  readonly #monitor: ConnectionMonitor;
  readonly #disposers: (() => void)[] = [];
  // What the core last said, and the choices still on their way to it: the
  // screen shows the second over the first, so quick successive clicks never
  // flicker back to an older answer.
  #confirmed: Preferences;
  #localEdits: Partial<Preferences> = {};
  readonly #editSequences: Partial<Record<keyof Preferences, number>> = {};
  #sequence = 0;

  constructor(bridge: WorkbenchBridge, monitor: ConnectionMonitor, browserLanguages: readonly string[] = []) {
    this.#bridge = bridge;
    this.#monitor = monitor;
    this.demo = new DemoBoardsState(bridge);
    this.boards = new BoardsState(bridge);
    this.discovery = new DiscoveryViewState(bridge);
    this.power = new LivePowerState(bridge);
    this.bench = new BenchState(bridge, (label) => this.t(label === 'end' ? 'bench.power.end' : 'bench.power.begin'));
    this.install = new InstallViewState(bridge);
    this.flash = new FlashViewState(bridge);
    this.connection = monitor.state;
    this.#confirmed = { language: preferredLanguage(browserLanguages), theme: 'system' };
    this.preferences = { ...this.#confirmed };
  }

  /** Reactive: reads the language, so whatever calls it re-renders when it changes. */
  t = (key: MessageKey, params?: TranslationParams): string => translate(this.preferences.language, key, params);

  start(): void {
    this.#disposers.push(
      this.#bridge.on('settings.onDidChange', (preferences) => this.#confirm(preferences)),
      this.#monitor.onDidChange((state) => {
        this.connection = state;
        // Whatever changed while we were away (another window's settings, boards), catch up.
        if (state === 'connected') void Promise.all([this.refresh(), this.demo.refresh(), this.boards.refresh()]);
      }),
    );
    void this.refresh();
    this.demo.start();
    this.boards.start();
  }

  dispose(): void {
    for (const dispose of this.#disposers.splice(0)) dispose();
    this.demo.dispose();
    this.boards.dispose();
    this.discovery.dispose();
    this.power.dispose();
    this.bench.dispose();
    this.install.dispose();
    this.flash.dispose();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadInfo(), this.loadPreferences()]);
  }

  async loadInfo(): Promise<void> {
    const result = await this.#bridge.call['app.info']({});
    if (result.ok) {
      this.info = result.value;
      this.infoError = undefined;
    } else {
      this.infoError = result.error;
    }
  }

  async loadPreferences(): Promise<void> {
    const result = await this.#bridge.call['settings.get']({});
    if (result.ok) this.#confirm(result.value);
    // A failure here leaves the defaults on screen; saving will report it.
  }

  async updatePreferences(patch: Partial<Preferences>): Promise<void> {
    const sequence = ++this.#sequence;
    const keys = Object.keys(patch) as (keyof Preferences)[];
    for (const key of keys) this.#editSequences[key] = sequence;
    this.#localEdits = { ...this.#localEdits, ...patch };
    this.#show(); // at once; the core's answer confirms it
    const result = await this.#bridge.call['settings.update']($state.snapshot(patch));
    for (const key of keys) {
      if (this.#editSequences[key] !== sequence) continue; // a later choice is still on its way
      delete this.#editSequences[key];
      delete this.#localEdits[key];
    }
    if (result.ok) {
      this.settingsError = undefined;
      this.#confirm(result.value);
    } else {
      this.settingsError = result.error;
      this.#show();
    }
  }

  #confirm(preferences: Preferences): void {
    this.#confirmed = preferences;
    this.#show();
  }

  #show(): void {
    this.preferences = { ...this.#confirmed, ...this.#localEdits };
  }

  navigate(view: ViewName, boardId?: string): void {
    this.view = view;
    this.boardId = view === 'boards' ? boardId : undefined;
  }
}
