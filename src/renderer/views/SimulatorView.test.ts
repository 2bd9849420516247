import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore, sampleBoard } from '../../../test/support/renderer/fake-core.ts';

function openSimulator(core: FakeCore) {
  history.replaceState(null, '', '/#/simulator');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function runningList() {
  return screen.getByRole('region', { name: 'Running now' });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('SimulatorView', () => {
  it('lists the profiles with their release, the desktop host marked as such', async () => {
    openSimulator(new FakeCore());

    expect(screen.getByRole('heading', { level: 1, name: 'Simulated boards' })).toBeTruthy();
    const picker = await screen.findByRole('radiogroup', { name: 'Board to simulate' });
    const radios = within(picker).getAllByRole('radio');
    expect(radios.map((radio) => radio.closest('label')?.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Jetson Nano 4GB JetPack 4.6.1 · L4T 32.7.1',
      'Jetson Orin Nano 8GB JetPack 6.2.1 · L4T 36.4.7',
      'Desktop GPU host (GeForce RTX 3060) Desktop PC, not a Jetson',
    ]);
    // A current devkit is picked unless the student chooses another.
    expect(within(picker).getByRole('radio', { name: /^Jetson Orin Nano 8GB/ })).toHaveProperty('checked', true);
    expect(within(runningList()).getByText('No simulated board is running.')).toBeTruthy();
  });

  it('adds a board of the chosen profile and shows how to log into it', async () => {
    const core = new FakeCore();
    openSimulator(core);
    await fireEvent.click(await screen.findByRole('radio', { name: /^Jetson Nano 4GB/ }));

    await fireEvent.click(screen.getByRole('button', { name: 'Add a simulated board' }));

    const card = await within(runningList()).findByRole('region', { name: 'Jetson Nano 4GB' });
    expect(core.requests.filter((request) => request.method === 'demo.add')).toEqual([{ method: 'demo.add', input: { profile: 'nano' } }]);
    expect(within(card).getByText('127.0.0.2:2222')).toBeTruthy();
    expect(within(card).getByText('jetson')).toBeTruthy();
    expect(within(card).getByText(sampleBoard('nano', 1).fingerprint)).toBeTruthy();
    expect(within(card).getByText('ssh -p 2222 jetson@127.0.0.2')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Copy the SSH command of nano-1 to the clipboard' })).toBeTruthy();
    expect(card.querySelector('time')?.getAttribute('datetime')).toBe('2025-01-06T09:30:01.000Z');
    await waitFor(() => expect(document.activeElement).toBe(card));
  });

  it('keeps the password hidden until asked', async () => {
    const core = new FakeCore();
    core.boards = [sampleBoard('orin-nano', 4)];
    openSimulator(core);
    const card = await screen.findByRole('region', { name: 'Jetson Orin Nano 8GB' });
    expect(within(card).queryByText('secret-4')).toBeNull();
    expect(within(card).getByText('Password hidden')).toBeTruthy();

    await fireEvent.click(within(card).getByRole('button', { name: 'Show the password of orin-nano-4' }));
    expect(within(card).getByText('secret-4')).toBeTruthy();

    await fireEvent.click(within(card).getByRole('button', { name: 'Hide the password of orin-nano-4' }));
    expect(within(card).queryByText('secret-4')).toBeNull();
  });

  it('starts one board per click while a start is under way', async () => {
    const core = new FakeCore();
    openSimulator(core);
    await screen.findByRole('radiogroup', { name: 'Board to simulate' });
    const release = core.hold('demo.add');
    const button = screen.getByRole('button', { name: 'Add a simulated board' });

    await fireEvent.click(button);
    await waitFor(() => expect(button.textContent).toContain('Starting the board…'));
    expect(button).toHaveProperty('disabled', true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    await fireEvent.submit(button.closest('form') as HTMLFormElement);
    release();

    await within(runningList()).findByRole('region', { name: 'Jetson Orin Nano 8GB' });
    expect(button).toHaveProperty('disabled', false);
    expect(core.requests.filter((request) => request.method === 'demo.add')).toHaveLength(1);
  });

  it('stops a board and goes back to the empty state', async () => {
    const core = new FakeCore();
    core.boards = [sampleBoard('orin-nano', 1), sampleBoard('nano', 2)];
    openSimulator(core);
    const list = runningList();
    await within(list).findByRole('region', { name: 'Jetson Nano 4GB' });

    await fireEvent.click(within(list).getByRole('button', { name: 'Stop the simulated board orin-nano-1' }));

    await waitFor(() => expect(within(list).queryByRole('region', { name: 'Jetson Orin Nano 8GB' })).toBeNull());
    expect(core.boards.map((board) => board.id)).toEqual(['sim-2']);
    await fireEvent.click(within(list).getByRole('button', { name: 'Stop the simulated board nano-2' }));
    expect(await within(list).findByText('No simulated board is running.')).toBeTruthy();
  });

  it('shows a refused start as a translated error', async () => {
    const core = new FakeCore();
    core.failures.set('demo.add', { code: 'unavailable', message: 'No free loopback address.', detail: '127.0.0.254' });
    openSimulator(core);

    await fireEvent.click(await screen.findByRole('button', { name: 'Add a simulated board' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The simulated board could not be started.');
    expect(alert.textContent).toContain('The workbench core is not reachable.');
    expect(alert.textContent).toContain('127.0.0.254');
    expect(within(runningList()).getByText('No simulated board is running.')).toBeTruthy();
  });

  it('shows a failed load with a retry', async () => {
    const core = new FakeCore();
    core.failures.set('demo.list', { code: 'internal', message: 'Boom.' });
    openSimulator(core);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The simulated boards could not be loaded.');
    core.failures.delete('demo.list');
    core.boards = [sampleBoard('nano', 1)];
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('region', { name: 'Jetson Nano 4GB' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('follows boards started and stopped from another window', async () => {
    const core = new FakeCore();
    openSimulator(core);
    const list = runningList();
    await within(list).findByText('No simulated board is running.');
    const otherWindow = core.connect();

    const added = await otherWindow.call['demo.add']({ profile: 'desktop-gpu' });

    expect(await within(list).findByRole('region', { name: 'Desktop GPU host (GeForce RTX 3060)' })).toBeTruthy();
    if (!added.ok) throw new Error('demo.add failed');
    await otherWindow.call['demo.remove']({ id: added.value.id });
    expect(await within(list).findByText('No simulated board is running.')).toBeTruthy();
  });

  it('speaks French', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'dark' };
    core.boards = [sampleBoard('orin-nano', 1)];
    openSimulator(core);

    expect(await screen.findByRole('heading', { level: 1, name: 'Cartes simulées' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Cartes simulées' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('radiogroup', { name: 'Carte à simuler' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ajouter une carte simulée' })).toBeTruthy();
    expect(screen.getByText('PC de bureau, pas une Jetson')).toBeTruthy();
    const card = await screen.findByRole('region', { name: 'Jetson Orin Nano 8GB' });
    expect(within(card).getByText('Mot de passe')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Arrêter la carte simulée orin-nano-1' })).toBeTruthy();
    expect(within(card).getByText(/^Démarrée à /)).toBeTruthy();
    expect(document.title).toBe('Cartes simulées · Jetson Workbench');
  });
});
