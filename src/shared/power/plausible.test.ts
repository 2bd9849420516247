/**
 * Issue 16, item 2: a few `1e308` mW readings (a 309-digit number) made the
 * energy infinite. Every reader of a board's numbers and every integrator
 * follows the one plausibility rule.
 */
import { describe, expect, it } from 'vitest';
import { addAgentLine, emptyAgentRun } from '../bench/agent-output.ts';
import { columnsOf, recordingEnergy } from '../telemetry/columns.ts';
import { parseAgentPowerLine } from '../telemetry/agent-power.ts';
import { parseNvidiaSmiLine } from '../telemetry/nvidia-smi.ts';
import { parseTegrastats } from '../telemetry/tegrastats-parser.ts';
import { EnergyCounter, integrateEnergy, summarizeEnergy } from './energy.ts';

/** 1 followed by 308 zeros: 1e308 mW, as a board printed it. */
const absurd = `1${'0'.repeat(308)}`;
const line = (mw: string, celsius = '45.5') =>
  `RAM 2020/7852MB (lfb 1164x4MB) CPU [9%@345,off] EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 VDD_IN ${mw}mW/${mw}mW VDD_CPU_GPU_CV 400mW/400mW cpu@${celsius}C`;

describe('the plausibility rule', () => {
  it('makes an absurd tegrastats power or temperature no reading, on the full parser and on the learnt shape', () => {
    for (let round = 0; round < 2; round += 1) {
      parseTegrastats(line('5000'));
      const sample = parseTegrastats(line(absurd, absurd))!;
      expect(sample.railMw[0]).toBeNaN();
      expect(sample.railMw[1]).toBe(400);
      expect([sample.inputMw, sample.railSumMw, sample.tempC[0]]).toEqual([null, null, null]);
      expect(sample.railAvgMw[0]).toBeNaN();
    }
  });

  it('drops an nvidia-smi line whose power is absurd and an absurd load or temperature', () => {
    expect(parseNvidiaSmiLine(`2025/06/01 10:00:00.123, ${absurd}, 7, 210, 35, 312`)).toBeNull();
    const sample = parseNvidiaSmiLine('2025/06/01 10:00:00.123, 15.32, 700, 210, 1e300, 312')!;
    expect(sample.inputMw).toBe(15320);
    expect(sample.gpu).toEqual([]);
    expect(sample.tempC).toEqual([]);
  });

  it('reads no power, time or series name the agent cannot mean', () => {
    const event = parseAgentPowerLine(
      `{"type":"sample","seq":0,"t":[1.0,1.1],"total_mw":[${absurd},-5],"rails":{"VDD_IN":[${absurd},5000],"constructor":[1,1],"__proto__":[1,1]}}`,
      [],
    );
    if (event.kind !== 'batch') throw new Error(event.kind);
    expect(event.batch.samples.map((sample) => [sample.railNames, sample.inputMw])).toEqual([
      [[], null],
      [['VDD_IN'], 5000],
    ]);
    expect(parseAgentPowerLine('{"type":"sample","seq":0,"t":[1e300],"total_mw":[5000]}', []).kind).toBe('unparsed');
    const run = emptyAgentRun();
    addAgentLine(
      run,
      '{"type":"sample","seq":0,"t":[1.0],"total_mw":[5000],"rails":{"constructor":[5000],"toString":[1]},"temps":{"__proto__":40}}',
    );
    expect([Object.keys(run.power.railMw), Object.keys(run.power.temps)]).toEqual([[], []]);
  });

  it('keeps every integral finite whatever it is given', () => {
    const t = [0, 1, 2, 3, 1e308, -1e308, 4];
    const mw = [5000, 1e308, 1e308, 5000, 5000, 5000, 5000];
    const result = integrateEnergy(t, mw, { maxGapS: 2 });
    expect(Object.values(result).filter((value) => typeof value === 'number' && !Number.isFinite(value))).toEqual([]);
    expect(result.peakW).toBe(5);
    expect(result.joules).toBeCloseTo(5, 9); // only 3 → 4 s is two plausible readings apart
    const counter = new EnergyCounter(2);
    counter.add(t, mw);
    expect([counter.joules, counter.peakW]).toEqual([5, 5]);
    const summary = summarizeEnergy(t, { inputMw: mw, rails: { VDD_IN: mw } }, { maxGapS: 2 });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary); // nothing JSON would turn into null
  });

  it('stores no NaN or infinity in columns: an absurd recording still integrates to a finite energy', () => {
    parseTegrastats(line('5000'));
    const samples = [0, 1, 2, 3].map((t) => parseTegrastats(line(t === 1 ? absurd : '5000'), t)!);
    const columns = columnsOf(samples);
    expect(columns.inputMw).toEqual([5000, null, 5000, 5000]);
    expect(columns.temps.cpu).toEqual([45.5, 45.5, 45.5, 45.5]);
    expect(recordingEnergy(columns, 2).input?.joules).toBeCloseTo(5, 9);
  });
});
