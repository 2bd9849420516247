/** Hands the one `AppState` down the component tree without threading props. */
import { getContext, setContext } from 'svelte';
import type { AppState } from './app-state.svelte.ts';

const key = Symbol('app-state');

export function provideAppState(app: AppState): void {
  setContext(key, app);
}

export function useAppState(): AppState {
  const app = getContext<AppState | undefined>(key);
  if (!app) throw new Error('useAppState() called outside <App>');
  return app;
}
