/**
 * The on-board agent's `python3 -m jwb_agent power` stream
 * (resources/agent/jwb_agent/sampler.py): a `{"type":"power","event":"start",
 * "rails":[…]}` line, then batches `{"type":"sample","seq":N,"t":[…],
 * "total_mw":[…],"rails":{name:[…]}}` (times on the board's monotonic clock;
 * `rails` only when the source has more than one), then a `stop` line. The
 * agent's `total_mw` is the input rail when there is one, else the rail sum
 * (resources/agent/jwb_agent/power_sources.py), so `inputMw` is set only when
 * an input rail is among the rails.
 */
import { emptySample, settleTotals, type Sample } from './sample.ts';

export interface AgentPowerBatch {
  samples: Sample[];
  /** The agent's own index of the first sample: a jump means lost samples. */
  seq: number;
}

export type AgentPowerEvent =
  | { kind: 'start'; source: string; rails: string[]; hz: number | null }
  | { kind: 'batch'; batch: AgentPowerBatch }
  | { kind: 'stop'; samples: number | null; errors: number | null }
  | { kind: 'error'; code: string; reason: string }
  | { kind: 'unparsed'; line: string };

export function agentPowerArgv(hz: number): string[] {
  return ['python3', '-m', 'jwb_agent', 'power', '--hz', String(hz)];
}

/** Reads one line of the stream; `rails` is the list from the start line (for single-rail sources). */
export function parseAgentPowerLine(line: string, rails: readonly string[]): AgentPowerEvent {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { kind: 'unparsed', line };
  }
  if (typeof record !== 'object' || record === null) return { kind: 'unparsed', line };
  const fields = record as Record<string, unknown>;
  if (fields.type === 'power' && fields.event === 'start') {
    const names = Array.isArray(fields.rails) ? fields.rails.filter((name): name is string => typeof name === 'string') : [];
    return { kind: 'start', source: String(fields.source ?? ''), rails: names, hz: typeof fields.hz === 'number' ? fields.hz : null };
  }
  if (fields.type === 'power' && fields.event === 'stop') {
    return { kind: 'stop', samples: numberOrNull(fields.samples), errors: numberOrNull(fields.errors) };
  }
  if (fields.type === 'error') return { kind: 'error', code: String(fields.code ?? 'internal'), reason: String(fields.reason ?? '') };
  if (fields.type === 'sample') {
    const batch = toBatch(fields, rails);
    return batch === null ? { kind: 'unparsed', line } : { kind: 'batch', batch };
  }
  return { kind: 'unparsed', line };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function toBatch(fields: Record<string, unknown>, rails: readonly string[]): AgentPowerBatch | null {
  const t = fields.t;
  const total = fields.total_mw;
  if (!Array.isArray(t) || !Array.isArray(total) || t.length !== total.length) return null;
  const railColumns = typeof fields.rails === 'object' && fields.rails !== null ? (fields.rails as Record<string, unknown>) : null;
  const samples: Sample[] = [];
  for (let index = 0; index < t.length; index += 1) {
    const time = numberOrNull(t[index]);
    if (time === null) return null;
    const sample = emptySample(time);
    const names: string[] = [];
    if (railColumns !== null) {
      for (const [name, column] of Object.entries(railColumns)) {
        const value = Array.isArray(column) ? numberOrNull(column[index]) : null;
        if (value === null) continue;
        names.push(name);
        sample.railMw.push(value);
        sample.railAvgMw.push(Number.NaN);
      }
    } else {
      const value = numberOrNull(total[index]);
      if (value !== null) {
        names.push(rails[0] ?? 'total');
        sample.railMw.push(value);
        sample.railAvgMw.push(Number.NaN);
      }
    }
    sample.railNames = names;
    sample.railUnit = names.length === 0 ? null : 'mW';
    // `inputMw` comes only from an input rail by name: a single-rail source without one (the agent's
    // `total_mw` is then a sum or a sub-rail) must not read as module input.
    settleTotals(sample);
    samples.push(sample);
  }
  return { samples, seq: numberOrNull(fields.seq) ?? 0 };
}
