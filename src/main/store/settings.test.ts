import { expect, it, vi } from 'vitest';
import { StoreSettings, type KeyValueStore } from './settings.ts';

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, unknown> } {
  const data = { ...initial };
  return { data, get: (key) => data[key], set: (key, value) => void (data[key] = value) };
}

it('falls back to defaults for missing or hand-damaged values, keeping the valid ones', () => {
  expect(new StoreSettings(memoryStore()).preferences()).toEqual({ language: 'en', theme: 'system' });
  expect(new StoreSettings(memoryStore({ preferences: { language: 'fr', theme: 'neon' } })).preferences()).toEqual({
    language: 'fr',
    theme: 'system',
  });
  expect(new StoreSettings(memoryStore({ preferences: { language: 'fr' } })).preferences()).toEqual({ language: 'fr', theme: 'system' });
  expect(new StoreSettings(memoryStore({ preferences: 'garbage' })).preferences()).toEqual({ language: 'en', theme: 'system' });
});

it('stores an update and tells listeners until they unsubscribe', () => {
  const store = memoryStore();
  const settings = new StoreSettings(store);
  const listener = vi.fn();
  const stop = settings.onDidChangePreferences(listener);
  settings.updatePreferences({ theme: 'dark' });
  expect(store.data.preferences).toEqual({ language: 'en', theme: 'dark' });
  expect(listener).toHaveBeenCalledWith({ language: 'en', theme: 'dark' });
  stop();
  settings.updatePreferences({ language: 'fr' });
  expect(listener).toHaveBeenCalledTimes(1);
});
