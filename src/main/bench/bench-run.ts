/**
 * One benchmark run on a board: the agent's command line for a planned run,
 * its streamed JSON lines, and what is stored of it (metrics, power samples
 * relative to the `begin` marker, markers). Energy is integrated here again
 * with the shared trapezoid (src/shared/telemetry/energy.ts) between the
 * markers, beside the agent's own figure, so both can be compared.
 */
import { addAgentLine, emptyAgentRun, type AgentProgress, type AgentRun } from '../../shared/bench/agent-output.ts';
import type { BenchPlan, PlannedRun } from '../../shared/bench/plan.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { LineSplitter } from '../../shared/line-splitter.ts';
import type { RailSamples } from '../../shared/results.ts';
import { integrateEnergy } from '../../shared/telemetry/energy.ts';
import type { BoardLink } from '../link/board-link.ts';
import { agentCommand } from './environment.ts';

export interface RunOutcome {
  status: 'done' | 'failed' | 'cancelled';
  reason: string | null;
  exitCode: number | null;
  agent: AgentRun;
  metrics: Record<string, unknown>;
  samples: RailSamples;
  markers: { t: number; label: string }[];
  argv: string[];
}

export interface RunSettings {
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
  const args = ['bench', '--suite', run.suite, '--framework', run.framework, '--power', 'hwmon', '--power-hz', String(settings.powerHz)];
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

function metricsOf(agent: AgentRun, samples: RailSamples, markers: { t: number; label: string }[]): Record<string, unknown> {
  const result = agent.result ?? {};
  const end = markers.find((marker) => marker.label === 'end')?.t;
  const processed = numberOr(result.samples_processed);
  let energy: Record<string, unknown> | null = null;
  if (end !== undefined && samples.t.length > 1) {
    // 20 Hz sampling: an interval over 0.5 s means lost readings, reported rather than bridged.
    const integral = integrateEnergy(samples.t, samples.rails.total ?? [], { maxGapS: 0.5, fromT: 0, toT: end });
    energy = {
      joules: integral.joules,
      averageW: integral.averageW,
      peakW: integral.peakW,
      coveredS: integral.coveredS,
      gaps: integral.gaps.length,
      samples: integral.samples,
      jPerSample: processed !== null && processed > 0 ? integral.joules / processed : null,
      source: agent.power.source,
    };
  }
  return {
    suite: result.suite ?? null,
    framework: result.framework ?? null,
    frameworkVersion: result.framework_version ?? null,
    device: result.device ?? null,
    simulated: result.simulated === true,
    throughput: numberOr(result.throughput),
    throughputUnit: typeof result.throughput_unit === 'string' ? result.throughput_unit : null,
    accuracy: numberOr(result.accuracy),
    seconds: numberOr(result.seconds),
    samplesProcessed: processed,
    latencyMs: result.latency_ms ?? null,
    tflops: numberOr(result.tflops),
    gbPerS: numberOr(result.gb_per_s),
    epochSeconds: result.epoch_seconds ?? null,
    losses: result.losses ?? null,
    energy,
    agentEnergy: result.energy ?? null,
    stray: agent.stray.length,
  };
}
