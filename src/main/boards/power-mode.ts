/**
 * A board's power mode now (`nvpmodel -q`, parsed by the shared parser), for
 * live power and benchmarks alike; null where there is none (a desktop host,
 * a board without nvpmodel) or it does not answer in time.
 */
import { parseNvpmodelQuery, type PowerMode } from '../../shared/telemetry/nvpmodel.ts';
import type { AbortSignalLike, BoardLink } from '../link/board-link.ts';

export async function readPowerMode(link: BoardLink, signal?: AbortSignalLike): Promise<PowerMode | null> {
  try {
    const result = await link.exec(['nvpmodel', '-q'], { timeoutMs: 20_000, signal });
    return result.code === 0 ? parseNvpmodelQuery(result.stdout) : null;
  } catch {
    return null;
  }
}
