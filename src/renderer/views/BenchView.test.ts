import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { sampleBenchRun, sampleProgress } from '../testing/fake-bench.ts';
import { FakeCore, sampleBoard } from '../testing/fake-core.ts';

function openBench(core: FakeCore) {
  history.replaceState(null, '', '/#/bench');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

const condition = 'demo-1 | mnist-train | numpy | default batch | current mode';

/** Opens the view with one simulated board, picks it, and starts a 2-repeat plan. */
async function startPlan(core: FakeCore): Promise<void> {
  core.boards = [sampleBoard('orin-nano', 1)];
  openBench(core);
  await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1' }));
  await fireEvent.input(screen.getByRole('spinbutton', { name: 'Repeats' }), { target: { value: '2' } });
  await screen.findByText('Estimated: 2 runs, about 26 s');
  await fireEvent.click(screen.getByRole('button', { name: 'Start the plan' }));
  await screen.findByRole('progressbar', { name: 'Runs finished' });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fake-report');
  vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BenchView', () => {
  it('comes after Live power and asks for an estimate of the plan as it is written', async () => {
    const core = new FakeCore();
    core.boards = [sampleBoard('orin-nano', 1)];
    openBench(core);
    const links = within(screen.getByRole('navigation', { name: 'Views' })).getAllByRole('link');
    expect(links.map((link) => link.textContent?.trim()).slice(0, 3)).toEqual(['Boards', 'Live power', 'Benchmarks']);
    expect(screen.getByRole('heading', { level: 1, name: 'Benchmarks' })).toBeTruthy();
    expect(screen.getByText('Choose at least one board, one framework and one suite.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Start the plan' }) as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1' }));
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Training images (empty: all)' }), { target: { value: '3000' } });
    await screen.findByText('Estimated: 3 runs, about 39 s');
    const last = requests(core, 'bench.plan.estimate').at(-1);
    expect(last).toEqual({
      plan: {
        targets: [{ demoBoardId: 'demo-1' }],
        frameworks: ['numpy'],
        suites: ['mnist-train'],
        batchSizes: [],
        powerModes: [],
        repeats: 3,
        epochs: 1,
        trainLimit: 3000,
      },
    });
  });

  it('follows the progress, lists each run, cancels, and summarizes the conditions at the end', async () => {
    const core = new FakeCore();
    await startPlan(core);
    expect(requests(core, 'bench.start')).toHaveLength(1);
    expect(screen.getByText('0 of 2 runs')).toBeTruthy();

    core.bench.progress(sampleProgress('plan-1', 'epoch', { condition, repeat: 1, fraction: 0.5, message: 'epoch 1/2' }));
    await screen.findByText(`Now: ${condition}, repeat 1`);
    expect(screen.getByText('Step: epoch 1/2')).toBeTruthy();
    // Another plan's events are not ours.
    core.bench.progress(sampleProgress('other-plan', 'run-done', { runId: 'x', condition: 'elsewhere', repeat: 1 }));
    core.bench.progress(
      sampleProgress('plan-1', 'run-done', {
        runId: 'r1',
        condition,
        repeat: 1,
        metrics: { accuracy: 0.8123, throughput: 5400, joules: 12.5 },
      }),
    );
    const runs = await screen.findByRole('table', { name: 'Runs as they finish' });
    await waitFor(() => expect(within(runs).getAllByRole('row')).toHaveLength(2));
    expect(within(runs).getByText('0.812')).toBeTruthy();
    expect(screen.getByText('1 of 2 runs')).toBeTruthy();
    expect((screen.getByRole('progressbar', { name: 'Runs finished' }) as HTMLProgressElement).value).toBe(1);

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel the plan' }));
    await screen.findByText('Cancelling…');
    expect(core.bench.cancelled).toEqual(['plan-1']);

    core.bench.runs = [sampleBenchRun('plan-1', condition, 1, 0.81, 5400), sampleBenchRun('plan-1', condition, 2, 0.83, 5600)];
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 1, failed: 0, cancelled: 1 } }));
    await screen.findByText('Plan finished: 1 done, 0 failed, 1 cancelled.');
    const results = await screen.findByRole('table', { name: /^Median of the repeats/ });
    const row = within(results).getAllByRole('row')[1] as HTMLElement;
    expect(within(row).getByRole('rowheader').textContent).toBe(condition);
    expect(within(row).getByText('2 / 2')).toBeTruthy();
    expect(within(row).getByText('0.82')).toBeTruthy(); // median of 0.81 and 0.83
    expect(within(row).getByText('5500 images/s')).toBeTruthy();
    expect(within(row).getAllByText('CI needs ≥ 6 repeats')).toHaveLength(3);
    expect(requests(core, 'bench.runs')).toEqual([{ planId: 'plan-1', limit: 10_000 }]);
    expect(screen.queryByRole('button', { name: 'Cancel the plan' })).toBeNull();
  });

  it('opens the report as a download and names where the core saved it', async () => {
    const core = new FakeCore();
    await startPlan(core);
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 2, failed: 0, cancelled: 0 } }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Open the report' }));
    const link = await screen.findByRole('link', { name: 'Download the report (HTML)' });
    expect(link.getAttribute('href')).toBe('blob:fake-report');
    expect(link.getAttribute('download')).toBe('bench-plan-1.html');
    expect(screen.getByText('/data/reports/bench-plan-1.html')).toBeTruthy();
    expect(requests(core, 'bench.report')).toEqual([{ planId: 'plan-1', save: true }]);
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0]?.[0] as Blob;
    expect(await blob.text()).toBe(core.bench.reportHtml);
  });

  it('shows the core’s refusal to start, in French too', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'system' };
    core.boards = [sampleBoard('orin-nano', 1)];
    core.failures.set('bench.start', { code: 'unavailable', message: 'down' });
    openBench(core);
    await screen.findByRole('heading', { level: 1, name: 'Bancs d’essai' });
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Lancer le plan' }));
    expect(await screen.findByText('Le plan n’a pas pu être lancé.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
