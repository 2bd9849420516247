/**
 * The boards a capability (live power, a benchmark plan, an install) can be
 * pointed at: those of the Boards view that are connected, and every
 * simulated board (the core connects one when it is needed). Each goes by its
 * inventory id, its name and whether it is simulated. Pure.
 */
import type { BoardSummary } from '../../shared/boards-contract.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';

export interface BoardChoice {
  key: string;
  label: string;
  simulated: boolean;
  ref: BoardRef;
  /** What identification found installed; null before the board was identified. */
  frameworks: readonly string[] | null;
}

export function boardChoices(boards: readonly BoardSummary[]): BoardChoice[] {
  return boards
    .filter((board) => board.state === 'online' || board.demoId !== null)
    .map((board) => ({
      key: board.id,
      label: board.name,
      simulated: board.demoId !== null,
      ref: { kind: 'inventory', id: board.id },
      frameworks: board.frameworks,
    }));
}

/** The chosen boards that were identified without `framework`: a plan with it would fail there. */
export function boardsLacking(framework: string, chosen: readonly BoardChoice[]): BoardChoice[] {
  return chosen.filter((choice) => choice.frameworks !== null && !choice.frameworks.includes(framework));
}
