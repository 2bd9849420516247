import { describe, expect, it } from 'vitest';
import type { PowerBatch } from '../../shared/power/batch.ts';
import { sampleBatch, sampleTelemetryState } from '../../../test/support/renderer/fake-telemetry.ts';
import { LiveBoard } from './live-board.svelte.ts';

describe('LiveBoard', () => {
  it('holds the first batches until the core names the input rail, so the total is never a sum first', () => {
    // As the core sends them: `telemetry.start` answers before any sample, so without rails.
    const board = new LiveBoard(sampleTelemetryState('demo-1', { inputRail: null, rails: [] }));
    const delivered: PowerBatch[] = [];
    board.onBatch((batch) => delivered.push(batch));

    board.receive(sampleBatch('demo-1', 0, 100, 2, 5));
    expect(delivered).toHaveLength(0);

    board.update(sampleTelemetryState('demo-1'));
    expect(delivered).toHaveLength(1);
    expect(board.received).toBe(2);
    expect(board.energyJ).toBeCloseTo(2.5, 9); // 0.5 s at 5 W on VDD_IN, not the 85 % rail sum
  });

  it('draws a source that never names rails after a few batches anyway', () => {
    const board = new LiveBoard(sampleTelemetryState('gpu-host', { inputRail: null, rails: [] }));
    let delivered = 0;
    board.onBatch(() => delivered++);
    for (let index = 0; index < 7; index += 1) board.receive(sampleBatch('gpu-host', index, 100 + index, 1, 5));
    expect(delivered).toBe(7); // 5 held, released with the 6th, the 7th straight through
  });

  it('stops telling a listener once it unsubscribed', () => {
    const board = new LiveBoard(sampleTelemetryState('demo-1'));
    let calls = 0;
    const stop = board.onBatch(() => calls++);
    board.receive(sampleBatch('demo-1', 0, 100, 1, 5));
    stop();
    board.receive(sampleBatch('demo-1', 1, 101, 1, 5));
    expect(calls).toBe(1);
  });
});
