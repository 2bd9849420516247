/**
 * The agent's `python3 -m jwb_agent power` stream as telemetry Samples: the
 * lines are read by the one agent reader (src/shared/agent/protocol.ts);
 * each reading becomes a Sample with every rail, the loads and temperatures
 * of its line, and the totals settled by the shared input-rail rule. The
 * agent's `total_mw` is the input rail when there is one, else the rail
 * sum, so a single-rail source counts as input only when that rail is an
 * input rail by name.
 */
import { readAgentLine, type AgentSamples } from '../agent/protocol.ts';
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

/** Reads one line of the stream; `rails` is the list from the start line (for single-rail sources). */
export function parseAgentPowerLine(line: string, rails: readonly string[]): AgentPowerEvent {
  const record = readAgentLine(line);
  switch (record?.type) {
    case 'power-start':
      return { kind: 'start', source: record.source ?? '', rails: record.rails, hz: record.hz };
    case 'power-stop':
      return { kind: 'stop', samples: record.samples, errors: record.errors };
    case 'error':
      return { kind: 'error', code: record.code, reason: record.reason };
    case 'sample':
      return { kind: 'batch', batch: { samples: samplesOf(record.samples, rails), seq: record.samples.seq } };
    default:
      return { kind: 'unparsed', line };
  }
}

function samplesOf(line: AgentSamples, rails: readonly string[]): Sample[] {
  const tempNames = Object.keys(line.temps);
  const tempC = tempNames.map((name) => line.temps[name] ?? null);
  return line.t.map((time, index) => {
    const sample = emptySample(time);
    const names: string[] = [];
    const add = (name: string, value: number | undefined): void => {
      if (value === undefined || !Number.isFinite(value)) return;
      names.push(name);
      sample.railMw.push(value);
      sample.railAvgMw.push(Number.NaN);
    };
    if (line.rails !== null) for (const [name, values] of Object.entries(line.rails)) add(name, values[index]);
    else add(rails[0] ?? 'total', line.totalMw[index]);
    sample.railNames = names;
    sample.railUnit = names.length === 0 ? null : 'mW';
    settleTotals(sample);
    if (line.cpuLoad !== null) sample.cpuLoad = [line.cpuLoad];
    if (line.gpuLoad !== null) sample.gpu = [{ name: 'GPU', load: line.gpuLoad, mhz: [], form: 'percent' }];
    sample.tempNames = tempNames;
    sample.tempC = tempC;
    return sample;
  });
}
