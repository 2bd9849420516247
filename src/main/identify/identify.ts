import type { AbortSignalLike, BoardLink } from '../../shared/board-link.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { buildBoardFacts } from '../../shared/identify/board-facts-builder.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { identifyScript, parseIdentifyOutput } from './identify-script.ts';

export interface IdentifyOptions {
  signal?: AbortSignalLike;
  /** The whole script (framework imports and the 3 s internet check included); default 45 s. */
  timeoutMs?: number;
}

/** Identifies a board over any BoardLink in one round trip: `sh -c <script>`, then pure parsing. */
export async function identify(link: BoardLink, options: IdentifyOptions = {}): Promise<BoardFacts> {
  const result = await link.exec(['sh', '-c', identifyScript], { signal: options.signal, timeoutMs: options.timeoutMs ?? 45_000 });
  const sections = parseIdentifyOutput(result.stdout);
  if (sections.size === 0) {
    throw new WorkbenchFailure('internal', 'The board did not answer the identification script.', result.stderr.slice(0, 500));
  }
  return buildBoardFacts(sections);
}
