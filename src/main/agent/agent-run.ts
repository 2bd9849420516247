/**
 * Running the agent on a board: its command line, and `deployAgent`, which
 * puts it there (only when it changed) and probes what the board offers. The
 * benchmark runner, live power and (later) the cluster all start from here.
 */
import { readAgentProbe, type AgentProbe } from '../../shared/agent/probe.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import type { AbortSignalLike, BoardLink } from '../link/board-link.ts';
import { pushAgent } from './agent-push.ts';

export interface DeployedAgent {
  /** The agent's folder on the board, relative to the login's home. */
  dir: string;
  probe: AgentProbe;
}

/** `cd <agent folder> && python3 -m jwb_agent …`: the agent runs as a package from its folder (README, first line). */
export function agentCommand(agentDir: string, args: readonly string[]): string[] {
  return ['sh', '-c', `${commandLine('cd', agentDir)} && ${commandLine('python3', '-m', 'jwb_agent', ...args)}`];
}

/** `python3 -m jwb_agent probe` in the pushed agent folder. */
export async function probeAgent(link: BoardLink, agentDir: string, signal?: AbortSignalLike): Promise<AgentProbe> {
  const result = await link.exec(agentCommand(agentDir, ['probe']), { signal, timeoutMs: 60_000 });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('{'));
  if (result.code !== 0 || line === undefined) {
    throw new WorkbenchFailure(
      'unavailable',
      `The workbench's agent could not run on the board (exit ${result.code}); is python3 installed there?`,
      result.stderr.trim().slice(-300),
    );
  }
  return readAgentProbe(JSON.parse(line) as Record<string, unknown>);
}

/** `agentRoot`: Resources.agentDir. */
export async function deployAgent(link: BoardLink, agentRoot: string, signal?: AbortSignalLike): Promise<DeployedAgent> {
  const pushed = await pushAgent(link, agentRoot, signal);
  return { dir: pushed.remoteDir, probe: await probeAgent(link, pushed.remoteDir, signal) };
}
