/**
 * The one gap rule: a step between two readings longer than this is a gap,
 * counted and shown, never bridged (neither integrated nor drawn as a line):
 * three missed readings, plus scheduling slack for a busy board.
 */
export function maxGapFor(intervalS: number): number {
  return 3 * intervalS + 0.25;
}
