/**
 * Telemetry sources over a BoardLink. Each runs one long remote command whose
 * stdout streams samples, stopped by aborting it:
 * - `tegrastats --interval N` (every Jetson; 100 ms to 5 s);
 * - the on-board agent's sampler `python3 -m jwb_agent power --source S --hz N`
 *   (INA3221 or NVML directly, up to 100 Hz, batched), from the folder the
 *   agent was pushed to (source-choice.ts builds that command line);
 * - `nvidia-smi --query-gpu=… -lms N` on a desktop GPU host.
 */
import type { BoardLink } from '../link/board-link.ts';
import { LineSplitter } from '../../shared/line-splitter.ts';
import { parseAgentPowerLine } from '../../shared/telemetry/agent-power.ts';
import { nvidiaSmiArgv, parseNvidiaSmiLine } from '../../shared/telemetry/nvidia-smi.ts';
import type { Sample, TelemetrySourceKind } from '../../shared/telemetry/sample.ts';
import { TegrastatsStream } from '../../shared/telemetry/tegrastats-stream.ts';

export interface SourceSink {
  /** `lostBefore`: samples the source itself knows were skipped before these. */
  samples(samples: Sample[], lostBefore?: number): void;
  unparsed(line: string): void;
}

export interface RunningSource {
  readonly kind: TelemetrySourceKind;
  /** Settles when the remote command ends: resolves when asked to stop, rejects when it failed on its own. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface SourceOptions {
  intervalMs: number;
  /** Seconds on the workbench's clock (stamps tegrastats and nvidia-smi lines on arrival). */
  clock: () => number;
  /** The agent's command line (kind `agent`): `agentCommand(dir, ['power', …])`. */
  agentArgv?: readonly string[];
}

export function startSource(kind: TelemetrySourceKind, link: BoardLink, sink: SourceSink, options: SourceOptions): RunningSource {
  const parser = lineParser(kind, sink, options);
  const splitter = new LineSplitter();
  const controller = new AbortController();
  const argv = argvFor(kind, options);
  const run = link.exec(argv, {
    signal: controller.signal,
    onStdout: (chunk) => {
      for (const line of splitter.push(chunk)) parser(line);
    },
  });
  const done = run.then(
    (result) => {
      for (const line of splitter.flush()) parser(line);
      if (controller.signal.aborted) return;
      const reason = result.stderr.trim().split('\n').slice(-3).join(' ');
      throw new Error(`${argv[0] ?? kind} ended (exit ${result.code ?? result.signal ?? '?'})${reason === '' ? '' : `: ${reason}`}`);
    },
    (error: unknown) => {
      if (controller.signal.aborted) return;
      throw error;
    },
  );
  return {
    kind,
    done,
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}

function argvFor(kind: TelemetrySourceKind, options: SourceOptions): readonly string[] {
  if (kind === 'tegrastats') return ['tegrastats', '--interval', String(Math.round(options.intervalMs))];
  if (kind === 'nvidia-smi') return nvidiaSmiArgv(options.intervalMs);
  if (options.agentArgv === undefined) throw new Error('the agent source needs the pushed agent’s command line');
  return options.agentArgv;
}

function lineParser(kind: TelemetrySourceKind, sink: SourceSink, options: SourceOptions): (line: string) => void {
  if (kind === 'tegrastats') {
    const stream = new TegrastatsStream(options.clock);
    return (line) => {
      const samples = stream.push(`${line}\n`);
      if (samples.length > 0) sink.samples(samples);
      else sink.unparsed(line);
    };
  }
  if (kind === 'nvidia-smi') {
    return (line) => {
      const sample = parseNvidiaSmiLine(line, options.clock());
      if (sample === null) sink.unparsed(line);
      else sink.samples([sample]);
    };
  }
  return agentLineParser(sink, options);
}

/** The agent stamps samples on the board's monotonic clock: shift them onto ours at the first batch. */
function agentLineParser(sink: SourceSink, options: SourceOptions): (line: string) => void {
  let rails: string[] = [];
  let offset: number | null = null;
  let expectedSeq = 0;
  return (line) => {
    const event = parseAgentPowerLine(line, rails);
    if (event.kind === 'start') rails = event.rails;
    else if (event.kind === 'unparsed' || event.kind === 'error') sink.unparsed(line);
    else if (event.kind === 'batch' && event.batch.samples.length > 0) {
      const first = event.batch.samples[0] as Sample;
      offset ??= options.clock() - first.t;
      for (const sample of event.batch.samples) sample.t += offset;
      const lost = Math.max(0, event.batch.seq - expectedSeq);
      expectedSeq = event.batch.seq + event.batch.samples.length;
      sink.samples(event.batch.samples, lost);
    }
  };
}
