import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore, sampleBoardSummary } from '../../../test/support/renderer/fake-core.ts';

const fingerprint = `SHA256:${'k'.repeat(43)}`;

function openBoards(core: FakeCore) {
  history.replaceState(null, '', '/#/boards');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('BoardsView', () => {
  it('is first in the navigation and shows each board with its state, module, JetPack and live power', async () => {
    const core = new FakeCore();
    core.knownBoards = [
      sampleBoardSummary(1, {
        name: 'Bench A',
        state: 'online',
        module: 'NVIDIA Jetson Orin Nano Developer Kit',
        jetpack: '6.2.1',
        powerW: 5.25,
      }),
      sampleBoardSummary(2, { name: 'Bench B', demoId: 'demo-1' }),
    ];
    openBoards(core);

    const navigation = screen.getByRole('navigation', { name: 'Views' });
    expect(within(navigation).getAllByRole('link')[0]?.textContent?.trim()).toBe('Boards');
    const online = await screen.findByRole('region', { name: 'Bench A' });
    expect(within(online).getByText('Connected')).toBeTruthy();
    expect(within(online).getByText('NVIDIA Jetson Orin Nano Developer Kit')).toBeTruthy();
    expect(within(online).getByText('6.2.1')).toBeTruthy();
    expect(within(online).getByText('5.3 W')).toBeTruthy();
    expect(within(online).getByText('jetson@127.0.0.2:22')).toBeTruthy();
    const offline = screen.getByRole('region', { name: 'Bench B' });
    expect(within(offline).getByText('Offline')).toBeTruthy();
    expect(within(offline).getByText('Simulated')).toBeTruthy();
    expect(within(offline).queryByText(/ W$/)).toBeNull();

    core.emit('boards.onDidChange', [{ ...core.knownBoards[0], powerW: 7.04 }, core.knownBoards[1]]);
    expect(await within(online).findByText('7.0 W')).toBeTruthy();
  });

  it('adds a board by address and shows it', async () => {
    const core = new FakeCore();
    openBoards(core);
    expect(await screen.findByText('No board yet.')).toBeTruthy();

    await fireEvent.input(screen.getByRole('textbox', { name: 'Address' }), { target: { value: 'jetson-lab.local' } });
    await fireEvent.input(screen.getByRole('textbox', { name: 'Name (optional)' }), { target: { value: 'Lab board' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add the board' }));

    expect(await screen.findByRole('region', { name: 'Lab board' })).toBeTruthy();
    expect(requests(core, 'boards.add')).toEqual([{ host: 'jetson-lab.local', port: 22, user: 'jetson', name: 'Lab board' }]);
  });

  it('asks for the password, then the fingerprint, then connects', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { name: 'Bench A' })];
    core.connectOutcomes.push(
      { status: 'password-needed', rejected: false },
      { status: 'host-key-unknown', keyType: 'ssh-ed25519', fingerprint },
    );
    openBoards(core);
    const card = await screen.findByRole('region', { name: 'Bench A' });

    await fireEvent.click(within(card).getByRole('button', { name: 'Connect to Bench A' }));
    const passwordDialog = await screen.findByRole('dialog', { name: 'Password for jetson@127.0.0.2' });
    const field = within(passwordDialog).getByLabelText('Password');
    await waitFor(() => expect(document.activeElement).toBe(field));
    await fireEvent.input(field, { target: { value: 's3cret' } });
    await fireEvent.click(within(passwordDialog).getByRole('button', { name: 'Log in' }));

    const keyDialog = await screen.findByRole('dialog', { name: 'Is this board the one you expect?' });
    expect(within(keyDialog).getByText(fingerprint)).toBeTruthy();
    await fireEvent.click(within(keyDialog).getByRole('button', { name: 'Trust and connect' }));

    expect(await within(card).findByText('Connected')).toBeTruthy();
    expect(within(card).getByText('4.8 W')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(requests(core, 'boards.connect')).toEqual([{ id: 'board-1' }, { id: 'board-1', password: 's3cret' }, { id: 'board-1' }]);
    expect(requests(core, 'boards.trustHostKey')).toEqual([{ id: 'board-1', fingerprint }]);
  });

  it('says when a password was refused, and Escape closes the dialog', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { name: 'Bench A' })];
    core.connectOutcomes.push({ status: 'password-needed', rejected: true });
    openBoards(core);
    await fireEvent.click(await screen.findByRole('button', { name: 'Connect to Bench A' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('alert').textContent).toContain('The board refused this password.');
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('blocks a changed key until the person says they re-flashed the board', async () => {
    const core = new FakeCore();
    const known = `SHA256:${'o'.repeat(43)}`;
    core.knownBoards = [sampleBoardSummary(1, { name: 'Bench A', fingerprint: known })];
    core.connectOutcomes.push({
      status: 'host-key-changed',
      knownFingerprint: known,
      offeredFingerprint: fingerprint,
      trustedSince: '2025-03-01T10:00:00.000Z',
    });
    openBoards(core);
    await fireEvent.click(await screen.findByRole('button', { name: 'Connect to Bench A' }));

    const dialog = await screen.findByRole('dialog', { name: 'This board’s identity changed' });
    expect(within(dialog).getByText(known)).toBeTruthy();
    expect(within(dialog).getByText(fingerprint)).toBeTruthy();
    expect(dialog.textContent).toContain('March 1, 2025');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'I re-flashed this board, trust the new key' }));

    expect(await screen.findByText('Connected')).toBeTruthy();
    expect(requests(core, 'boards.trustHostKey')).toEqual([{ id: 'board-1', fingerprint }]);
  });

  it('removes a board after a confirmation', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { name: 'Bench A' })];
    openBoards(core);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove Bench A from the list' }));
    expect(requests(core, 'boards.remove')).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, remove it' }));

    expect(await screen.findByText('No board yet.')).toBeTruthy();
    expect(requests(core, 'boards.remove')).toEqual([{ id: 'board-1', forgetKey: true }]);
  });

  it('opens the details page at #/boards/<id>', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { name: 'Bench A', fingerprint })];
    openBoards(core);
    await fireEvent.click(await screen.findByRole('link', { name: 'Details and terminal of Bench A' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Bench A' })).toBeTruthy();
    expect(location.hash).toBe('#/boards/board-1');
    expect(screen.getByText(fingerprint)).toBeTruthy();
    expect(screen.getByText('Connect to the board to open a terminal.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open a terminal' })).toHaveProperty('disabled', true);
  });

  it('speaks French', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'system' };
    core.knownBoards = [sampleBoardSummary(1, { name: 'Banc A' })];
    openBoards(core);

    expect(await screen.findByRole('heading', { level: 1, name: 'Cartes' })).toBeTruthy();
    const card = await screen.findByRole('region', { name: 'Banc A' });
    expect(within(card).getByText('Hors ligne')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Se connecter à Banc A' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ajouter la carte' })).toBeTruthy();
  });
});
