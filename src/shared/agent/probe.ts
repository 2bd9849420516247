/**
 * The agent's `probe` line (resources/agent/README.md, "Commands"): its
 * version, Python, the frameworks it can import and every power source it
 * tried, read into one typed object. Pure.
 */
export interface AgentPowerSource {
  name: string;
  available: boolean;
  rails: string[];
  /** Why it is not available; null when it is. */
  reason: string | null;
}

export interface AgentFramework {
  version: string | null;
  cuda: boolean;
  /** The simulator's stand-in modules (`SIMULATED = True`). */
  simulated: boolean;
}

export interface AgentProbe {
  agentVersion: string | null;
  python: string | null;
  frameworks: Record<string, AgentFramework>;
  powerSources: AgentPowerSource[];
  /** The source to sample with: the first available one in `powerPreference`, or null when there is none. */
  preferredPower: string | null;
}

/**
 * The order a board's power source is chosen in: the INA3221 sensors directly (JetPack 5+ hwmon, then
 * JetPack 4 iio), NVML's instant reading, NVML's averaged one, nvidia-smi, and tegrastats last (1 Hz-ish,
 * a text line per reading). NVML's averaged reading was 5–8 % below the hardware energy counter on bursty
 * loads where the instant one was 0.3–1.8 % off (issue 11's H200 measurements).
 */
export const powerPreference = ['hwmon', 'iio', 'nvml-instant', 'nvml', 'nvidia-smi', 'tegrastats'] as const;

/**
 * How fast a source is sampled by default: as fast as it allows. The INA3221 files and NVML are read
 * in-process at the agent's 100 Hz; nvidia-smi starts a program per reading and tegrastats prints a line
 * per interval (100 ms at the fastest), so 10 Hz for those.
 */
export function fastestHz(source: string): number {
  return source === 'nvidia-smi' || source === 'tegrastats' ? 10 : 100;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function preferredPowerSource(sources: readonly AgentPowerSource[]): string | null {
  const available = new Set(sources.filter((source) => source.available).map((source) => source.name));
  return powerPreference.find((name) => available.has(name)) ?? null;
}

export function readAgentProbe(line: Json): AgentProbe {
  const software = object(line.software);
  const frameworks: AgentProbe['frameworks'] = {};
  for (const [name, raw] of Object.entries(object(software.frameworks))) {
    const entry = object(raw);
    if (entry.installed !== true) continue;
    frameworks[name] = { version: text(entry.version), cuda: entry.cuda === true, simulated: entry.simulated === true };
  }
  const powerSources = (Array.isArray(line.power_sources) ? line.power_sources : []).map(object).map((source): AgentPowerSource => ({
    name: String(source.name ?? ''),
    available: source.available === true,
    rails: Array.isArray(source.rails) ? source.rails.map(String) : [],
    reason: text(source.reason),
  }));
  return {
    agentVersion: text(line.agent_version),
    python: text(software.python),
    frameworks,
    powerSources,
    preferredPower: preferredPowerSource(powerSources),
  };
}
