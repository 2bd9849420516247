import { describe, expect, it } from 'vitest';
import { addAgentLine, emptyAgentRun } from '../../shared/bench/agent-output.ts';
import { PowerForwarder } from './power-forward.ts';

const context = { planId: 'p', board: 'b', runId: 'r', label: 'Orin Nano', condition: 'mnist-train · numpy' };

function agentWith(lines: object[]) {
  const agent = emptyAgentRun();
  for (const line of lines) addAgentLine(agent, JSON.stringify(line));
  return agent;
}

const start = {
  type: 'power',
  event: 'start',
  source: 'hwmon',
  rails: ['VDD_IN', 'VDD_SOC'],
  anchor_monotonic: 100,
  anchor_wall: 1_700_000_000,
};

describe('PowerForwarder', () => {
  it('sends only what is new, on the epoch clock, at most once per interval unless flushed', () => {
    let now = 0;
    const forwarder = new PowerForwarder(context, 250, () => now);
    const agent = agentWith([
      start,
      { type: 'sample', t: [100.5, 100.55], total_mw: [5000, 5100], rails: { VDD_IN: [5000, 5100], VDD_SOC: [900, Number.NaN] } },
    ]);

    const first = forwarder.take(agent);
    expect(first).toMatchObject({
      ...context,
      t: [1_700_000_000.5, 1_700_000_000.55],
      inputMw: [5000, 5100],
      railSumMw: [5900, 5100],
      inputRail: 'VDD_IN',
      markers: [],
    });
    expect(first?.rails.VDD_SOC, 'a missing reading is null, not NaN').toEqual([900, null]);

    addAgentLine(agent, JSON.stringify({ type: 'begin', t: 100.6, wall: 1_700_000_000.6 }));
    addAgentLine(agent, JSON.stringify({ type: 'sample', t: [100.6], total_mw: [7000], rails: { VDD_IN: [7000], VDD_SOC: [1500] } }));
    now = 100;
    expect(forwarder.take(agent), 'too soon').toBeNull();
    now = 300;
    const second = forwarder.take(agent);
    expect(second).toMatchObject({ seq0: 2, t: [1_700_000_000.6], inputMw: [7000], markers: [{ t: 1_700_000_000.6, label: 'begin' }] });

    addAgentLine(agent, JSON.stringify({ type: 'end', t: 110, wall: 1_700_000_010 }));
    now = 301;
    expect(forwarder.take(agent, true)?.markers, 'a flush sends the end marker at once').toEqual([{ t: 1_700_000_010, label: 'end' }]);
    expect(forwarder.take(agent, true), 'nothing left').toBeNull();
  });

  it('has no input rail when the total is a sum, and places samples on this computer’s clock without an anchor', () => {
    const forwarder = new PowerForwarder(context, 0, () => 2_000_000);
    const agent = agentWith([
      { type: 'power', event: 'start', source: 'nvml', rails: ['GPU'] },
      { type: 'sample', t: [5, 6], total_mw: [1, 2], rails: { GPU: [1, 2] } },
    ]);
    const batch = forwarder.take(agent);
    expect(batch?.inputRail).toBeNull();
    expect(batch?.inputMw).toEqual([null, null]);
    expect(batch?.railSumMw).toEqual([1, 2]);
    expect(batch?.t).toEqual([1999, 2000]);
  });
});
