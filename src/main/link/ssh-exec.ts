import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import { remoteCommandLine } from './remote-command.ts';
import { authFailure, type Endpoint } from './ssh-errors.ts';

/**
 * One remote command on one SSH session channel. The command line is always
 * built from an argv array (remote-command.ts): nothing a user typed can
 * become shell syntax on the board.
 */

/** A running command the link can fail from outside (the connection dropped). */
export type ExecAbort = (failure: WorkbenchFailure) => void;

/** Output kept in memory per stream; a long `tegrastats` stream goes to the callbacks, not to RAM forever. */
const maxKeptOutput = 8 * 1024 * 1024;

export async function runExec(
  client: Client,
  endpoint: Endpoint,
  argv: readonly string[],
  options: ExecOptions,
  running: Set<ExecAbort>,
): Promise<ExecResult> {
  const sudo = options.sudoPassword !== undefined;
  // Only a command with no stdin of its own can spare stdin for the watchdog.
  const stopWhenChannelCloses = options.stdin === undefined && (options.signal !== undefined || options.timeoutMs !== undefined);
  const line = remoteCommandLine(argv, { sudo, stopWhenChannelCloses });
  if (sudo && /[\r\n]/.test(options.sudoPassword ?? '')) {
    throw new WorkbenchFailure('invalid-request', 'A password cannot contain a line break.');
  }
  if (options.signal?.aborted) throw new WorkbenchFailure('cancelled', 'The command was cancelled.');
  return await new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: { result: ExecResult } | { failure: WorkbenchFailure }): void => {
      if (settled) return;
      settled = true;
      running.delete(abort);
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if ('failure' in outcome) reject(outcome.failure);
      else resolve(outcome.result);
    };
    // Stop the remote side first (signal, then close the channel) so a cancelled
    // command does not keep running on the board.
    const abort: ExecAbort = (failure) => {
      if (channel !== undefined) stopChannel(channel);
      finish({ failure });
    };
    const onAbort = (): void =>
      abort(new WorkbenchFailure('cancelled', 'The command was cancelled.', `${endpoint.host}:${endpoint.port}: ${argv[0] ?? ''}`));
    running.add(abort);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => abort(timeoutFailure(endpoint, argv, options.timeoutMs ?? 0)), options.timeoutMs);
    }

    try {
      client.exec(line, (error, opened) => {
        if (error) {
          finish({
            failure: new WorkbenchFailure(
              'unavailable',
              `The board at ${endpoint.host}:${endpoint.port} refused to run a command.`,
              error.message,
            ),
          });
          return;
        }
        channel = opened;
        if (settled) {
          stopChannel(opened);
          return;
        }
        collect(opened, options, endpoint, (outcome) => finish(outcome));
        writeStdin(opened, options, !stopWhenChannelCloses);
      });
    } catch (error) {
      finish({
        failure: new WorkbenchFailure('unavailable', `The board at ${endpoint.host}:${endpoint.port} is not connected.`, String(error)),
      });
    }
  });
}

function collect(
  channel: ClientChannel,
  options: ExecOptions,
  endpoint: Endpoint,
  done: (outcome: { result: ExecResult } | { failure: WorkbenchFailure }) => void,
): void {
  const stdout = new OutputBuffer(options.onStdout);
  const stderr = new OutputBuffer(options.onStderr);
  let code: number | null = null;
  let signal: string | undefined;
  channel.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  channel.on('exit', (exitCode: number | null, signalName?: string) => {
    code = exitCode;
    if (signalName) signal = signalName.replace(/^SIG/, '');
  });
  channel.on('close', () => {
    const result: ExecResult = { code, stdout: stdout.end(), stderr: stderr.end() };
    if (signal !== undefined) result.signal = signal;
    if (options.sudoPassword !== undefined && isSudoRefusal(result)) {
      done({ failure: authFailure(endpoint, `sudo refused the password: ${result.stderr.trim()}`) });
      return;
    }
    done({ result });
  });
}

function writeStdin(channel: ClientChannel, options: ExecOptions, endInput: boolean): void {
  if (options.sudoPassword !== undefined) {
    channel.write(`${options.sudoPassword}\n`);
  }
  if (options.stdin !== undefined) channel.write(typeof options.stdin === 'string' ? options.stdin : Buffer.from(options.stdin));
  // Close stdin, so a command that reads it sees end-of-file rather than waiting forever;
  // the watchdog instead keeps it open, as the wire that stops the command.
  if (endInput) channel.end();
}

function stopChannel(channel: ClientChannel): void {
  try {
    sendSignal(channel, 'TERM');
  } catch {
    // The channel may already be gone; closing below is what matters.
  }
  channel.close();
}

interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (channelId: number, signalName: string) => void } };
}

/**
 * ssh2's `channel.signal()` sends nothing once our side has ended stdin
 * (it checks `writable`), and we always end stdin. The SSH protocol allows a
 * signal request on any open channel (RFC 4254 §6.9), so go one level down
 * while the channel is still open. Servers without "signal" support (older
 * OpenSSH) ignore it; the channel close that follows is then all we can do.
 */
function sendSignal(channel: ClientChannel, signalName: string): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  const state = internals.outgoing?.state;
  // 'eof' is what ssh2 calls an open channel after our end(): still fine for a request.
  if ((state === 'open' || state === 'eof') && id !== undefined && typeof protocol?.signal === 'function') protocol.signal(id, signalName);
  else channel.signal(signalName);
}

/** sudo -S says "Sorry, try again." per wrong attempt and gives up with exit 1. */
function isSudoRefusal(result: ExecResult): boolean {
  return result.code === 1 && /Sorry, try again|incorrect password attempt|no password was provided/.test(result.stderr);
}

function timeoutFailure(endpoint: Endpoint, argv: readonly string[], timeoutMs: number): WorkbenchFailure {
  return new WorkbenchFailure(
    'timeout',
    `The command "${argv[0] ?? ''}" on ${endpoint.host}:${endpoint.port} did not finish within ${formatSeconds(timeoutMs)} and was stopped.`,
    commandLine(...argv),
  );
}

function formatSeconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Math.round(milliseconds / 100) / 10} s`;
}

/** Decodes UTF-8 across chunk borders, forwards each piece, keeps the tail up to `maxKeptOutput`. */
class OutputBuffer {
  readonly #decoder = new StringDecoder('utf8');
  readonly #listener: ((chunk: string) => void) | undefined;
  #parts: string[] = [];
  #length = 0;

  constructor(listener: ((chunk: string) => void) | undefined) {
    this.#listener = listener;
  }

  push(chunk: Buffer): void {
    this.#keep(this.#decoder.write(chunk));
  }

  end(): string {
    this.#keep(this.#decoder.end());
    return this.#parts.join('');
  }

  #keep(text: string): void {
    if (text === '') return;
    this.#listener?.(text);
    this.#parts.push(text);
    this.#length += text.length;
    if (this.#length > maxKeptOutput) {
      const joined = this.#parts.join('').slice(-maxKeptOutput / 2);
      this.#parts = [joined];
      this.#length = joined.length;
    }
  }
}
