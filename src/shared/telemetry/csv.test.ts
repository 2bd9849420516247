import { describe, expect, it } from 'vitest';
import { emptyColumns } from './columns.ts';
import { recordingToCsv } from './csv.ts';

describe('recordingToCsv', () => {
  it('writes one row per sample, a column per series, markers on the first sample at or after them', () => {
    const columns = emptyColumns(7);
    columns.t.push(0, 0.5, 1.25);
    columns.inputMw.push(4000, null, 4100);
    columns.railSumMw.push(5000, 5100, 5200);
    columns.rails.VDD_IN = [4000, null, 4100];
    columns.cpuLoad.push(12.3456, 20, 30);
    columns.gpuLoad.push(0, 1, 2);
    columns.gpuMhz.push(306, 306, 612);
    columns.emcLoad.push(null, null, null);
    columns.ramUsedMb.push(1000, 1001, 1002);
    columns.temps.cpu = [44.562, 45, Number.NaN];
    const csv = recordingToCsv(columns, [
      { t: 0.6, label: '=cmd|"x"' },
      { t: 0.1, label: 'start, warm' },
    ]);
    const rows = csv.trimEnd().split('\n');
    expect(rows[0]).toBe('seq,t_s,input_mw,rail_sum_mw,VDD_IN_mw,cpu_load_pct,gpu_load_pct,gpu_mhz,emc_load_pct,ram_used_mb,cpu_c,marker');
    expect(rows[1]).toBe('7,0.000,4000,5000,4000,12.346,0,306,,1000,44.562,');
    expect(rows[2]).toBe('8,0.500,,5100,,20,1,306,,1001,45,"start, warm"');
    // A label that a spreadsheet would run as a formula is defused, and quotes are doubled.
    expect(rows[3]).toBe(`9,1.250,4100,5200,4100,30,2,612,,1002,,"'=cmd|""x"""`);
    expect(rows).toHaveLength(4);
    expect(csv.endsWith('\n')).toBe(true);
  });
});
