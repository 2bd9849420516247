/**
 * The privileged writer (ARCHITECTURE.md, src/writer): the smallest program
 * that touches a raw drive, run as root by the app through pkexec (or plainly
 * when the app is root). `node src/writer/main.ts`, or its bundle, with the
 * token in the environment variable JWB_WRITER_TOKEN (64 hex characters),
 * which it removes from its environment at once; pkexec passes it through
 * `env` (src/main/shell/elevate.ts). It reads the protocol of
 * src/shared/writer-protocol.ts on stdin and answers on stdout; the first line
 * must be `hello` with that token. It exits when stdin closes or when no line
 * came for 10 s (the app went away), cancelling what it was doing first.
 *
 * Exit status: 0 after stdin closed, 2 when the app was refused (no token,
 * wrong token, a line before hello), 3 when the heartbeat stopped.
 */
import { WorkbenchFailure } from '../shared/errors.ts';
import { LineSplitter } from '../shared/line-splitter.ts';
import type { WriterMessage } from '../shared/writer-protocol.ts';
import {
  encodeWriterLine,
  WriterToken,
  writerHeartbeatTimeoutMs,
  writerLineLimit,
  writerTokenVariable,
} from '../shared/writer-protocol.ts';
import { invokingUser } from './invoking-user.ts';
import { WriterSession } from './session.ts';

const token = process.env[writerTokenVariable];
delete process.env[writerTokenVariable];

function send(message: WriterMessage): void {
  process.stdout.write(encodeWriterLine(message));
}

let stopping = false;
async function shutdown(code: number, session: WriterSession | null): Promise<void> {
  if (stopping) return;
  stopping = true;
  await session?.stop();
  process.stdout.end(() => process.exit(code));
  // A stdout nobody reads any more must not keep the process.
  setTimeout(() => process.exit(code), 2000).unref();
}

async function start(): Promise<void> {
  if (!WriterToken.safeParse(token).success) {
    send({ type: 'error', code: 'forbidden', message: `The writer was started without a token (${writerTokenVariable}).`, detail: null });
    return shutdown(2, null);
  }
  const session: WriterSession = new WriterSession({
    token: token!,
    user: await invokingUser(),
    send,
    refuse: () => void shutdown(2, session),
  });
  let lastLineAt = Date.now();
  // One more than the cap, so a line over it arrives cut and is refused by the decoder rather than passing for shorter.
  const splitter = new LineSplitter({ maxLineChars: writerLineLimit + 1 });
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    lastLineAt = Date.now();
    for (const line of splitter.push(chunk)) if (!stopping) session.receiveLine(line);
  });
  process.stdin.on('end', () => void shutdown(0, session));
  process.stdout.on('error', () => void shutdown(0, session));
  process.on('SIGTERM', () => void shutdown(0, session));
  process.on('SIGINT', () => void shutdown(0, session));
  setInterval(() => {
    if (Date.now() - lastLineAt <= writerHeartbeatTimeoutMs) return;
    send({ type: 'log', line: `No heartbeat from the app for ${writerHeartbeatTimeoutMs / 1000} s: the writer stops.` });
    void shutdown(3, session);
  }, 1000).unref();
}

start().catch((error: unknown) => {
  const failure =
    error instanceof WorkbenchFailure ? error : new WorkbenchFailure('internal', 'The writer could not start.', String(error));
  send({ type: 'error', code: failure.code, message: failure.message, detail: failure.detail ?? null });
  void shutdown(1, null);
});
