/**
 * A plan's power-mode step on one board, before the runs of a new mode: the
 * mode set through sudo, then a wait for the clocks and the power to settle.
 */
import type { PowerModeSetting } from '../../shared/bench/plan.ts';
import type { BoardLease } from '../boards/board-registry.ts';

export function samePowerMode(a: PowerModeSetting, b: PowerModeSetting): boolean {
  return a.nvpmodel === b.nvpmodel && a.jetsonClocks === b.jetsonClocks;
}

/** `sudo nvpmodel -m N`, then `sudo jetson_clocks` when asked (or `--restore` when the previous mode pinned the clocks). */
export async function setPowerMode(
  session: BoardLease,
  mode: PowerModeSetting,
  previous: PowerModeSetting | null,
  settleMs: number,
  signal: AbortSignal,
): Promise<void> {
  const steps: string[][] = [];
  if (mode.nvpmodel !== null) steps.push(['nvpmodel', '-m', String(mode.nvpmodel)]);
  if (mode.jetsonClocks) steps.push(['jetson_clocks']);
  else if (previous?.jetsonClocks === true) steps.push(['jetson_clocks', '--restore']);
  for (const argv of steps) {
    const result = await session.link.exec(argv, { signal, timeoutMs: 60_000, sudoPassword: session.sudoPassword });
    if (result.code !== 0) throw new Error(`${argv.join(' ')} failed (exit ${result.code}): ${result.stderr.trim().slice(-300)}`);
  }
  if (steps.length > 0 && settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
}
