/** `settings.*`: the person's preferences. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { StoreSettings } from './settings.ts';

export function settingsHandlers(settings: StoreSettings): HandlersOf<'settings'> {
  return {
    'settings.get': () => settings.preferences(),
    'settings.update': (patch) => settings.updatePreferences(patch),
  };
}
