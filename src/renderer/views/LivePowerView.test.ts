import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore } from '../../../test/support/renderer/fake-core.ts';
import { sampleBatch, sampleTelemetryState } from '../../../test/support/renderer/fake-telemetry.ts';

function openPower(core: FakeCore) {
  history.replaceState(null, '', '/#/power');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

function readout(name: string): string {
  return screen.getByRole('status', { name }).textContent ?? '';
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  // jsdom has no 2D canvas: the charts keep their data without drawing (LiveChart allows it).
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fake-csv');
  vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LivePowerView', () => {
  it('comes after Boards and Flash in the navigation and starts telemetry on a simulated board', async () => {
    const core = new FakeCore();
    core.addSimulatedBoard('orin-nano');
    openPower(core);
    const links = within(screen.getByRole('navigation', { name: 'Views' })).getAllByRole('link');
    expect(links.map((link) => link.textContent?.trim())).toEqual([
      'Boards',
      'Flash',
      'Live power',
      'Benchmarks',
      'Install',
      'Overview',
      'Simulated boards',
      'Settings',
    ]);
    expect(screen.getByRole('heading', { level: 1, name: 'Live power' })).toBeTruthy();
    expect(screen.getByText('No telemetry is running. Start it on a board above.')).toBeTruthy();

    await fireEvent.change(screen.getByRole('combobox', { name: 'Sample every' }), { target: { value: '250' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Start on orin-nano-1' }));

    expect(await screen.findByRole('region', { name: 'orin-nano-1' })).toBeTruthy();
    expect(requests(core, 'telemetry.start')).toEqual([{ board: { kind: 'inventory', id: 'sim-1' }, source: 'auto', intervalMs: 250 }]);
    expect(screen.getByText('Telemetry runs on every available board.')).toBeTruthy();
  });

  it('shows the total power and grows the energy counter with each batch', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1', { label: 'orin-nano-1' })];
    openPower(core);
    await screen.findByRole('region', { name: 'orin-nano-1' });
    expect(readout('Total power of orin-nano-1, watts')).toBe('—');

    core.telemetry.push(sampleBatch('sim-1', 0, 1000, 5, 4)); // 2 s at 4 W
    await waitFor(() => expect(readout('Total power of orin-nano-1, watts')).toBe('4.00'));
    expect(readout('Energy of orin-nano-1, joules')).toBe('8.0');

    core.telemetry.push(sampleBatch('sim-1', 5, 1002.5, 4, 8)); // a 4→8 W step, then 1.5 s at 8 W
    await waitFor(() => expect(readout('Total power of orin-nano-1, watts')).toBe('8.00'));
    expect(readout('Energy of orin-nano-1, joules')).toBe('23.0'); // 8 + 3 + 12
    expect(readout('Average power of orin-nano-1, watts')).toBe('5.75'); // 23 J over 4 s
    expect(document.querySelector('[data-counter="received"]')?.textContent).toBe('9');
    expect(screen.getByText('GPU clock').nextElementSibling?.textContent).toBe('612 MHz');
  });

  it('shows the gaps, losses and unreadable lines the core counts', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    await screen.findByRole('region', { name: 'sim-1' });

    core.telemetry.change('sim-1', { gaps: 2, lost: 3, unparsed: 1, recentUnparsed: ['RAM garbage'] });

    await waitFor(() => expect(document.querySelector('[data-counter="gaps"]')?.textContent).toBe('2'));
    expect(document.querySelector('[data-counter="lost"]')?.textContent).toBe('3');
    expect(document.querySelector('[data-counter="unparsed"]')?.textContent).toBe('1');
    expect(screen.getByText('The last 1 unreadable lines')).toBeTruthy();
    expect(screen.getByText('RAM garbage')).toBeTruthy();
  });

  it('says the total is a sum of rails on a board without an input rail', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1', { inputRail: null, rails: ['VDD_GPU', 'VDD_CPU'] })];
    openPower(core);
    await screen.findByRole('region', { name: 'sim-1' });
    const batch = sampleBatch('sim-1', 0, 50, 3, 10);
    core.telemetry.push({ ...batch, inputMw: batch.t.map(() => null), railSumMw: batch.t.map(() => 3000) });
    await waitFor(() => expect(readout('Total power of sim-1, watts')).toBe('3.00'));
    expect(screen.getByText('This board has no total-input rail: the total is the sum of its rails.')).toBeTruthy();
    expect(screen.getByText('(sum of rails)')).toBeTruthy();
  });

  it('places markers with the name typed, or a numbered one', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    const panel = await screen.findByRole('region', { name: 'sim-1' });

    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Name of the marker to place on sim-1' }), {
      target: { value: 'warm-up' },
    });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Mark' }));
    await fireEvent.click(within(panel).getByRole('button', { name: 'Mark' }));

    await waitFor(() => expect(requests(core, 'telemetry.mark')).toHaveLength(2));
    expect(requests(core, 'telemetry.mark')).toEqual([
      { board: 'sim-1', label: 'warm-up' },
      { board: 'sim-1', label: 'Mark 1' },
    ]);
  });

  it('records, shows the core’s energy summary and exports the CSV as a download and a file', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    const panel = await screen.findByRole('region', { name: 'sim-1' });
    core.telemetry.push(sampleBatch('sim-1', 0, 1000, 3, 5));
    await waitFor(() => expect(readout('Energy of sim-1, joules')).toBe('5.0'));

    await fireEvent.click(within(panel).getByRole('button', { name: 'Record' }));
    await within(panel).findByText('● Recording');
    // The counter restarts with the recording.
    expect(readout('Energy of sim-1, joules')).toBe('0.0');
    expect(within(panel).getByText('Energy this recording')).toBeTruthy();

    await fireEvent.click(within(panel).getByRole('button', { name: 'Stop recording' }));
    const summary = await within(panel).findByRole('region', { name: 'Last recording: 120 samples' });
    expect(summary.textContent).toContain('412.50 J');
    expect(summary.textContent).toContain('6.88 W');

    await fireEvent.click(within(summary).getByRole('button', { name: 'Export CSV' }));
    const link = await within(summary).findByRole('link', { name: 'Download the CSV' });
    expect(link.getAttribute('href')).toBe('blob:fake-csv');
    expect(link.getAttribute('download')).toBe('recording-rec-1.csv');
    expect(within(summary).getByText('/data/exports/rec-1.csv')).toBeTruthy();
    expect(requests(core, 'telemetry.exportCsv')).toEqual([{ id: 'rec-1' }]);
  });

  it('switches to big-screen mode with the button and the F key, and back with Escape', async () => {
    const core = new FakeCore();
    openPower(core);
    const view = screen.getByRole('heading', { level: 1, name: 'Live power' }).closest('.view') as HTMLElement;
    const button = screen.getByRole('button', { name: 'Big screen' });
    expect(button.getAttribute('aria-keyshortcuts')).toBe('F');

    await fireEvent.click(button);
    expect(view.classList.contains('big')).toBe(true);
    expect(screen.getByRole('button', { name: 'Leave big screen' }).getAttribute('aria-pressed')).toBe('true');

    await fireEvent.keyDown(window, { key: 'f' });
    expect(view.classList.contains('big')).toBe(false);
    await fireEvent.keyDown(window, { key: 'F' });
    expect(view.classList.contains('big')).toBe(true);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(view.classList.contains('big')).toBe(false);
  });

  it('leaves the F key to text fields', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    const panel = await screen.findByRole('region', { name: 'sim-1' });
    await fireEvent.keyDown(within(panel).getByRole('textbox'), { key: 'f' });
    expect(screen.getByRole('button', { name: 'Big screen' })).toBeTruthy();
  });

  it('pauses, offers to scroll back, and picks the window', async () => {
    const core = new FakeCore();
    openPower(core);
    await fireEvent.click(screen.getByRole('button', { name: '5 min' }));
    expect(screen.getByRole('button', { name: '5 min' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '1 min' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('slider')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    const slider = screen.getByRole('slider', { name: /^Scrolled back 0 s/ });
    expect(slider.getAttribute('max')).toBe(String(30 * 60 - 300));
    await fireEvent.click(screen.getByRole('button', { name: 'Resume live' }));
    expect(screen.queryByRole('slider')).toBeNull();
  });

  it('stops telemetry on a board', async () => {
    const core = new FakeCore();
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    const panel = await screen.findByRole('region', { name: 'sim-1' });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Stop telemetry on sim-1' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'sim-1' })).toBeNull());
    expect(requests(core, 'telemetry.stop')).toEqual([{ board: 'sim-1' }]);
  });

  it('shows a refused start as a translated error', async () => {
    const core = new FakeCore();
    core.addSimulatedBoard('nano');
    core.failures.set('telemetry.start', { code: 'auth-failed', message: 'Denied.' });
    openPower(core);
    await fireEvent.click(await screen.findByRole('button', { name: 'Start on nano-1' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The telemetry could not be started.');
    expect(alert.textContent).toContain('Authentication failed');
  });

  it('speaks French', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'dark' };
    core.telemetry.boards = [sampleTelemetryState('sim-1')];
    openPower(core);
    expect(await screen.findByRole('heading', { level: 1, name: 'Puissance en direct' })).toBeTruthy();
    const panel = await screen.findByRole('region', { name: 'sim-1' });
    core.telemetry.push(sampleBatch('sim-1', 0, 1000, 3, 5));
    await waitFor(() =>
      expect(within(panel).getByRole('status', { name: 'Puissance totale de sim-1, en watts' }).textContent).toBe('5,00'),
    );
    expect(within(panel).getByRole('button', { name: 'Enregistrer' })).toBeTruthy();
    expect(document.title).toBe('Puissance en direct · Jetson Workbench');
  });
});
