import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { alwaysConnected, ConnectionStateEmitter, type ConnectionMonitor } from './lib/connection.ts';
import { FakeCore, sampleInfo } from '../../test/support/renderer/fake-core.ts';

function renderApp(core: FakeCore, connection: ConnectionMonitor = alwaysConnected()) {
  return render(App, { props: { bridge: core.connect(), connection } });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  delete document.documentElement.dataset.theme;
});

describe('App', () => {
  it('shows app.info on the overview', async () => {
    renderApp(new FakeCore());

    expect(screen.getByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    const application = await screen.findByRole('region', { name: 'Application' });
    expect(within(application).getByText(sampleInfo.version)).toBeTruthy();
    expect(within(application).getByText('Web browser')).toBeTruthy();
    const system = screen.getByRole('region', { name: 'System' });
    expect(within(system).getByText('linux / x64')).toBeTruthy();
    expect(within(system).getByText('Node.js 22.23.3')).toBeTruthy();
    const storage = screen.getByRole('region', { name: 'Storage' });
    expect(within(storage).getByText(sampleInfo.dataDir)).toBeTruthy();
    expect(within(storage).getByText(sampleInfo.database.path)).toBeTruthy();
    expect(within(storage).getByText('3')).toBeTruthy();
    expect(within(storage).getByRole('button', { name: 'Copy the data folder path to the clipboard' })).toBeTruthy();

    const status = screen.getByRole('contentinfo', { name: 'Status' });
    expect(within(status).getByText('Shell: Web browser')).toBeTruthy();
    expect(within(status).getByText('Version 9.8.7')).toBeTruthy();
    expect(within(status).getByRole('status').textContent).toContain('Connected');
  });

  it('starts in the language and theme of the saved settings', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'dark' };
    renderApp(core);

    expect(await screen.findByRole('heading', { level: 1, name: 'Vue d’ensemble' })).toBeTruthy();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('switches to French live when the language setting changes', async () => {
    const core = new FakeCore();
    renderApp(core);
    await screen.findByRole('region', { name: 'Application' });

    await fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    await fireEvent.click(screen.getByRole('radio', { name: 'Français' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Paramètres' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Vue d’ensemble' })).toBeTruthy();
    expect(screen.getByRole('radiogroup', { name: 'Thème' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Français' })).toHaveProperty('checked', true);
    expect(document.title).toBe('Paramètres · Jetson Workbench');
    await waitFor(() => expect(core.preferences.language).toBe('fr'));
  });

  it('sets the document theme when the theme changes', async () => {
    const core = new FakeCore();
    renderApp(core);
    await fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    expect(document.documentElement.dataset.theme).toBe('system');

    await fireEvent.click(screen.getByRole('radio', { name: /^Dark/ }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    await waitFor(() => expect(core.preferences.theme).toBe('dark'));

    await fireEvent.click(screen.getByRole('radio', { name: /^Light/ }));
    await waitFor(() => expect(core.preferences.theme).toBe('light'));
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('follows a change made in another window', async () => {
    const core = new FakeCore();
    renderApp(core);
    await screen.findByRole('region', { name: 'Application' });
    const otherWindow = core.connect();

    const result = await otherWindow.call['settings.update']({ language: 'fr', theme: 'dark' });

    expect(result.ok).toBe(true);
    expect(await screen.findByRole('heading', { level: 1, name: 'Vue d’ensemble' })).toBeTruthy();
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('shows a failed request as a translated message with its detail', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'system' };
    core.failures.set('app.info', { code: 'unavailable', message: 'The core is gone.', detail: 'socket hang up' });
    renderApp(core);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Les informations du banc de travail n’ont pas pu être chargées.');
    expect(alert.textContent).toContain('Le cœur du banc de travail est injoignable.');
    expect(alert.textContent).not.toContain('The core is gone.');
    const details = within(alert).getByText('Détails techniques').closest('details');
    expect(details?.textContent).toContain('socket hang up');
    expect(details?.textContent).toContain('unavailable');

    core.failures.delete('app.info');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Réessayer' }));
    expect(await screen.findByText(sampleInfo.version)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps the saved setting and explains why when an update fails', async () => {
    const core = new FakeCore();
    core.failures.set('settings.update', { code: 'disk-full', message: 'No space left.', detail: 'ENOSPC' });
    renderApp(core);
    await fireEvent.click(screen.getByRole('link', { name: 'Settings' }));

    await fireEvent.click(screen.getByRole('radio', { name: /^Dark/ }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The setting could not be saved.');
    expect(alert.textContent).toContain('The disk is full.');
    expect(screen.getByRole('radio', { name: /^System/ })).toHaveProperty('checked', true);
    expect(document.documentElement.dataset.theme).toBe('system');
  });

  it('moves between views with the keyboard', async () => {
    renderApp(new FakeCore());
    const navigation = screen.getByRole('navigation', { name: 'Views' });
    const boards = within(navigation).getByRole('link', { name: 'Boards' });
    const overview = within(navigation).getByRole('link', { name: 'Overview' });
    const simulator = within(navigation).getByRole('link', { name: 'Simulated boards' });
    const settings = within(navigation).getByRole('link', { name: 'Settings' });
    expect(overview.getAttribute('aria-current')).toBe('page');
    expect(settings.getAttribute('aria-current')).toBeNull();

    overview.focus();
    await fireEvent.keyDown(overview, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(simulator);
    await fireEvent.keyDown(simulator, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(settings);
    await fireEvent.keyDown(settings, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(boards);
    await fireEvent.keyDown(boards, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(settings);
    await fireEvent.keyDown(overview, { key: 'End' });
    expect(document.activeElement).toBe(settings);

    // Enter on a focused link is a click (the e2e suite presses the real key).
    await fireEvent.click(settings);
    expect(settings.getAttribute('aria-current')).toBe('page');
    expect(overview.getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    expect(location.hash).toBe('#/settings');
  });

  it('opens the view named in the address', () => {
    history.replaceState(null, '', '/#/settings');
    renderApp(new FakeCore());
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
  });

  it('shows the connection state and catches up after a reconnect', async () => {
    const core = new FakeCore();
    const connection = new ConnectionStateEmitter('connecting');
    renderApp(core, connection);
    const state = within(screen.getByRole('contentinfo')).getByRole('status');
    expect(state.textContent).toContain('Connecting…');

    connection.set('lost');
    await waitFor(() => expect(state.textContent).toContain('Connection lost, reconnecting…'));
    core.preferences = { language: 'fr', theme: 'light' };
    connection.set('connected');

    await waitFor(() => expect(state.textContent).toContain('Connecté'));
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('offers a skip link to the main content', async () => {
    renderApp(new FakeCore());
    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    await fireEvent.click(skip);
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(location.hash).toBe('#/overview');
  });
});
