/**
 * `jwb telemetry record <user@host[:port]> --seconds N --out run.csv`: streams
 * `tegrastats --interval N` over SSH for N seconds and writes the samples as
 * CSV (the same export as the app's). A board seen for the first time is
 * trusted on first use in the data folder's known-hosts file, and its
 * fingerprint is printed; a changed key is refused.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { knownHostsIn } from '../../main/identify/board-session.ts';
import { SshLink } from '../../main/link/ssh-link.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { Recorder, maxGapFor, recordingEnergy } from '../../main/telemetry/recorder.ts';
import { startSource } from '../../main/telemetry/sources.ts';
import { epochSeconds } from '../../main/telemetry/telemetry-service.ts';
import { recordingToCsv } from '../../shared/telemetry/csv.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliIo } from '../command.ts';
import { reportFailure } from './info.ts';

export const recordUsage =
  'jwb telemetry record <user@host[:port]> --seconds N --out run.csv [--interval-ms N] [--identity FILE]… [--password-env VAR] [--json]';

export async function recordTelemetry(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      seconds: { type: 'string' },
      out: { type: 'string' },
      'interval-ms': { type: 'string', default: '1000' },
      identity: { type: 'string', multiple: true },
      'password-env': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one board as user@host[:port]');
  const target = parseBoardTarget(positionals[0] as string);
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 86_400)) throw new UsageError('--seconds must be a number of seconds (at most a day)');
  const intervalMs = Number(values['interval-ms']);
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 5000) throw new UsageError('--interval-ms must be 100 to 5000');
  if (values.out === undefined) throw new UsageError('--out FILE is required');
  const password = passwordFromEnv(values['password-env'], io.env);
  let link: SshLink | undefined;
  try {
    link = await SshLink.connect(
      { host: target.host, port: target.port, username: target.username, password, identityFiles: values.identity },
      {
        knownHosts: knownHostsIn(defaultDataDir(io.env)),
        confirmNewHost: async (request) => {
          io.stderr.write(
            `jwb telemetry: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`,
          );
          return true;
        },
      },
    );
    const result = await record(link, intervalMs, seconds);
    writeFileSync(values.out, result.csv);
    const summary = { out: values.out, ...result.summary };
    if (values.json) writeJson(io, summary);
    else io.stdout.write(describe(summary));
    return 0;
  } catch (error) {
    return reportFailure(io, 'telemetry', error, values.json);
  } finally {
    await link?.close();
  }
}

interface RecordSummary {
  samples: number;
  gaps: number;
  lost: number;
  unparsed: number;
  inputRail: string | null;
  joules: number | null;
  averageW: number | null;
}

async function record(link: SshLink, intervalMs: number, seconds: number): Promise<{ csv: string; summary: RecordSummary }> {
  // No SQLite here: the whole run stays in one batch (a CLI run is short), written as CSV at the end.
  const recorder = new Recorder({ intervalS: intervalMs / 1000, ringCapacity: 1, maxBatch: Number.MAX_SAFE_INTEGER });
  let unparsed = 0;
  let inputRail: string | null = null;
  const source = startSource(
    'tegrastats',
    link,
    {
      samples: (samples) => {
        for (const sample of samples) {
          inputRail ??= sample.inputRail;
          recorder.add(sample);
        }
      },
      unparsed: () => (unparsed += 1),
    },
    { intervalMs, clock: epochSeconds },
  );
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, seconds * 1000)));
  // Ends at the deadline, or earlier with the source's failure (tegrastats missing, link dropped).
  await Promise.race([elapsed, source.done.then(() => undefined)]);
  clearTimeout(timer);
  await source.stop();
  await source.done;
  const columns = recorder.takeBatch();
  if (columns === null || columns.t.length === 0) throw new Error(`no tegrastats sample in ${seconds} s (${unparsed} lines did not parse)`);
  const t0 = columns.t[0] as number;
  columns.t = columns.t.map((t) => t - t0);
  const energy = recordingEnergy(columns, maxGapFor(intervalMs / 1000));
  const counts = recorder.counts;
  const total = energy.input ?? null;
  return {
    csv: recordingToCsv(columns),
    summary: {
      samples: counts.samples,
      gaps: counts.gaps,
      lost: counts.lost,
      unparsed,
      inputRail,
      joules: total?.joules ?? null,
      averageW: total?.averageW ?? null,
    },
  };
}

function describe(summary: RecordSummary & { out: string }): string {
  const energy =
    summary.joules === null
      ? 'no input rail on this board (see the per-rail columns)'
      : `${summary.joules.toFixed(1)} J on ${summary.inputRail}, ${summary.averageW?.toFixed(2) ?? '?'} W on average`;
  return `${summary.samples} samples written to ${summary.out} (${summary.gaps} gaps, ${summary.lost} lost, ${summary.unparsed} unparsed); ${energy}\n`;
}
