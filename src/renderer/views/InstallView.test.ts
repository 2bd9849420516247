import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore, sampleBoardSummary } from '../../../test/support/renderer/fake-core.ts';
import { sampleInstallEvent, sampleInstallFacts } from '../../../test/support/renderer/fake-install.ts';

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

/** Opens the view with one online board (a real one, or a demo mirror) and picks it. */
async function openWithBoard(core: FakeCore, demoId: string | null = null, facts: Partial<typeof sampleInstallFacts> = {}): Promise<void> {
  core.knownBoards = [sampleBoardSummary(1, { state: 'online', name: 'orin-lab', demoId })];
  core.facts.set('board-1', { ...sampleInstallFacts, ...facts });
  history.replaceState(null, '', '/#/install');
  render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
  await fireEvent.change(await screen.findByRole('combobox', { name: 'Board' }), { target: { value: 'board-1' } });
  await screen.findByRole('radio', { name: /jetson-stats/ });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fake-procedure');
  vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('InstallView', () => {
  it('comes after Benchmarks and shows the stack and the libraries with their compatibility', async () => {
    const core = new FakeCore();
    await openWithBoard(core);
    const links = within(screen.getByRole('navigation', { name: 'Views' })).getAllByRole('link');
    const labels = links.map((link) => link.textContent?.trim());
    expect(labels.indexOf('Install')).toBe(labels.indexOf('Benchmarks') + 1);
    expect(screen.getByRole('heading', { level: 1, name: 'Install a library' })).toBeTruthy();
    expect(screen.getByText('6.2')).toBeTruthy();
    expect(screen.getByText('12.6')).toBeTruthy();
    expect(screen.getByText('9.3.0')).toBeTruthy(); // cuDNN
    expect(screen.getByText('10.3.0')).toBeTruthy(); // TensorRT
    expect(screen.getByText('numpy 1.26.4')).toBeTruthy();
    expect((screen.getByRole('radio', { name: /Caffe/ }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Caffe does not build against cuDNN 9.')).toBeTruthy();
    expect(requests(core, 'install.recipes')).toEqual([{ board: { kind: 'inventory', id: 'board-1' } }]);
  });

  it('says CUDA is not installed on a fresh image, and how it comes', async () => {
    const core = new FakeCore();
    await openWithBoard(core, null, { cuda: null, cudnn: null, tensorrt: null });
    expect(screen.getByText(/^not installed: the GPU libraries’ recipes add it first/)).toBeTruthy();
    expect(screen.getAllByText('not installed')).toHaveLength(2);
  });

  it('asks a real board for its sudo password, sends it once and clears it', async () => {
    const core = new FakeCore();
    await openWithBoard(core);
    await fireEvent.click(screen.getByRole('radio', { name: /jetson-stats/ }));
    expect(screen.getByText('sudo pip3 install -U jetson-stats')).toBeTruthy();
    expect(screen.getByText('Not confirmed by the published sources: The reference gives only the pip line.')).toBeTruthy();
    expect(screen.getByText('Source: https://github.com/rbonghi/jetson_stats')).toBeTruthy();
    expect(screen.getAllByText(/^Not confirmed by the published sources/)).toHaveLength(1);
    const password = screen.getByLabelText('Sudo password of the board') as HTMLInputElement;
    expect(password.type).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('off');
    await fireEvent.input(password, { target: { value: 's3cret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    await screen.findByRole('progressbar', { name: 'Steps done' });
    expect(requests(core, 'install.start')).toEqual([
      { board: { kind: 'inventory', id: 'board-1' }, library: 'jetson-stats', sudoPassword: 's3cret' },
    ]);
    expect(password.value).toBe('');
  });

  it('sends the offline folder typed in the plan with the start request, and leaves it out when empty', async () => {
    const core = new FakeCore();
    await openWithBoard(core, 'sim-1');
    await fireEvent.click(screen.getByRole('radio', { name: /jetson-stats/ }));
    const folder = screen.getByRole('textbox', { name: 'Install from a folder on this computer (offline board)' }) as HTMLInputElement;
    expect(folder.value).toBe('');
    expect(folder.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(folder.getAttribute('aria-describedby') ?? '')?.textContent).toContain('.whl and .deb');
    expect(screen.queryByRole('checkbox', { name: /^First download the wheels/ }), 'only with a folder').toBeNull();
    await fireEvent.input(folder, { target: { value: '  /home/student/jetson-wheels ' } });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /^First download the wheels/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    await screen.findByRole('progressbar', { name: 'Steps done' });
    expect(requests(core, 'install.start')).toEqual([
      {
        board: { kind: 'inventory', id: 'board-1' },
        library: 'jetson-stats',
        offlineDir: '/home/student/jetson-wheels',
        fetchMissing: true,
      },
    ]);
  });

  it('sends force when "Reinstall" is ticked, and shows a skipped step and why in the log', async () => {
    const core = new FakeCore();
    await openWithBoard(core, 'sim-1');
    await fireEvent.click(screen.getByRole('radio', { name: /jetson-stats/ }));
    const reinstall = screen.getByRole('checkbox', { name: 'Reinstall even if it is already installed' }) as HTMLInputElement;
    expect(reinstall.checked).toBe(false);
    await fireEvent.click(reinstall);
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    await screen.findByRole('progressbar', { name: 'Steps done' });
    expect(requests(core, 'install.start')).toEqual([
      { board: { kind: 'inventory', id: 'board-1' }, library: 'jetson-stats', force: true },
    ]);

    core.install.progress(
      sampleInstallEvent('install-1', 'step-skipped', {
        stepIndex: 0,
        stepCount: 2,
        title: 'Refresh the package lists',
        message: 'already installed, version 4.3.2',
      }),
    );
    await screen.findByText('1 of 2 steps');
    expect(screen.getByLabelText('Install log').textContent).toContain(
      '# Refresh the package lists: skipped (already installed, version 4.3.2)',
    );
  });

  it('follows a demo board install: log, verification and the procedure document', async () => {
    const core = new FakeCore();
    await openWithBoard(core, 'sim-1');
    await fireEvent.click(screen.getByRole('radio', { name: /jetson-stats/ }));
    expect(screen.queryByLabelText('Sudo password of the board')).toBeNull();
    expect(screen.getByText('A simulated board: its known password is used.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    expect(requests(core, 'install.start')).toEqual([{ board: { kind: 'inventory', id: 'board-1' }, library: 'jetson-stats' }]);
    await screen.findByRole('progressbar', { name: 'Steps done' });

    const id = core.install.installId;
    core.install.progress(
      sampleInstallEvent(id, 'step-started', {
        stepIndex: 0,
        stepCount: 2,
        title: 'Refresh the package lists',
        line: 'sudo apt-get update',
      }),
    );
    core.install.progress(sampleInstallEvent(id, 'log', { stepIndex: 0, text: 'Reading package lists... Done\n' }));
    await screen.findByText('Step 1: Refresh the package lists');
    const log = screen.getByLabelText('Install log');
    expect(log.textContent).toContain('$ sudo apt-get update\nReading package lists... Done');
    core.install.progress(sampleInstallEvent(id, 'step-finished', { stepIndex: 0, stepCount: 2 }));
    await screen.findByText('1 of 2 steps');

    core.install.progress(
      sampleInstallEvent(id, 'verified', {
        verification: { version: '4.3.2', cuda: false, gpuOp: 'none', extra: {}, line: 'python3 -c …' },
      }),
    );
    core.install.progress(sampleInstallEvent(id, 'finished', { state: 'done' }));
    await screen.findByText('Installed and verified.');
    expect(screen.getByText('4.3.2')).toBeTruthy();
    const document = await screen.findByLabelText('Procedure document');
    expect(document.textContent).toContain('`sudo apt-get update`');
    expect(screen.getByRole('link', { name: 'Download as HTML' }).getAttribute('href')).toBe('blob:fake-procedure');
  });

  it('shows a failure with what to do, and cancels', async () => {
    const core = new FakeCore();
    await openWithBoard(core, 'sim-1');
    await fireEvent.click(screen.getByRole('radio', { name: /jetson-stats/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(core.install.cancelled).toEqual(['install-1']);
    core.install.progress(
      sampleInstallEvent('install-1', 'failed', {
        state: 'failed',
        error: { code: 'disk-full', message: "The board's disk is full. Free some space.", detail: 'Errno 28' },
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain("The board's disk is full. Free some space.");
    expect(alert.textContent).toContain('Errno 28');
    expect(screen.getByText('The install failed.')).toBeTruthy();
  });
});
