import { WorkbenchFailure } from '../../shared/errors.ts';
import type { ExecResult } from '../../shared/board-link.ts';

/**
 * Turns a failed step into one sentence that says what to do next. The texts
 * matched are dpkg's and pip's own (`No space left on device`, errno 28;
 * `Unable to locate package`; `No matching distribution found`).
 */
export function stepFailure(title: string, result: ExecResult): WorkbenchFailure {
  const output = `${result.stdout}\n${result.stderr}`;
  const tail = lastLines(result.stderr || result.stdout, 6);
  if (/No space left on device|Errno 28/.test(output))
    return new WorkbenchFailure(
      'disk-full',
      `The board's disk is full ("${title}" could not write its files). Free some space (for example sudo apt-get clean, or delete old files), then start the install again: finished steps are kept.`,
      tail,
    );
  if (/Unable to locate package|No matching distribution found|Could not find a version/.test(output))
    return new WorkbenchFailure(
      'unavailable',
      `"${title}" failed: a package is not available to this board. Check that the board reaches the internet and that apt-get update succeeded, then start again.`,
      tail,
    );
  if (/Could not get lock|Unable to acquire the dpkg frontend lock/.test(output))
    return new WorkbenchFailure(
      'conflict',
      `"${title}" failed: another package manager is running on the board. Wait for it to finish, then start again.`,
      tail,
    );
  return new WorkbenchFailure(
    'internal',
    `"${title}" failed with exit status ${String(result.code ?? result.signal)}. See the log for the board's message.`,
    tail,
  );
}

/** A link failure during a step (dropped connection, reboot): the step is retried on the next start. */
export function interruptedFailure(title: string, cause: unknown): WorkbenchFailure {
  if (cause instanceof WorkbenchFailure && (cause.code === 'cancelled' || cause.code === 'auth-failed')) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WorkbenchFailure(
    'unavailable',
    `The connection to the board was lost during "${title}". Reconnect and start the install again: the finished steps will not be repeated.`,
    detail,
  );
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
