import { describe, expect, it } from 'vitest';
import { addAgentLine, emptyAgentRun } from './agent-output.ts';

describe('addAgentLine', () => {
  it('gathers markers, power samples with rails, progress and the result', () => {
    const run = emptyAgentRun();
    const lines = [
      '{"type":"power","event":"start","source":"hwmon","rails":["VDD_IN","VDD_CPU_GPU_CV"],"hz":20}',
      '{"type":"sample","source":"hwmon","seq":0,"t":[1.0,1.05],"total_mw":[5000.0,5100.0],"rails":{"VDD_IN":[5000.0,5100.0],"VDD_CPU_GPU_CV":[900.0,950.0]}}',
      '{"type":"begin","t":1.02,"wall":1700000000.0}',
      '{"type":"progress","stage":"epoch","epoch":1,"epochs":2,"seconds":0.8,"loss":0.45}',
      'not json',
      '{"type":"sample","source":"hwmon","seq":2,"t":[1.1],"total_mw":[6000.0],"rails":{"VDD_IN":[6000.0],"VDD_CPU_GPU_CV":[1200.0]},"cpu_load":37.5,"gpu_load":12,"temps":{"cpu":48.5}}',
      '{"type":"end","t":1.09,"wall":1700000000.07,"seconds":0.07}',
      '{"type":"result","status":"ok","throughput":10}',
    ];
    const progress = lines.map((line) => addAgentLine(run, line));
    expect(progress[3]).toEqual({ stage: 'epoch', epoch: 1, epochs: 2, seconds: 0.8, loss: 0.45 });
    expect(run.begin).toEqual({ t: 1.02, wall: 1700000000 });
    expect(run.end?.t).toBe(1.09);
    expect(run.power).toEqual({
      source: 'hwmon',
      hz: 20,
      rails: ['VDD_IN', 'VDD_CPU_GPU_CV'],
      anchor: null,
      t: [1.0, 1.05, 1.1],
      totalMw: [5000, 5100, 6000],
      railMw: { VDD_IN: [5000, 5100, 6000], VDD_CPU_GPU_CV: [900, 950, 1200] },
      // Loads and temperatures come once per line, for the line's samples; none before the first line that had them.
      cpuLoad: [null, null, 37.5],
      gpuLoad: [null, null, 12],
      temps: { cpu: [null, null, 48.5] },
    });
    expect(run.result).toMatchObject({ status: 'ok', throughput: 10 });
    expect(run.stray).toEqual(['not json']);
  });

  it('drops readings that are not power (1e308, negative) and names that are invented past the cap', () => {
    const run = emptyAgentRun();
    const rails = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`RAIL_${index}`, [1000]]));
    addAgentLine(run, JSON.stringify({ type: 'sample', seq: 0, t: [1], total_mw: [1e308], rails }));
    addAgentLine(run, '{"type":"sample","seq":1,"t":[2],"total_mw":[-5]}');
    expect(run.power.totalMw.every(Number.isNaN)).toBe(true);
    expect(Object.keys(run.power.railMw)).toHaveLength(32);
  });

  it('keeps the first 32 series of a run whose board invents new names on every line (issue 16, item 3)', () => {
    const run = emptyAgentRun();
    for (let line = 0; line < 200; line += 1) {
      const invented = <T>(prefix: string, reading: T) =>
        Object.fromEntries(Array.from({ length: 32 }, (_, index) => [`${prefix}_${line}_${index}`, reading]));
      addAgentLine(
        run,
        JSON.stringify({
          type: 'sample',
          seq: line,
          t: [line],
          total_mw: [5000],
          rails: invented('RAIL', [1000]),
          temps: invented('zone', 40),
        }),
      );
    }
    expect([Object.keys(run.power.railMw).length, Object.keys(run.power.temps).length]).toEqual([32, 32]);
    expect(run.power.railMw.RAIL_0_0).toHaveLength(200);
  });

  it('keeps the error line', () => {
    const run = emptyAgentRun();
    addAgentLine(run, '{"type":"error","code":"dataset","reason":"train-images-idx3-ubyte is missing"}');
    expect(run.error).toEqual({ code: 'dataset', reason: 'train-images-idx3-ubyte is missing' });
  });
});
