/**
 * The Benchmarks form's draft and the contract's plan it stands for: several
 * batch sizes and several nvpmodel modes are typed as lists ("32, 64"), and
 * jetson_clocks is left alone, pinned, or both (each mode run twice), so one
 * plan covers boards × frameworks × suites × batch sizes × power modes. Pure.
 */
import type { BenchPlanInput } from '../../shared/bench/contract.ts';
import type { BenchSuite, PowerModeSetting } from '../../shared/bench/plan.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';

export const clockChoices = ['as-is', 'pinned', 'both'] as const;
export type ClockChoice = (typeof clockChoices)[number];

/** What the form edits; lists stay as typed, numbers as the inputs give them. */
export interface BenchPlanDraft {
  boards: string[];
  frameworks: string[];
  suites: BenchSuite[];
  /** Batch sizes, comma- or space-separated; empty: the suite's default. */
  batchSizes: string;
  epochs: number | null;
  repeats: number;
  trainLimit: number | null;
  testLimit: number | null;
  /** nvpmodel mode ids, comma- or space-separated; empty: leave the board's mode as it is. */
  nvpmodels: string;
  clocks: ClockChoice;
  /** A folder of MNIST idx files on this computer; empty for the default (Debian's Fashion-MNIST). */
  dataset: string;
}

export function emptyDraft(): BenchPlanDraft {
  return {
    boards: [],
    frameworks: ['numpy'],
    suites: ['mnist-train'],
    batchSizes: '',
    epochs: 1,
    repeats: 3,
    trainLimit: null,
    testLimit: null,
    nvpmodels: '',
    clocks: 'as-is',
    dataset: '',
  };
}

/** The contract's limits (src/shared/bench/contract.ts): at most 8 batch sizes and 8 power modes. */
const maxListed = 8;

/** Whole numbers in [min, max], distinct, in the order typed; null when any item is not one (or there are too many). */
export function parseWholeList(text: string, min: number, max: number): number[] | null {
  const items = text.split(/[\s,;]+/).filter((item) => item !== '');
  const values: number[] = [];
  for (const item of items) {
    if (!/^\d+$/.test(item)) return null;
    const value = Number(item);
    if (value < min || value > max) return null;
    if (!values.includes(value)) values.push(value);
  }
  return values.length > maxListed ? null : values;
}

/** Every nvpmodel mode with the clocks as chosen; empty when nothing is to change. */
export function powerModesOf(nvpmodels: readonly number[], clocks: ClockChoice): PowerModeSetting[] {
  const modes: (number | null)[] = nvpmodels.length > 0 ? [...nvpmodels] : [null];
  const pinned = clocks === 'both' ? [false, true] : [clocks === 'pinned'];
  const settings = modes.flatMap((nvpmodel) => pinned.map((jetsonClocks) => ({ nvpmodel, jetsonClocks })));
  return settings.length === 1 && settings[0]?.nvpmodel === null && settings[0].jetsonClocks === false ? [] : settings;
}

/** Which list fields do not parse, for the form to point at. */
export function draftProblems(draft: BenchPlanDraft): { batchSizes: boolean; nvpmodels: boolean } {
  const modes = parseWholeList(draft.nvpmodels, 0, 99);
  return {
    batchSizes: parseWholeList(draft.batchSizes, 1, 4096) === null,
    nvpmodels: modes === null || powerModesOf(modes, draft.clocks).length > maxListed,
  };
}

/** The plan over `boards`, or undefined while a board, a framework or a suite is missing or a list does not parse. */
export function planInputOf(draft: BenchPlanDraft, boards: readonly BoardRef[]): BenchPlanInput | undefined {
  const batchSizes = parseWholeList(draft.batchSizes, 1, 4096);
  const nvpmodels = parseWholeList(draft.nvpmodels, 0, 99);
  if (boards.length === 0 || draft.frameworks.length === 0 || draft.suites.length === 0) return undefined;
  if (batchSizes === null || nvpmodels === null) return undefined;
  const powerModes = powerModesOf(nvpmodels, draft.clocks);
  if (powerModes.length > maxListed) return undefined;
  const dataset = draft.dataset.trim();
  return {
    boards: [...boards],
    frameworks: [...draft.frameworks],
    suites: [...draft.suites],
    batchSizes,
    powerModes,
    repeats: draft.repeats,
    ...(draft.epochs === null ? {} : { epochs: draft.epochs }),
    ...(draft.trainLimit === null ? {} : { trainLimit: draft.trainLimit }),
    ...(draft.testLimit === null ? {} : { testLimit: draft.testLimit }),
    ...(dataset === '' || !draft.suites.includes('mnist-train') ? {} : { dataset }),
  };
}
