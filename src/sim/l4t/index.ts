/**
 * The simulated Linux_for_Tegra folder and the fake recovery-mode board, for
 * tests, demo mode and `jwb sim`: create a folder with createSimulatedL4t,
 * put a board in recovery with createRecoveryBoard, point the recovery
 * flasher at both, and read what the flash left with readFlashedBoard.
 */
export {
  createSimulatedL4t,
  setSimulatedOutcome,
  type SimulatedL4t,
  type SimulatedL4tOptions,
  type SimulatedOutcome,
  type SimulatedRelease,
} from './l4t-folder.ts';
export {
  createRecoveryBoard,
  readFlashedBoard,
  type FlashedBoard,
  type RecoveryBoard,
  type RecoveryBoardOptions,
} from './recovery-board.ts';
