import { describe, expect, it } from 'vitest';
import { parseAgentPowerLine } from './agent-power.ts';
import { nvidiaSmiArgv, parseNvidiaSmiLine } from './nvidia-smi.ts';
import { parseNvpmodelQuery } from './nvpmodel.ts';

describe('parseNvpmodelQuery', () => {
  it('reads the mode name and id, skipping --verbose lines', () => {
    expect(parseNvpmodelQuery('NV Power Mode: MAXN\n0\n')).toEqual({ name: 'MAXN', id: 0 });
    expect(parseNvpmodelQuery('NVPM VERB: Config file: /etc/nvpmodel.conf\nNV Power Mode: 15W\nNVPM VERB: x\n2\n')).toEqual({
      name: '15W',
      id: 2,
    });
    expect(parseNvpmodelQuery('NV Power Mode: 5W\n')).toEqual({ name: '5W', id: null });
    expect(parseNvpmodelQuery('bash: nvpmodel: command not found')).toBeNull();
    expect(parseNvpmodelQuery('NV Power Mode: \n1')).toBeNull();
  });
});

describe('parseNvidiaSmiLine', () => {
  it('maps columns by the requested fields: W to mW as the input, [N/A] to null, unknown fields kept', () => {
    const sample = parseNvidiaSmiLine('2025/06/01 10:00:00.123, 15.32, 7, 210, 35, 312', 4)!;
    expect(sample.t).toBe(4);
    expect(sample.boardTime).toBe('2025/06/01 10:00:00.123');
    expect([sample.inputRail, sample.inputMw, sample.railSumMw]).toEqual(['GPU', 15320, 15320]);
    expect(sample.railNames).toEqual(['GPU']);
    expect(sample.gpu).toEqual([{ name: 'GPU', load: 7, mhz: [210], form: 'scalar' }]);
    expect(sample.tempC).toEqual([35]);
    expect(sample.gpuMemoryMb).toBe(312);
    const fields = ['power.draw', 'utilization.gpu', 'fan.speed'];
    const other = parseNvidiaSmiLine('[N/A], 3, 40', 0, fields);
    expect(other).toBeNull();
    const fan = parseNvidiaSmiLine('20.5, [Not Supported], 40', 0, fields)!;
    expect(fan.gpu).toEqual([]);
    expect(fan.extra).toEqual(['fan.speed=40']);
    expect(parseNvidiaSmiLine('1, 2', 0)).toBeNull();
    expect(nvidiaSmiArgv(250).slice(-2)).toEqual(['-lms', '250']);
  });
});

describe('parseAgentPowerLine', () => {
  it('reads start, batches with per-rail columns, stop and errors', () => {
    expect(parseAgentPowerLine('{"type":"power","event":"start","source":"ina3221","rails":["VDD_IN","VDD_SOC"],"hz":50}', [])).toEqual({
      kind: 'start',
      source: 'ina3221',
      rails: ['VDD_IN', 'VDD_SOC'],
      hz: 50,
    });
    const event = parseAgentPowerLine(
      '{"type":"sample","seq":10,"t":[1.0,1.02],"total_mw":[5000,5100],"rails":{"VDD_IN":[5000,5100],"VDD_SOC":[900,null]}}',
      ['VDD_IN', 'VDD_SOC'],
    );
    if (event.kind !== 'batch') throw new Error(event.kind);
    expect(event.batch.seq).toBe(10);
    expect(event.batch.samples.map((sample) => [sample.t, sample.inputMw, sample.railSumMw])).toEqual([
      [1, 5000, 5900],
      [1.02, 5100, 5100],
    ]);
    expect(event.batch.samples[1]?.railNames).toEqual(['VDD_IN']);
    expect(parseAgentPowerLine('{"type":"power","event":"stop","samples":2,"errors":0}', [])).toEqual({
      kind: 'stop',
      samples: 2,
      errors: 0,
    });
    expect(parseAgentPowerLine('{"type":"error","code":"no-sensor","reason":"no INA3221"}', [])).toEqual({
      kind: 'error',
      code: 'no-sensor',
      reason: 'no INA3221',
    });
    expect(parseAgentPowerLine('not json', []).kind).toBe('unparsed');
    expect(parseAgentPowerLine('{"type":"sample","t":[1],"total_mw":[1,2]}', []).kind).toBe('unparsed');
  });

  it('gives no input power for a single-rail source that is not an input rail (a sum or a sub-rail)', () => {
    const sum = parseAgentPowerLine('{"type":"sample","seq":0,"t":[2.5],"total_mw":[7000]}', ['VDD_GPU_SOC']);
    if (sum.kind !== 'batch') throw new Error(sum.kind);
    const [sample] = sum.batch.samples;
    expect([sample?.inputMw, sample?.inputRail, sample?.railSumMw, sample?.railNames]).toEqual([null, null, 7000, ['VDD_GPU_SOC']]);
    const input = parseAgentPowerLine('{"type":"sample","seq":0,"t":[2.5],"total_mw":[7000]}', ['VDD_IN']);
    if (input.kind !== 'batch') throw new Error(input.kind);
    expect(input.batch.samples[0]?.inputMw).toBe(7000);
  });
});
