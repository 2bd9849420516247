/**
 * The renderer's state: what the core told us (info, preferences), the last
 * error of each area, the connection and the current view. Components read
 * it and call its methods; only this class talks to the bridge.
 */
import type { AppInfo, Preferences, WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import { preferredLanguage, translate, type MessageKey, type TranslationParams } from '../i18n/index.ts';
import type { ConnectionMonitor, ConnectionState } from './connection.ts';
import type { ViewName } from './views.ts';

export class AppState {
  info = $state<AppInfo | undefined>();
  infoError = $state<WorkbenchError | undefined>();
  preferences = $state<Preferences>({ language: 'en', theme: 'system' });
  settingsError = $state<WorkbenchError | undefined>();
  connection = $state<ConnectionState>('connecting');
  view = $state<ViewName>('overview');

  readonly #bridge: WorkbenchBridge;
  readonly #monitor: ConnectionMonitor;
  readonly #disposers: (() => void)[] = [];

  constructor(bridge: WorkbenchBridge, monitor: ConnectionMonitor, browserLanguages: readonly string[] = []) {
    this.#bridge = bridge;
    this.#monitor = monitor;
    this.connection = monitor.state;
    this.preferences.language = preferredLanguage(browserLanguages);
  }

  /** Reactive: reads the language, so whatever calls it re-renders when it changes. */
  t = (key: MessageKey, params?: TranslationParams): string => translate(this.preferences.language, key, params);

  start(): void {
    this.#disposers.push(
      this.#bridge.on('settings.onDidChange', (preferences) => {
        this.preferences = preferences;
      }),
      this.#monitor.onDidChange((state) => {
        this.connection = state;
        // Whatever changed while we were away (another window's settings), catch up.
        if (state === 'connected') void this.refresh();
      }),
    );
    void this.refresh();
  }

  dispose(): void {
    for (const dispose of this.#disposers.splice(0)) dispose();
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
    if (result.ok) this.preferences = result.value;
    // A failure here leaves the defaults on screen; saving will report it.
  }

  async updatePreferences(patch: Partial<Preferences>): Promise<void> {
    const previous = $state.snapshot(this.preferences);
    // Show the choice at once; the core's answer (or event) confirms it.
    this.preferences = { ...previous, ...patch };
    const result = await this.#bridge.call['settings.update']($state.snapshot(patch));
    if (result.ok) {
      this.preferences = result.value;
      this.settingsError = undefined;
    } else {
      this.preferences = previous;
      this.settingsError = result.error;
    }
  }

  navigate(view: ViewName): void {
    this.view = view;
  }
}
