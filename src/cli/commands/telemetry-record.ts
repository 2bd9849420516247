/**
 * `jwb telemetry record <user@host[:port]> --seconds N --out run.csv`: the
 * app's live power and recording, through the workbench's dispatcher: the
 * power source the board's probe prefers (the INA3221 sensors or NVML at
 * 100 Hz, else nvidia-smi or tegrastats), recorded for N seconds and written
 * as the app's CSV export, with the energy. A board seen for the first time
 * is trusted on first use in the data folder's known-hosts file, and its
 * fingerprint is printed; a changed key is refused.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordingInfo, TelemetryBoardState } from '../../shared/telemetry/contract.ts';
import { telemetrySourceKinds } from '../../shared/telemetry/contract.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliIo } from '../command.ts';
import { addressRef, withWorkbench, type CliWorkbench } from '../workbench.ts';
import { reportFailure } from './info.ts';

export const recordUsage =
  'jwb telemetry record <user@host[:port]> --seconds N --out run.csv [--source auto|agent|tegrastats|nvidia-smi] [--interval-ms N] [--identity FILE]… [--password-env VAR] [--json]';

export async function recordTelemetry(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      seconds: { type: 'string' },
      out: { type: 'string' },
      source: { type: 'string', default: 'auto' },
      'interval-ms': { type: 'string' },
      identity: { type: 'string', multiple: true },
      'password-env': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one board as user@host[:port]');
  const target = parseBoardTarget(positionals[0] as string);
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 86_400)) throw new UsageError('--seconds must be a number of seconds (at most a day)');
  const source = values.source as (typeof telemetrySourceKinds)[number];
  if (!telemetrySourceKinds.includes(source)) throw new UsageError(`--source must be one of ${telemetrySourceKinds.join(', ')}`);
  const intervalMs = values['interval-ms'] === undefined ? undefined : Number(values['interval-ms']);
  if (values.out === undefined) throw new UsageError('--out FILE is required');
  const out = values.out;
  const board = addressRef(
    target,
    passwordFromEnv(values['password-env'], io.env),
    values.identity?.map((file) => resolve(file)),
  );
  try {
    return await withWorkbench(io, 'telemetry', async (workbench) => {
      const started = await workbench.call('telemetry.start', { board, source, ...(intervalMs === undefined ? {} : { intervalMs }) });
      const { state, recording, csv } = await record(workbench, started, seconds);
      writeFileSync(out, csv);
      const input = recording.energy?.input ?? null;
      const summary = {
        out,
        source: state.source,
        powerSource: state.powerSource,
        intervalMs: state.intervalMs,
        samples: recording.samples,
        gaps: state.gaps,
        lost: state.lost,
        unparsed: state.unparsed,
        inputRail: state.inputRail,
        joules: input?.joules ?? null,
        averageW: input?.averageW ?? null,
      };
      if (values.json) writeJson(io, summary);
      else io.stdout.write(describe(summary));
      return 0;
    });
  } catch (error) {
    return reportFailure(io, 'telemetry', error, values.json);
  }
}

/** Records for `seconds` (ending early, with its reason, when the stream fails), then stops and exports. */
async function record(
  workbench: CliWorkbench,
  started: TelemetryBoardState,
  seconds: number,
): Promise<{ state: TelemetryBoardState; recording: RecordingInfo; csv: string }> {
  const key = started.board;
  let state = started;
  let failed: (state: TelemetryBoardState) => void = () => undefined;
  const failure = new Promise<TelemetryBoardState>((resolve) => (failed = resolve));
  const stop = workbench.on('telemetry.onDidChange', (change) => {
    if (change.board !== key) return;
    state = change;
    if (change.state === 'failed') failed(change);
  });
  try {
    const { id } = await workbench.call('telemetry.record.start', { board: key });
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), seconds * 1000)));
    const broken = await Promise.race([elapsed, failure]);
    clearTimeout(timer);
    const recording = await workbench.call('telemetry.record.stop', { board: key });
    if (broken !== null && recording.samples === 0) throw new Error(`the power stream failed: ${broken.error ?? 'no reason given'}`);
    const { csv } = await workbench.call('telemetry.exportCsv', { id });
    state = (await workbench.call('telemetry.list', {})).find((item) => item.board === key) ?? state;
    return { state, recording, csv };
  } finally {
    stop();
    await workbench.call('telemetry.stop', { board: key }).catch(() => undefined);
  }
}

interface RecordSummary {
  out: string;
  powerSource: string;
  intervalMs: number;
  samples: number;
  gaps: number;
  lost: number;
  unparsed: number;
  inputRail: string | null;
  joules: number | null;
  averageW: number | null;
}

function describe(summary: RecordSummary): string {
  const energy =
    summary.joules === null
      ? 'no input rail on this board (see the per-rail columns)'
      : `${summary.joules.toFixed(1)} J on ${summary.inputRail}, ${summary.averageW?.toFixed(2) ?? '?'} W on average (trapezoid of the samples)`;
  const rate = `${summary.powerSource} every ${summary.intervalMs} ms`;
  return `${summary.samples} samples written to ${summary.out} (${rate}; ${summary.gaps} gaps, ${summary.lost} lost, ${summary.unparsed} unparsed); ${energy}\n`;
}
