/**
 * One benchmark run on a board: the agent's command line for a planned run,
 * its streamed JSON lines, and what is stored of it (metrics, power samples
 * relative to the `begin` marker, markers). Energy is integrated here again
 * with the shared trapezoid (src/shared/power/energy.ts) between the
 * markers; where the agent read a hardware energy counter (NVML) over the
 * same window, the counter is the run's energy and the integral is kept
 * beside it with their difference.
 */
import { addAgentLine, emptyAgentRun, type AgentProgress, type AgentRun } from '../../shared/bench/agent-output.ts';
import type { BenchPlan, PlannedRun } from '../../shared/bench/plan.ts';
import type { BenchEnergy, BenchMetrics } from '../../shared/bench/results.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { LineSplitter } from '../../shared/line-splitter.ts';
import type { RailSamples } from '../../shared/results.ts';
import { integrateEnergy, samplingWarning } from '../../shared/power/energy.ts';
import { maxGapFor } from '../../shared/power/gaps.ts';
import { agentCommand } from '../agent/agent-run.ts';
import type { BoardLink } from '../link/board-link.ts';

export interface RunOutcome {
  status: 'done' | 'failed' | 'cancelled';
  reason: string | null;
  exitCode: number | null;
  agent: AgentRun;
  metrics: BenchMetrics;
  samples: RailSamples;
  markers: { t: number; label: string }[];
  argv: string[];
}

export interface RunSettings {
  /** The board's power source (its probe's preferred one), or null when it has none: the run then has no energy. */
  powerSource: string | null;
  powerHz: number;
  /** Remote dataset folder (relative to home), or null for the agent's default. */
  dataDir: string | null;
}

/** Exit codes of `python3 -m jwb_agent` (resources/agent/README.md, "Exit codes"). */
const exitReasons: Record<number, string> = {
  1: 'internal error in the agent',
  2: 'usage error',
  3: 'framework not installed',
  4: 'suite, device or framework combination unsupported',
  5: 'dataset missing or corrupt',
  6: 'power source unavailable',
  130: 'interrupted',
};

export function agentBenchArgs(plan: BenchPlan, run: PlannedRun, settings: RunSettings): string[] {
  const args = ['bench', '--suite', run.suite, '--framework', run.framework];
  if (settings.powerSource !== null) args.push('--power', settings.powerSource, '--power-hz', String(settings.powerHz));
  if (run.batch !== null) args.push('--batch', String(run.batch));
  if (run.suite === 'mnist-train') {
    if (plan.epochs !== undefined) args.push('--epochs', String(plan.epochs));
    if (plan.trainLimit !== undefined) args.push('--train-limit', String(plan.trainLimit));
    if (plan.testLimit !== undefined) args.push('--test-limit', String(plan.testLimit));
    if (settings.dataDir !== null) args.push('--data', settings.dataDir);
  } else if (plan.seconds !== undefined) args.push('--seconds', String(plan.seconds));
  return args;
}

export async function executeRun(
  link: BoardLink,
  agentDir: string,
  args: string[],
  signal: AbortSignal,
  onProgress: (progress: AgentProgress) => void,
  /** After every chunk of output (`done` once, at the end): the run so far, for live power. */
  onOutput: (agent: AgentRun, done: boolean) => void = () => undefined,
): Promise<RunOutcome> {
  const agent = emptyAgentRun();
  const splitter = new LineSplitter();
  const feed = (lines: string[]) => {
    for (const line of lines) {
      const progress = addAgentLine(agent, line);
      if (progress !== null) onProgress(progress);
    }
    if (lines.length > 0) onOutput(agent, false);
  };
  const argv = agentCommand(agentDir, args);
  let exitCode: number | null = null;
  let stderr = '';
  let cancelled = false;
  try {
    const result = await link.exec(argv, { signal, onStdout: (chunk) => feed(splitter.push(chunk)) });
    feed(splitter.flush());
    exitCode = result.code;
    stderr = result.stderr;
  } catch (error) {
    if (error instanceof WorkbenchFailure && error.code === 'cancelled') cancelled = true;
    else stderr = error instanceof Error ? error.message : String(error);
  }
  onOutput(agent, true);
  return outcomeOf(agent, argv, exitCode, stderr, cancelled);
}

