import type { AbortSignalLike, BoardLink, ExecOptions, ExecResult } from '../../shared/board-link.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { buildBoardFacts } from '../../shared/identify/board-facts-builder.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { identifyScript, identifyScriptOffline, parseIdentifyOutput } from './identify-script.ts';

export interface IdentifyOptions {
  /** Passed to the link: the remote script is stopped on abort. */
  signal?: AbortSignalLike;
  /** Passed to the link: the remote script is stopped when it runs longer. */
  timeoutMs?: number;
  /**
   * Waits at most this long for the answer without asking the link to stop
   * the script (the caller closes the link); default 45 s. Used instead of
   * `timeoutMs` by default because the link wraps a stoppable command in its
   * watchdog script, which the simulator's small shell does not run.
   */
  answerWithinMs?: number;
  /** Let the board check whether it reaches the internet (default true). */
  checkInternet?: boolean;
}

/** Identifies a board over any BoardLink in one round trip: `sh -c <script>`, then pure parsing. */
export async function identify(link: BoardLink, options: IdentifyOptions = {}): Promise<BoardFacts> {
  const execOptions: ExecOptions = {};
  if (options.signal !== undefined) execOptions.signal = options.signal;
  if (options.timeoutMs !== undefined) execOptions.timeoutMs = options.timeoutMs;
  const result = await within(
    link.exec(['sh', '-c', options.checkInternet === false ? identifyScriptOffline : identifyScript], execOptions),
    options.answerWithinMs ?? 45_000,
  );
  const sections = parseIdentifyOutput(result.stdout);
  if (sections.size === 0) {
    throw new WorkbenchFailure('internal', 'The board did not answer the identification script.', result.stderr.slice(0, 500));
  }
  return buildBoardFacts(sections);
}

function within(work: Promise<ExecResult>, limitMs: number): Promise<ExecResult> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WorkbenchFailure('timeout', `The board did not finish identifying within ${limitMs / 1000} s.`)),
      limitMs,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
