import { describe, expect, it } from 'vitest';
import { draftProblems, emptyDraft, parseWholeList, planInputOf, powerModesOf } from './bench-draft.ts';

describe('the Benchmarks form draft', () => {
  it('reads lists of whole numbers in the order typed, once each, within bounds', () => {
    expect(parseWholeList('', 1, 4096)).toEqual([]);
    expect(parseWholeList(' 32, 64;128  32 ', 1, 4096)).toEqual([32, 64, 128]);
    expect(parseWholeList('32, 6.5', 1, 4096)).toBeNull();
    expect(parseWholeList('0', 1, 4096)).toBeNull();
    expect(parseWholeList('-1', 0, 99)).toBeNull();
    expect(parseWholeList('1 2 3 4 5 6 7 8 9', 0, 99), 'more than the contract takes').toBeNull();
  });

  it('crosses the nvpmodel modes with the clock choice, and leaves an untouched board out of it', () => {
    expect(powerModesOf([], 'as-is')).toEqual([]);
    expect(powerModesOf([], 'pinned')).toEqual([{ nvpmodel: null, jetsonClocks: true }]);
    expect(powerModesOf([0, 2], 'both')).toEqual([
      { nvpmodel: 0, jetsonClocks: false },
      { nvpmodel: 0, jetsonClocks: true },
      { nvpmodel: 2, jetsonClocks: false },
      { nvpmodel: 2, jetsonClocks: true },
    ]);
  });

  it('makes the plan only when every list parses, and says which does not', () => {
    const targets = [{ kind: 'inventory' as const, id: 'sim-1' }];
    const draft = {
      ...emptyDraft(),
      boards: ['sim-1'],
      batchSizes: '32 64',
      nvpmodels: '0,1',
      clocks: 'both' as const,
      dataset: ' /data/mnist ',
    };
    expect(planInputOf(draft, targets)).toMatchObject({
      batchSizes: [32, 64],
      powerModes: [
        { nvpmodel: 0, jetsonClocks: false },
        { nvpmodel: 0, jetsonClocks: true },
        { nvpmodel: 1, jetsonClocks: false },
        { nvpmodel: 1, jetsonClocks: true },
      ],
      dataset: '/data/mnist',
    });
    expect(planInputOf(draft, []), 'no board').toBeUndefined();
    expect(draftProblems(draft)).toEqual({ batchSizes: false, nvpmodels: false });

    const wrong = { ...draft, batchSizes: 'big', nvpmodels: '0 1 2 3 4' };
    expect(planInputOf(wrong, targets)).toBeUndefined();
    expect(draftProblems(wrong), 'five modes twice each are ten').toEqual({ batchSizes: true, nvpmodels: true });
    expect(planInputOf({ ...draft, suites: ['gemm'] }, targets)?.dataset, 'only mnist-train reads a dataset').toBeUndefined();
  });
});
