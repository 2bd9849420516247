import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { sampleBenchRun, sampleProgress } from '../../../test/support/renderer/fake-bench.ts';
import { FakeCore, sampleBoardSummary } from '../../../test/support/renderer/fake-core.ts';

function openBench(core: FakeCore) {
  history.replaceState(null, '', '/#/bench');
  return render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

const condition = 'sim-1 | mnist-train | numpy | default batch | current mode';

/** Opens the view with one simulated board, picks it, and starts a 2-repeat plan. */
async function startPlan(core: FakeCore): Promise<void> {
  core.addSimulatedBoard('orin-nano');
  openBench(core);
  await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1 Simulated' }));
  await fireEvent.input(screen.getByRole('spinbutton', { name: 'Repeats' }), { target: { value: '2' } });
  await screen.findByText('Estimated: 2 runs, about 26 s');
  await fireEvent.click(screen.getByRole('button', { name: 'Start the plan' }));
  await screen.findByRole('progressbar', { name: 'Runs finished' });
}

/** A finished run of `framework` with power figures: `watts` on average, `watts / 100` J per image. */
function measuredRun(framework: string, repeat: number, throughput: number, watts: number) {
  const key = `sim-1 | mnist-train | ${framework} | default batch | current mode`;
  const run = sampleBenchRun('plan-1', key, repeat, 0.8, throughput);
  return {
    ...run,
    id: `${framework}-${repeat}`,
    params: { ...run.params, framework, batch: null, powerMode: { nvpmodel: null, jetsonClocks: false } },
    metrics: { ...run.metrics, energy: { ...run.metrics.energy!, joules: 10, averageW: watts, jPerSample: watts / 100 } },
  };
}

/** The comparison chart's values, as its visually hidden table gives them to a screen reader. */
function chartRows(caption: string): string[][] {
  const table = screen.getByRole('table', { name: caption });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => Array.from(row.children, (cell) => cell.textContent?.trim() ?? ''));
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  // jsdom has no 2D canvas: the comparison chart draws nothing and keeps its values in its table.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fake-report');
  vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BenchView', () => {
  it('comes after Flash and Live power and asks for an estimate of the plan as it is written', async () => {
    const core = new FakeCore();
    core.addSimulatedBoard('orin-nano');
    openBench(core);
    const links = within(screen.getByRole('navigation', { name: 'Views' })).getAllByRole('link');
    expect(links.map((link) => link.textContent?.trim()).slice(0, 4)).toEqual(['Boards', 'Flash', 'Live power', 'Benchmarks']);
    expect(screen.getByRole('heading', { level: 1, name: 'Benchmarks' })).toBeTruthy();
    expect(screen.getByText('Choose at least one board, one framework and one suite.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Start the plan' }) as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1 Simulated' }));
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Training images (empty: all)' }), { target: { value: '3000' } });
    await screen.findByText('Estimated: 3 runs, about 39 s');
    const last = requests(core, 'bench.plan.estimate').at(-1);
    expect(last).toEqual({
      plan: {
        boards: [{ kind: 'inventory', id: 'sim-1' }],
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

  it('plans several batch sizes and power modes, and says when a list does not read', async () => {
    const core = new FakeCore();
    core.addSimulatedBoard('orin-nano');
    openBench(core);
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1 Simulated' }));
    await fireEvent.input(screen.getByRole('textbox', { name: /^Batch sizes/ }), { target: { value: '32, 64' } });
    await fireEvent.input(screen.getByRole('textbox', { name: /^nvpmodel modes/ }), { target: { value: '0 1' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Both (each mode twice)' }));
    await waitFor(() =>
      expect(requests(core, 'bench.plan.estimate').at(-1)).toMatchObject({
        plan: {
          batchSizes: [32, 64],
          powerModes: [
            { nvpmodel: 0, jetsonClocks: false },
            { nvpmodel: 0, jetsonClocks: true },
            { nvpmodel: 1, jetsonClocks: false },
            { nvpmodel: 1, jetsonClocks: true },
          ],
        },
      }),
    );
    expect(screen.queryByRole('alert')).toBeNull();

    await fireEvent.input(screen.getByRole('textbox', { name: /^Batch sizes/ }), { target: { value: '32, lots' } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Batch sizes are whole numbers/);
    expect(screen.getByRole('textbox', { name: /^Batch sizes/ }).getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Start the plan' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('follows the progress, lists each run, cancels, and summarizes the conditions at the end', async () => {
    const core = new FakeCore();
    await startPlan(core);
    expect(requests(core, 'bench.start')).toHaveLength(1);
    expect(screen.getByText('0 of 2 runs')).toBeTruthy();

    core.bench.progress(sampleProgress('plan-1', 'epoch', { condition, repeat: 1, fraction: 0.5, message: 'epoch 1/2' }));
    // One board, one framework, one suite: the run is named by its suite and framework.
    await screen.findByText('Now: mnist-train · numpy, repeat 1');
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
    // A failed run says why in the table itself, not only in a tooltip.
    core.bench.progress(
      sampleProgress('plan-1', 'run-failed', { runId: 'r0', condition, repeat: 0, message: 'No module named torch: install it first.' }),
    );
    await waitFor(() => expect(within(runs).getAllByRole('row')).toHaveLength(3));
    expect(within(runs).getByText('No module named torch: install it first.')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel the plan' }));
    await screen.findByText('Cancelling…');
    expect(core.bench.cancelled).toEqual(['plan-1']);

    core.bench.runs = [sampleBenchRun('plan-1', condition, 1, 0.81, 5400), sampleBenchRun('plan-1', condition, 2, 0.83, 5600)];
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 1, failed: 0, cancelled: 1 } }));
    await screen.findByText('Plan finished: 1 done, 0 failed, 1 cancelled.');
    const results = await screen.findByRole('table', { name: /^Median of the repeats/ });
    const row = within(results).getAllByRole('row')[1] as HTMLElement;
    // One condition: named by its suite and framework, marked simulated, the whole condition in words as the tooltip.
    expect(within(row).getByRole('rowheader').textContent).toBe('mnist-train · numpy Simulated');
    expect(within(row).getByRole('rowheader').getAttribute('title')).toBe(
      'orin-nano-1 · mnist-train · numpy · default batch · current mode',
    );
    expect(within(row).getByText('integral of the samples · hwmon · 100 Hz')).toBeTruthy();
    expect(within(row).getByText('2 / 2')).toBeTruthy();
    expect(within(row).getByText('0.82')).toBeTruthy(); // median of 0.81 and 0.83
    expect(within(row).getByText('5500 images/s')).toBeTruthy();
    expect(within(row).getAllByText('CI needs ≥ 6 repeats')).toHaveLength(3);
    expect(requests(core, 'bench.runs')).toEqual([{ planId: 'plan-1', limit: 10_000 }]);
    expect(screen.queryByRole('button', { name: 'Cancel the plan' })).toBeNull();
  });

  it('compares the conditions on a chart, one metric at a time, with the CI or why there is none', async () => {
    const core = new FakeCore();
    await startPlan(core);
    core.bench.runs = [
      ...[1, 2, 3].map((repeat) => measuredRun('numpy', repeat, 100 * repeat, 4 + repeat)),
      ...[1, 2, 3, 4, 5, 6].map((repeat) => measuredRun('torch', repeat, 1000 * repeat, 10 + repeat)),
    ];
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 9, failed: 0, cancelled: 0 } }));
    const section = await screen.findByRole('region', { name: 'Comparison' });
    const metrics = within(section).getByRole('radiogroup', { name: 'Metric' });
    expect(
      within(metrics)
        .getAllByRole('radio')
        .map((radio) => radio.parentElement?.textContent?.trim()),
    ).toEqual(['Throughput', 'Energy per sample', 'Average power', 'Latency (p50)']);
    expect((within(metrics).getByRole('radio', { name: 'Throughput' }) as HTMLInputElement).checked).toBe(true);
    expect(within(section).getByRole('img').getAttribute('aria-label')).toBe(
      'Throughput for MNIST training, in images/s: bar chart of the median per condition. The values are in the table that follows.',
    );
    const group = 'orin-nano-1 · default batch · current mode'; // nothing but the framework varies
    expect(chartRows('Throughput for MNIST training, in images/s')).toEqual([
      ['numpy', group, '200 images/s', 'no CI (n = 3 < 6)'],
      ['torch', group, '3500 images/s', '95 % CI 1000 – 6000'],
    ]);
    const legend = within(section).getByRole('list', { name: 'Colours: Framework' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['numpy', 'torch']);

    await fireEvent.click(within(metrics).getByRole('radio', { name: 'Average power' }));
    expect(chartRows('Average power for MNIST training, in W')).toEqual([
      ['numpy', group, '6 W', 'no CI (n = 3 < 6)'],
      ['torch', group, '13.5 W', '95 % CI 11 – 16'],
    ]);
    await fireEvent.click(within(metrics).getByRole('radio', { name: 'Energy per sample' }));
    expect(chartRows('Energy per sample for MNIST training, in J/sample').map((row) => row[2])).toEqual([
      '0.06 J/sample',
      '0.135 J/sample',
    ]);
    // Training measures no latency: the chart says so rather than drawing nothing.
    await fireEvent.click(within(metrics).getByRole('radio', { name: 'Latency (p50)' }));
    expect(within(section).getByText(/^No value of “Latency \(p50\)” for MNIST training/)).toBeTruthy();
    expect(within(section).queryByRole('img')).toBeNull();

    // Coloured by board, the one board is the one colour and the frameworks name the groups.
    await fireEvent.click(within(metrics).getByRole('radio', { name: 'Throughput' }));
    await fireEvent.click(within(section).getByRole('radio', { name: 'Board' }));
    expect(chartRows('Throughput for MNIST training, in images/s').map((row) => row.slice(0, 2))).toEqual([
      ['orin-nano-1', 'numpy'],
      ['orin-nano-1', 'torch'],
    ]);
    const results = screen.getByRole('table', { name: /^Median of the repeats/ });
    expect(within(results).getByRole('columnheader', { name: 'Average power, W (median)' })).toBeTruthy();
    expect(within(within(results).getAllByRole('row')[2] as HTMLElement).getByText('13.5')).toBeTruthy();
  });

  it('flags an outlier among the repeats and keeps it in the median', async () => {
    const core = new FakeCore();
    await startPlan(core);
    core.bench.runs = [5400, 5410, 5420, 5430, 9000].map((throughput, index) =>
      sampleBenchRun('plan-1', condition, index + 1, 0.8, throughput),
    );
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 5, failed: 0, cancelled: 0 } }));
    const results = await screen.findByRole('table', { name: /^Median of the repeats/ });
    const row = (await within(results).findAllByRole('row'))[1] as HTMLElement;
    expect(within(row).getByText('5420 images/s')).toBeTruthy();
    expect(within(row).getByText('1 outlier(s) beyond 1.5 IQR, kept')).toBeTruthy();
  });

  it('opens the report as a download, names where the core saved it, and saves it as PDF', async () => {
    const core = new FakeCore();
    await startPlan(core);
    core.bench.progress(sampleProgress('plan-1', 'plan-done', { board: '', counts: { done: 2, failed: 0, cancelled: 0 } }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Open the report' }));
    const link = await screen.findByRole('link', { name: 'Download the report (HTML)' });
    expect(link.getAttribute('href')).toBe('blob:fake-report');
    expect(link.getAttribute('download')).toBe('bench-plan-1.html');
    expect(screen.getByText('/data/reports/bench-plan-1.html')).toBeTruthy();
    expect(requests(core, 'bench.report')).toEqual([{ planId: 'plan-1', save: true, pdf: false }]);
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0]?.[0] as Blob;
    expect(await blob.text()).toBe(core.bench.reportHtml);

    // The PDF is printed by the core, beside the HTML.
    await fireEvent.click(screen.getByRole('button', { name: 'Save as PDF' }));
    await screen.findByText('/data/reports/bench-plan-1.pdf');
    expect(requests(core, 'bench.report').at(-1)).toEqual({ planId: 'plan-1', save: true, pdf: true });
  });

  it('greys a framework a chosen board does not have, with the way to install it', async () => {
    const core = new FakeCore();
    core.knownBoards = [sampleBoardSummary(1, { name: 'lab-nano', state: 'online', frameworks: ['numpy'] })];
    openBench(core);
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'lab-nano' }));
    const torch = screen.getByRole('checkbox', { name: 'torch' }) as HTMLInputElement;
    expect(torch.disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'numpy' }) as HTMLInputElement).disabled).toBe(false);
    expect(screen.getAllByText('Not installed on lab-nano.')).toHaveLength(5);
    expect(screen.getAllByRole('link', { name: 'Install it' })[0]?.getAttribute('href')).toBe('#/install');
  });

  it('shows the core’s refusal to start, in French too', async () => {
    const core = new FakeCore();
    core.preferences = { language: 'fr', theme: 'system' };
    core.addSimulatedBoard('orin-nano');
    core.failures.set('bench.start', { code: 'unavailable', message: 'down' });
    openBench(core);
    await screen.findByRole('heading', { level: 1, name: 'Bancs d’essai' });
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'orin-nano-1 Simulée' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Lancer le plan' }));
    expect(await screen.findByText('Le plan n’a pas pu être lancé.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
