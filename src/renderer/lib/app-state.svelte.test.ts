import { describe, expect, it } from 'vitest';
import type { Preferences, WorkbenchBridge } from '../../shared/api.ts';
import type { Result } from '../../shared/errors.ts';
import { FakeCore, sampleInfo } from '../../../test/support/renderer/fake-core.ts';
import { AppState } from './app-state.svelte.ts';
import { alwaysConnected } from './connection.ts';

function started(core: FakeCore, languages: string[] = []): AppState {
  const app = new AppState(core.connect(), alwaysConnected(), languages);
  app.start();
  return app;
}

describe('AppState', () => {
  it('speaks the browser language until the saved settings arrive', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'en', theme: 'light' };
    const app = started(core, ['fr-FR']);
    expect(app.t('nav.settings')).toBe('Paramètres');

    await app.refresh();
    expect(app.t('nav.settings')).toBe('Settings');
    expect(app.preferences.theme).toBe('light');
    app.dispose();
  });

  it('never shows an older answer over a newer choice still on its way', async () => {
    const core = new FakeCore();
    const app = started(core);
    await app.refresh();

    const language = app.updatePreferences({ language: 'fr' });
    const theme = app.updatePreferences({ theme: 'dark' });
    expect(app.preferences).toEqual({ language: 'fr', theme: 'dark' });

    // The first answer (and its event) say theme "system": the pending "dark" stays.
    await language;
    expect(app.preferences).toEqual({ language: 'fr', theme: 'dark' });
    await theme;
    expect(app.preferences).toEqual({ language: 'fr', theme: 'dark' });
    expect(core.preferences).toEqual({ language: 'fr', theme: 'dark' });
    app.dispose();
  });

  it('keeps the latest of two quick choices of the same setting', async () => {
    // A hand-held core: each settings.update answers when the test says so.
    const answers: ((result: Result<Preferences>) => void)[] = [];
    const bridge = {
      call: {
        'app.info': async () => ({ ok: true, value: sampleInfo }),
        'settings.get': async () => ({ ok: true, value: { language: 'en', theme: 'system' } }),
        'settings.update': () => new Promise((resolve) => answers.push(resolve)),
      },
      on: () => () => {},
    } as unknown as WorkbenchBridge;
    const app = new AppState(bridge, alwaysConnected());
    await app.refresh();

    const dark = app.updatePreferences({ theme: 'dark' });
    const light = app.updatePreferences({ theme: 'light' });
    answers[0]?.({ ok: true, value: { language: 'en', theme: 'dark' } });
    await dark;
    expect(app.preferences.theme).toBe('light');
    answers[1]?.({ ok: true, value: { language: 'en', theme: 'light' } });
    await light;
    expect(app.preferences.theme).toBe('light');
  });

  it('goes back to the saved value when the core refuses a change', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'light' };
    const app = started(core);
    await app.refresh();
    core.failures.set('settings.update', { code: 'forbidden', message: 'No.' });

    await app.updatePreferences({ theme: 'dark' });

    expect(app.preferences).toEqual({ language: 'fr', theme: 'light' });
    expect(app.settingsError?.code).toBe('forbidden');
    core.failures.clear();
    await app.updatePreferences({ theme: 'dark' });
    expect(app.settingsError).toBeUndefined();
    app.dispose();
  });

  it('stops listening to the core once disposed', async () => {
    const core = new FakeCore();
    const app = started(core);
    await app.refresh();
    app.dispose();

    const otherWindow = core.connect();
    const heard = new Promise((resolve) => otherWindow.on('settings.onDidChange', resolve));
    await otherWindow.call['settings.update']({ language: 'fr' });
    await heard; // delivered to every window by now
    expect(app.preferences.language).toBe('en');
  });
});
