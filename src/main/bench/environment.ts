/**
 * The environment a run was measured in, stored with every run: module,
 * L4T/JetPack, kernel, Python, framework versions (from the agent's `probe`),
 * and the power mode (`nvpmodel -q`) read back after setting it.
 */
import { jetpackForL4t } from '../../shared/identify/jetpack.ts';
import { parseNvTegraRelease, parsePowerModes } from '../../shared/identify/parse-nvidia.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import type { BoardLink } from '../link/board-link.ts';

export interface BenchEnvironment {
  module: string | null;
  nvTegraRelease: string | null;
  l4t: string | null;
  jetpack: string | null;
  kernel: string | null;
  machine: string | null;
  cpuCount: number | null;
  ramMb: number | null;
  python: string | null;
  agentVersion: string | null;
  /** Installed frameworks and their versions; `simulated` marks the simulator's stand-ins. */
  frameworks: Record<string, { version: string | null; cuda: boolean; simulated: boolean }>;
  powerSources: string[];
  powerMode: { name: string | null; id: number | null; jetsonClocks: boolean } | null;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function environmentFromProbe(probe: Json): BenchEnvironment {
  const hardware = object(probe.hardware);
  const software = object(probe.software);
  const release = text(hardware.nv_tegra_release);
  const l4t = parseNvTegraRelease(release ?? undefined).l4t;
  const frameworks: BenchEnvironment['frameworks'] = {};
  for (const [name, raw] of Object.entries(object(software.frameworks))) {
    const entry = object(raw);
    if (entry.installed !== true) continue;
    frameworks[name] = { version: text(entry.version), cuda: entry.cuda === true, simulated: entry.simulated === true };
  }
  const sources = Array.isArray(probe.power_sources) ? probe.power_sources.map(object) : [];
  return {
    module: text(hardware.model),
    nvTegraRelease: release,
    l4t,
    jetpack: jetpackForL4t(l4t),
    kernel: text(hardware.kernel),
    machine: text(hardware.machine),
    cpuCount: typeof hardware.cpu_count === 'number' ? hardware.cpu_count : null,
    ramMb: typeof hardware.ram_kib === 'number' ? Math.round(hardware.ram_kib / 1024) : null,
    python: text(software.python),
    agentVersion: text(probe.agent_version),
    frameworks,
    powerSources: sources.filter((source) => source.available === true).map((source) => String(source.name)),
    powerMode: null,
  };
}

/** `python3 -m jwb_agent probe` in the pushed agent folder. */
export async function probeBoard(link: BoardLink, agentDir: string, signal?: AbortSignal): Promise<BenchEnvironment> {
  const result = await link.exec(agentCommand(agentDir, ['probe']), { signal, timeoutMs: 60_000 });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('{'));
  if (result.code !== 0 || line === undefined) {
    throw new Error(`the agent's probe failed (exit ${result.code}): ${result.stderr.trim().slice(-300)}`);
  }
  return environmentFromProbe(JSON.parse(line) as Json);
}

/** `nvpmodel -q`, or null where there is none (a desktop GPU host, or a board without nvpmodel). */
export async function queryPowerMode(link: BoardLink, jetsonClocks: boolean, signal?: AbortSignal): Promise<BenchEnvironment['powerMode']> {
  const result = await link.exec(['nvpmodel', '-q'], { signal, timeoutMs: 20_000 }).catch(() => null);
  if (result === null || result.code !== 0) return null;
  const facts = parsePowerModes(result.stdout, undefined);
  return facts === null ? null : { name: facts.current, id: facts.currentId, jetsonClocks };
}

/** `cd <agent folder> && python3 -m jwb_agent …`: the agent runs as a package from its folder (README, first line). */
export function agentCommand(agentDir: string, args: readonly string[]): string[] {
  return ['sh', '-c', `${commandLine('cd', agentDir)} && ${commandLine('python3', '-m', 'jwb_agent', ...args)}`];
}
