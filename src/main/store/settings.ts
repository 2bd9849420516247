/**
 * User preferences behind one interface. Electron passes an electron-store,
 * the serve shell and CLI pass a `conf` store: the two share this API, so one
 * implementation serves both. Whatever is on disk is validated on read: a
 * hand-edited or corrupt value falls back to its default instead of crashing.
 */
import { Preferences } from '../../shared/api.ts';

/** The part of conf / electron-store we use. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface Settings {
  preferences(): Preferences;
  updatePreferences(patch: Partial<Preferences>): Preferences;
  onDidChangePreferences(listener: (preferences: Preferences) => void): () => void;
}

export const defaultPreferences: Preferences = { language: 'en', theme: 'system' };

export class StoreSettings implements Settings {
  readonly #store: KeyValueStore;
  readonly #listeners = new Set<(preferences: Preferences) => void>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Each field is checked on its own, so one damaged value does not reset the others. */
  preferences(): Preferences {
    const stored = this.#store.get('preferences');
    const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
    const result: Record<string, unknown> = { ...defaultPreferences };
    for (const [key, schema] of Object.entries(Preferences.shape)) {
      const field = schema.safeParse(record[key]);
      if (field.success) result[key] = field.data;
    }
    return result as Preferences;
  }

  updatePreferences(patch: Partial<Preferences>): Preferences {
    const next = Preferences.parse({ ...this.preferences(), ...stripUndefined(patch) });
    this.#store.set('preferences', next);
    for (const listener of [...this.#listeners]) listener(next);
    return next;
  }

  onDidChangePreferences(listener: (preferences: Preferences) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
