import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchPlanInput, BenchProgress } from '../../shared/bench/contract.ts';
import { benchSuites, type BenchSuite } from '../../shared/bench/plan.ts';
import { summarizeConditions, type ConditionSummary } from '../../shared/bench/summary.ts';
import type { Summary } from '../../shared/bench/stats.ts';
import { formatNumber } from '../../main/bench/report-svg.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { followJob } from '../follow-job.ts';
import { addressRef, withWorkbench, type CliWorkbench } from '../workbench.ts';
import { reportFailure } from './info.ts';
function whole(name: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be a whole number (at least ${min})`);
  return value;
}

/**
 * `jwb bench`: one board, one plan (suite × framework × repeats, optional
 * batch and power mode), stored in the results database like the app's runs.
 * Progress goes to stderr; the statistics (median, 95 % CI) to stdout.
 */
export const benchCommand: CliCommand = {
  name: 'bench',
  usage:
    'jwb bench <user@host[:port]> --suite mnist-train|cnn-infer|gemm|membw --framework numpy|torch|… [--repeats 3] [--epochs N] [--batch N] [--seconds S] [--train-limit N] [--test-limit N] [--data DIR] [--power-mode ID] [--jetson-clocks] [--password-env VAR] [--identity FILE]… [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        suite: { type: 'string', default: 'mnist-train' },
        framework: { type: 'string', default: 'numpy' },
        repeats: { type: 'string', default: '3' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        seconds: { type: 'string' },
        'train-limit': { type: 'string' },
        'test-limit': { type: 'string' },
        data: { type: 'string' },
        'power-mode': { type: 'string' },
        'jetson-clocks': { type: 'boolean', default: false },
        'password-env': { type: 'string' },
        identity: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one board as user@host[:port]');
    if (!(benchSuites as readonly string[]).includes(values.suite)) throw new UsageError(`unknown --suite "${values.suite}"`);
    const target = parseBoardTarget(positionals[0] as string);
    const password = passwordFromEnv(values['password-env'], io.env);
    const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
    if (seconds !== undefined && !(seconds > 0)) throw new UsageError('--seconds must be a positive number');
    const powerMode = whole('power-mode', values['power-mode'], 0);
    const plan: BenchPlanInput = {
      boards: [
        addressRef(
          target,
          password,
          values.identity?.map((file) => resolve(file)),
        ),
      ],
      frameworks: [values.framework],
      suites: [values.suite as BenchSuite],
      batchSizes: values.batch === undefined ? [] : [whole('batch', values.batch) ?? null],
      powerModes:
        powerMode === undefined && !values['jetson-clocks'] ? [] : [{ nvpmodel: powerMode ?? null, jetsonClocks: values['jetson-clocks'] }],
      repeats: whole('repeats', values.repeats) ?? 3,
      ...optional({
        epochs: whole('epochs', values.epochs),
        seconds,
        trainLimit: whole('train-limit', values['train-limit']),
        testLimit: whole('test-limit', values['test-limit']),
        // Relative to where jwb runs; without it the workbench pushes Debian's Fashion-MNIST when this computer has it.
        dataset: values.data === undefined ? undefined : resolve(values.data),
      }),
    };
    try {
      return await withWorkbench(io, 'bench', async (workbench) => {
        const { planId, counts } = await runToEnd(workbench, plan, io, values.json);
        const summaries = summarizeConditions(await workbench.call('bench.runs', { planId, limit: 10_000 }));
        if (values.json) writeJson(io, { type: 'summary', planId, counts, conditions: summaries });
        else io.stdout.write(describeSummaries(planId, counts, summaries));
        return counts.failed > 0 || counts.done === 0 ? 1 : 0;
      });
    } catch (error) {
      return reportFailure(io, 'bench', error, values.json);
    }
  },
};

type Counts = NonNullable<BenchProgress['counts']>;

/** Starts the plan and follows its progress (stderr, or JSON lines) until it ends; Ctrl+C cancels it. */
export async function runToEnd(
  workbench: CliWorkbench,
  plan: BenchPlanInput,
  io: CliIo,
  json: boolean,
): Promise<{ planId: string; counts: Counts }> {
  const { id, last } = await followJob(workbench, io, {
    topic: 'bench.onDidProgress',
    start: async () => (await workbench.call('bench.start', { plan })).planId,
    idOf: (event) => event.planId,
    isLast: (event) => event.stage === 'plan-done',
    cancel: (planId) => workbench.call('bench.cancel', { planId }),
    onEvent: (event) => {
      if (json) writeJson(io, { type: 'progress', ...event });
      else if (event.stage !== 'epoch') io.stderr.write(`jwb bench: ${describeProgress(event)}\n`);
    },
  });
  return { planId: id, counts: last.counts ?? { done: 0, failed: 0, cancelled: 0 } };
}

function describeProgress(event: BenchProgress): string {
  const where = event.condition === null ? '' : ` ${event.condition.split(' | ').slice(1).join(' · ')} #${event.repeat}`;
  return `${event.label === '' ? '' : `${event.label}: `}${event.stage}${where}${event.message ? ` — ${event.message}` : ''}`;
}

function ciText(summary: Summary): string {
  return summary.ci === null ? `(${summary.ciNote})` : `95% CI [${formatNumber(summary.ci.low, 4)}, ${formatNumber(summary.ci.high, 4)}]`;
}

function describeSummaries(planId: string, counts: Counts, summaries: ConditionSummary[]): string {
  const lines: string[] = [];
  for (const summary of summaries) {
    const done = summary.runs - summary.failed;
    lines.push(
      `${summary.parts.board.label}${summary.parts.board.simulated ? ' (simulated)' : ''} · ${summary.parts.suite} · ${summary.parts.framework}: ${done}/${summary.runs} runs succeeded`,
    );
    const rows: Array<[string, Summary | null, string]> = [
      ['throughput', summary.throughput, summary.throughputUnit],
      ['accuracy', summary.accuracy, 'fraction'],
      ['energy', summary.joules, 'J'],
      ['average W', summary.averageW, 'W'],
      ['J/sample', summary.jPerSample, 'J'],
    ];
    for (const [name, value, unit] of rows)
      if (value !== null) lines.push(`  ${name.padEnd(11)} median ${formatNumber(value.median, 4)} ${unit}  ${ciText(value)}`);
    if (summary.energy !== null)
      lines.push(
        `  energy from ${summary.energy.method === 'counter' ? 'the hardware counter' : 'the samples'} (${summary.energy.source ?? '?'}, ${formatNumber(summary.energy.hz, 3)} Hz)${summary.energy.warning === null ? '' : `; caution: ${summary.energy.warning}`}`,
      );
  }
  lines.push(
    `Plan ${planId}: ${counts.done} done, ${counts.failed} failed, ${counts.cancelled} cancelled. Report: jwb report --latest --out report.html`,
  );
  return `${lines.join('\n')}\n`;
}

/** The entries whose value is defined (the contract's optional fields take no `undefined`). */
function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
