import type { ExecOptions, ExecResult } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { cancelledFailure, consoleTimeout } from './serial-errors.ts';
import { FrameReader, framedLine, maxLineBytes, newNonce, untypeableArgument } from './serial-framing.ts';

/** The one command a console is running, fed with every piece of cleaned console text. */
export interface PendingExec {
  /** Returns true once the command's answer is complete. */
  feed(text: string): boolean;
  /** Ends it now (the console closed, or was unplugged). */
  fail(failure: WorkbenchFailure): void;
}

/** What a framed command needs from its console. */
export interface ExecHost {
  readonly path: string;
  write(text: string): void;
  /** Installs (or, with null, removes) the command console output goes to. */
  setPending(pending: PendingExec | null): void;
}

/**
 * Types one framed command (serial-framing.ts) and resolves with its output
 * and exit status. A timeout or an abort sends Ctrl-C, which stops the
 * command and the rest of the typed line; `interrupted` tells the console to
 * wait for the prompt before typing the next one.
 */
export function runFramedCommand(
  host: ExecHost,
  argv: readonly string[],
  options: ExecOptions,
): { result: Promise<ExecResult>; interrupted: () => boolean } {
  let interrupted = false;
  const result = new Promise<ExecResult>((resolve, reject) => {
    const line = checkedLine(argv);
    if (options.signal?.aborted) throw cancelledFailure();
    const reader = new FrameReader(line.nonce);
    let done = false;
    const finish = (outcome: ExecResult | WorkbenchFailure): void => {
      if (done) return;
      done = true;
      host.setPending(null);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof WorkbenchFailure) reject(outcome);
      else resolve(outcome);
    };
    const stop = (failure: WorkbenchFailure): void => {
      interrupted = true;
      host.write('\x03');
      finish(failure);
    };
    const onAbort = (): void => stop(cancelledFailure());
    const limit = options.timeoutMs;
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(() => stop(consoleTimeout(host.path, `finish "${argv.join(' ')}" (stopped with Ctrl-C)`, limit)), limit);
    host.setPending({
      feed: (text) => {
        const answer = reader.push(text);
        const chunk = reader.takeStreamable();
        if (chunk !== '') options.onStdout?.(chunk);
        if (answer !== null) finish({ code: answer.code, stdout: answer.stdout, stderr: '' });
        return answer !== null;
      },
      fail: finish,
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    host.write(`${line.text}\r`);
  });
  return { result, interrupted: () => interrupted };
}

function checkedLine(argv: readonly string[]): { text: string; nonce: string } {
  const untypeable = untypeableArgument(argv);
  if (untypeable !== undefined) {
    throw new WorkbenchFailure(
      'unsupported',
      'A command with a tab, a line break or another control character cannot be typed on the serial console: use the network link.',
      JSON.stringify(untypeable),
    );
  }
  const nonce = newNonce();
  const text = framedLine(argv, nonce);
  if (Buffer.byteLength(text) > maxLineBytes) {
    throw new WorkbenchFailure(
      'unsupported',
      'This command line is too long for the serial console: use the network link.',
      `${text.length} bytes`,
    );
  }
  return { text, nonce };
}
