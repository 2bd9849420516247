import { describe, expect, it } from 'vitest';
import { shortConditionOf } from './bench-summary.ts';

describe('shortConditionOf', () => {
  const key = 'sim-1 | cnn-infer | torch | batch 64 | nvpmodel 0 + jetson_clocks';
  const plan = { boards: [1], suites: ['cnn-infer'], frameworks: ['torch'], batchSizes: [64], powerModes: [{}] };

  it('keeps what the plan varies, suite and framework when it varies nothing, and names the board, never its key', () => {
    expect(shortConditionOf(key, plan, 'orin-nano-1')).toBe('cnn-infer · torch');
    expect(shortConditionOf(key, { ...plan, batchSizes: [32, 64], powerModes: [{}, {}] }, 'orin-nano-1')).toBe(
      'batch 64 · nvpmodel 0 + jetson_clocks',
    );
    expect(shortConditionOf(key, { ...plan, boards: [1, 2] }, 'orin-nano-1')).toBe('orin-nano-1');
    expect(shortConditionOf('not a key', plan, 'orin-nano-1')).toBe('not a key');
  });
});
