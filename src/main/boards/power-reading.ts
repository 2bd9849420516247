/**
 * The live mini power reading of a connected board's card: one
 * `tegrastats --interval 1000` stream, each line parsed by the shared parser
 * (formats: ../shared/reference/tegrastats-real.jsonl) into the board's input
 * power. Boards without tegrastats (a desktop host) or without power rails
 * report null once and stay quiet.
 */
import type { BoardLink } from '../../shared/board-link.ts';
import { LineSplitter } from '../../shared/line-splitter.ts';
import { totalMwOf } from '../../shared/telemetry/sample.ts';
import { parseTegrastats } from '../../shared/telemetry/tegrastats-parser.ts';

/** Milliwatts of one tegrastats line (input rail, else the sum of rails), or null. */
export function inputPowerMw(line: string): number | null {
  const sample = parseTegrastats(line); // null for a line from a release the parser does not know: no reading rather than a wrong one
  return sample === null ? null : totalMwOf(sample);
}

/** Starts the stream; calls `onWatts` for every line; the returned function stops it. */
export function followInputPower(link: BoardLink, onWatts: (watts: number | null) => void, intervalMs = 1000): () => void {
  const abort = new AbortController();
  const lines = new LineSplitter();
  link
    .exec(['tegrastats', '--interval', String(intervalMs)], {
      signal: abort.signal,
      onStdout: (chunk) => {
        for (const line of lines.push(chunk)) {
          const milliwatts = inputPowerMw(line);
          onWatts(milliwatts === null ? null : Math.round(milliwatts / 100) / 10);
        }
      },
    })
    .then(
      () => onWatts(null),
      () => onWatts(null), // cancelled, dropped or not a Jetson: the card shows no reading
    );
  return () => abort.abort();
}
