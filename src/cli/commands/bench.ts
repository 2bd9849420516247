import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchSuites, type BenchPlan, type BenchSuite } from '../../shared/bench/plan.ts';
import { knownHostsIn } from '../../main/identify/board-session.ts';
import { BenchStore } from '../../main/bench/bench-store.ts';
import { conditionSummaries } from '../../main/bench/report.ts';
import { runPlan } from '../../main/bench/runner.ts';
import { defaultMnistFolder, mnistFolder } from '../../main/bench/datasets.ts';
import { SshLink } from '../../main/link/ssh-link.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { SqliteResultStore } from '../../main/store/result-store.ts';
import { formatNumber } from '../../main/bench/report-svg.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';
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
    if (!/^[a-z0-9_-]{1,32}$/.test(values.framework)) throw new UsageError(`"${values.framework}" is not a framework name`);
    const target = parseBoardTarget(positionals[0] as string);
    const password = passwordFromEnv(values['password-env'], io.env);
    const key = `${target.username}@${target.host}:${target.port}`;
    const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
    if (seconds !== undefined && !(seconds > 0)) throw new UsageError('--seconds must be a positive number');
    const powerMode = whole('power-mode', values['power-mode'], 0);
    const plan: BenchPlan = {
      boards: [key],
      frameworks: [values.framework],
      suites: [values.suite as BenchSuite],
      batchSizes: values.batch === undefined ? [] : [whole('batch', values.batch) ?? null],
      powerModes:
        powerMode === undefined && !values['jetson-clocks'] ? [] : [{ nvpmodel: powerMode ?? null, jetsonClocks: values['jetson-clocks'] }],
      repeats: whole('repeats', values.repeats) ?? 3,
      epochs: whole('epochs', values.epochs),
      seconds,
      trainLimit: whole('train-limit', values['train-limit']),
      testLimit: whole('test-limit', values['test-limit']),
    };
    // The dataset to push: --data, else this computer's Debian Fashion-MNIST; else the board's own default.
    const dataset =
      values.suite !== 'mnist-train' ? null : values.data === undefined ? defaultMnistFolder() : mnistFolder(resolve(values.data));
    const dataDir = defaultDataDir(io.env);
    const results = new SqliteResultStore(join(dataDir, 'results.sqlite'));
    const store = new BenchStore(results.path);
    const planId = `cli-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      const counts = await runPlan(
        planId,
        plan,
        {
          store,
          dataset,
          emit: (event) => {
            if (values.json) writeJson(io, { type: 'progress', ...event });
            else if (event.stage !== 'epoch')
              io.stderr.write(
                `jwb bench: ${event.stage}${event.condition ? ` ${event.condition} #${event.repeat}` : ''}${event.message ? ` — ${event.message}` : ''}\n`,
              );
          },
          openBoard: async () => {
            const link = await SshLink.connect(
              { host: target.host, port: target.port, username: target.username, password, identityFiles: values.identity },
              {
                knownHosts: knownHostsIn(dataDir),
                confirmNewHost: async (request) => {
                  io.stderr.write(
                    `jwb bench: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`,
                  );
                  return true;
                },
              },
            );
            return { key, label: key, link, sudoPassword: password, close: () => link.close() };
          },
        },
        io.signal,
      );
      const summaries = conditionSummaries(store.runs({ planId, limit: 10_000 }));
      if (values.json) writeJson(io, { type: 'summary', planId, counts, conditions: summaries });
      else {
        for (const condition of summaries) {
          io.stdout.write(`${condition.condition}: ${condition.done}/${condition.runs} runs succeeded\n`);
          for (const [name, { unit, summary }] of Object.entries(condition.figures)) {
            const ci =
              summary.ci === null
                ? `(${summary.ciNote})`
                : `95% CI [${formatNumber(summary.ci.low, 4)}, ${formatNumber(summary.ci.high, 4)}]`;
            io.stdout.write(`  ${name.padEnd(11)} median ${formatNumber(summary.median, 4)} ${unit}  ${ci}\n`);
          }
        }
        io.stdout.write(
          `Plan ${planId}: ${counts.done} done, ${counts.failed} failed, ${counts.cancelled} cancelled. Report: jwb report --latest --out report.html\n`,
        );
      }
      return counts.failed > 0 || counts.done === 0 ? 1 : 0;
    } catch (error) {
      return reportFailure(io, 'bench', error, values.json);
    } finally {
      store.close();
      results.close();
    }
  },
};