function outcomeOf(agent: AgentRun, argv: string[], exitCode: number | null, stderr: string, cancelled: boolean): RunOutcome {
  const { samples, markers } = samplesOf(agent);
  const metrics = metricsOf(agent, samples, markers);
  const status = agent.result?.status;
  let reason: string | null = null;
  if (cancelled) reason = 'cancelled';
  else if (exitCode !== 0 || status !== 'ok') {
    const said = agent.error?.reason ?? (typeof agent.result?.reason === 'string' ? agent.result.reason : null);
    const known = exitCode === null ? 'the command stopped without an exit code' : (exitReasons[exitCode] ?? `exit code ${exitCode}`);
    reason = [known, said, said === null ? stderr.trim().split('\n').slice(-3).join(' ') : ''].filter(Boolean).join(': ');
  } else if (agent.begin === null || agent.end === null) reason = 'the agent printed no begin/end markers';
  return {
    status: cancelled ? 'cancelled' : reason === null ? 'done' : 'failed',
    reason,
    exitCode,
    agent,
    metrics: { ...metrics, exitCode, reason },
    samples,
    markers,
    argv,
  };
}

/** Samples with t in seconds from `begin` (warm-up is negative), `total` beside each rail. */
function samplesOf(agent: AgentRun): { samples: RailSamples; markers: { t: number; label: string }[] } {
  const origin = agent.begin?.t ?? agent.power.t[0] ?? 0;
  const samples: RailSamples = { t: agent.power.t.map((t) => t - origin), rails: { total: [...agent.power.totalMw] } };
  for (const [name, values] of Object.entries(agent.power.railMw)) samples.rails[name] = [...values];
  const markers: { t: number; label: string }[] = [];
  if (agent.begin !== null) markers.push({ t: 0, label: 'begin' });
  if (agent.end !== null) markers.push({ t: agent.end.t - origin, label: 'end' });
  return { samples, markers };
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function numbersOr(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item)) ? (value as number[]) : null;
}

function latencyOf(value: unknown): BenchMetrics['latencyMs'] {
  if (value === null || typeof value !== 'object') return null;
  const latency = value as Record<string, unknown>;
  return { p50: numberOr(latency.p50), p90: numberOr(latency.p90), p99: numberOr(latency.p99), mean: numberOr(latency.mean) };
}

function metricsOf(
  agent: AgentRun,
  samples: RailSamples,
  markers: { t: number; label: string }[],
): Omit<BenchMetrics, 'exitCode' | 'reason'> {
  const result = agent.result ?? {};
  const end = markers.find((marker) => marker.label === 'end')?.t;
  const processed = numberOr(result.samples_processed);
  return {
    device: typeof result.device === 'string' ? result.device : null,
    frameworkVersion: typeof result.framework_version === 'string' ? result.framework_version : null,
    simulated: result.simulated === true,
    throughput: numberOr(result.throughput),
    throughputUnit: typeof result.throughput_unit === 'string' ? result.throughput_unit : null,
    accuracy: numberOr(result.accuracy),
    seconds: numberOr(result.seconds),
    samplesProcessed: processed,
    latencyMs: latencyOf(result.latency_ms),
    tflops: numberOr(result.tflops),
    gbPerS: numberOr(result.gb_per_s),
    epochSeconds: numbersOr(result.epoch_seconds),
    energy: end === undefined || samples.t.length < 2 ? null : energyOf(agent, samples, end, processed),
  };
}

/** The samples' trapezoid between the markers, or the agent's counter reading over the same window where it has one. */
function energyOf(agent: AgentRun, samples: RailSamples, end: number, processed: number | null): BenchEnergy {
  const hz = agent.power.hz;
  const window = { maxGapS: maxGapFor(hz === null || hz <= 0 ? 1 : 1 / hz), fromT: 0, toT: end };
  const total = samples.rails.total ?? [];
  const integral = integrateEnergy(samples.t, total, window);
  const reported = agent.result?.energy;
  const counter =
    reported !== null && typeof reported === 'object' && (reported as Record<string, unknown>).method === 'counter'
      ? numberOr((reported as Record<string, unknown>).joules)
      : null;
  const joules = counter ?? integral.joules;
  return {
    joules,
    method: counter === null ? 'integral' : 'counter',
    integralJoules: integral.joules,
    differencePct: counter === null || counter === 0 ? null : ((integral.joules - counter) / counter) * 100,
    averageW: integral.coveredS > 0 ? joules / integral.coveredS : null,
    peakW: integral.peakW,
    coveredS: integral.coveredS,
    gaps: integral.gaps.length,
    samples: integral.samples,
    hz: integral.coveredS > 0 ? (integral.samples - 1) / integral.coveredS : null,
    jPerSample: processed !== null && processed > 0 ? joules / processed : null,
    source: agent.power.source,
    // A hardware counter integrates in the sensor: only a figure from samples depends on their rate.
    warning: counter === null ? samplingWarning(samples.t, total, window) : null,
  };
}
