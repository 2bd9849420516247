/**
 * Which stream a board's live power comes from. `auto` asks the agent's probe
 * (src/shared/agent/probe.ts, `powerPreference`): the INA3221 sensors or NVML
 * through the agent at its fastest (100 Hz: on a 2 s-period square-wave load
 * 1 Hz sampling is 15–50 % off, 100 Hz under 0.15 %), nvidia-smi's own loop on
 * a desktop host, tegrastats when nothing better answers.
 */
import type { TelemetrySourceKind } from '../../shared/telemetry/sample.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { deployAgent, agentCommand } from '../agent/agent-run.ts';
import type { BoardLink } from '../link/board-link.ts';

export type SourceRequest = 'auto' | TelemetrySourceKind;

export interface ChosenSource {
  kind: TelemetrySourceKind;
  /** What the power is read from: the agent's source name, or tegrastats / nvidia-smi. */
  powerSource: string;
  intervalMs: number;
  /** The agent's command line (kind `agent`). */
  agentArgv?: string[];
}

/** The fastest each stream goes (tegrastats and nvidia-smi are asked every 100 ms at most). */
const fastestMs: Record<TelemetrySourceKind, number> = { agent: 10, tegrastats: 100, 'nvidia-smi': 100 };
/** Agent sources that read a sensor in-process; the agent's nvidia-smi and tegrastats spawn a program per reading or line. */
const inProcess = new Set(['hwmon', 'iio', 'nvml-instant', 'nvml']);

export async function chooseSource(
  link: BoardLink,
  request: SourceRequest,
  intervalMs: number | undefined,
  agentRoot: string,
): Promise<ChosenSource> {
  if (request === 'tegrastats' || request === 'nvidia-smi') {
    return { kind: request, powerSource: request, intervalMs: Math.max(fastestMs[request], intervalMs ?? 1000) };
  }
  const agent = await deployAgent(link, agentRoot).catch((error: unknown) => {
    if (request === 'agent') throw error;
    return null; // auto: a board without python3 can still show tegrastats
  });
  const preferred = agent?.probe.preferredPower ?? null;
  if (agent !== null && preferred !== null && (request === 'agent' || inProcess.has(preferred))) {
    const interval = Math.max(fastestMs.agent, intervalMs ?? fastestMs.agent);
    const hz = String(Math.round((1000 / interval) * 1000) / 1000);
    return {
      kind: 'agent',
      powerSource: preferred,
      intervalMs: interval,
      agentArgv: agentCommand(agent.dir, ['power', '--source', preferred, '--hz', hz]),
    };
  }
  if (request === 'agent') {
    const reasons = agent?.probe.powerSources.map((source) => `${source.name}: ${source.reason ?? 'unavailable'}`).join('; ') ?? '';
    throw new WorkbenchFailure('unavailable', 'The agent finds no power source on this board.', reasons);
  }
  const kind: TelemetrySourceKind = preferred === 'nvidia-smi' ? 'nvidia-smi' : 'tegrastats';
  return { kind, powerSource: kind, intervalMs: Math.max(fastestMs[kind], intervalMs ?? fastestMs[kind]) };
}
