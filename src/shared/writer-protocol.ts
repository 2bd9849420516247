/**
 * The pipe between the app and the privileged writer (src/writer): one JSON
 * object a line, app → writer on the writer's stdin, writer → app on its
 * stdout. A pipe only the app holds, not etcher's unauthenticated local
 * socket (STYLE.md D, reference §3.2); the first line must be `hello` with
 * the token the app gave at start, and the app sends `heartbeat` every 2 s
 * so a writer whose app went away stops on its own.
 *
 * One operation at a time: `write`, then `configure` (first boot on the
 * written card's root filesystem). `cancel` stops the one that runs; it ends
 * with `error { code: 'cancelled' }`, never with a success.
 *
 * Every line is capped at `writerLineLimit` characters in both directions and
 * checked with these schemas before anything acts on it.
 */
import { z } from 'zod';
import { errorCodes } from './errors.ts';
import { imageFormats } from './flash/contract.ts';
import { FirstBootConfig } from './flash/first-boot.ts';

/** The writer says this in `ready`; the app refuses a writer that speaks another version. */
export const writerProtocolVersion = 1;
/** Most characters of one protocol line, either way. */
export const writerLineLimit = 64 * 1024;
/** Most characters of a `log` line's text: room for the JSON around it. */
export const writerLogLineLimit = 4096;
/** The app sends a heartbeat this often; the writer stops after `writerHeartbeatTimeoutMs` without any line. */
export const writerHeartbeatIntervalMs = 2000;
export const writerHeartbeatTimeoutMs = 10_000;
/** The token's environment variable; the writer removes it from its environment as soon as it has read it. */
export const writerTokenVariable = 'JWB_WRITER_TOKEN';

/** 32 random bytes, hex. */
export const WriterToken = z.string().regex(/^[0-9a-f]{64}$/, 'The token is 64 lowercase hex characters.');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A device node: `/dev/sdb`, `/dev/mmcblk0`, `/dev/loop3`, `/dev/disk/by-id/…`; no `..`, no spaces. */
export const DevicePath = z
  .string()
  .max(256)
  .regex(/^\/dev\/[A-Za-z0-9._:@+/-]+$/, 'Give a device under /dev (for example /dev/sdb).')
  .refine((path) => !path.split('/').includes('..'), { message: 'A device path cannot hold "..".' });
const ImagePath = z
  .string()
  .min(1)
  .max(4096)
  // The writer runs on Linux only (for now): a POSIX absolute path.
  .refine((path) => !path.includes('\0') && path.startsWith('/'), { message: 'The image is an absolute path on this computer.' });
/** Up to 2^53 bytes: beyond any drive, and exact in a double. */
const ByteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const WriteCommand = z
  .object({
    type: z.literal('write'),
    image: ImagePath,
    format: z.enum(imageFormats),
    device: DevicePath,
    /** The size the app's drive list showed: a drive that changed since is refused. */
    expectedSize: ByteCount.positive(),
    verify: z.boolean(),
    /** The hash the image must have; the writer reports a mismatch after writing (the app decides). */
    sha256: Sha256.optional(),
  })
  .strict();
export type WriteCommand = z.infer<typeof WriteCommand>;

export const AppMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), token: WriterToken }).strict(),
  z.object({ type: z.literal('heartbeat') }).strict(),
  WriteCommand,
  z.object({ type: z.literal('configure'), device: DevicePath, firstBoot: FirstBootConfig }).strict(),
  z.object({ type: z.literal('cancel') }).strict(),
]);
export type AppMessage = z.infer<typeof AppMessage>;

export const writerPhases = ['writing', 'verifying', 'configuring'] as const;
export type WriterPhase = (typeof writerPhases)[number];

export const WriterProgress = z
  .object({
    type: z.literal('progress'),
    phase: z.enum(writerPhases),
    bytes: ByteCount,
    /** Null when the image's size is not known before the end. */
    totalBytes: ByteCount.nullable(),
    /** Bytes per second over the last 2 s. */
    speed: z.number().nonnegative().finite(),
    /** Seconds left, or null. */
    eta: z.number().nonnegative().finite().nullable(),
  })
  .strict();
export type WriterProgress = z.infer<typeof WriterProgress>;

export const WriterMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), version: z.number().int() }).strict(),
  WriterProgress,
  z.object({ type: z.literal('log'), line: z.string().max(writerLogLineLimit) }).strict(),
  /** A write ended well: the image's SHA-256 and size, and whether the read-back matched. */
  z.object({ type: z.literal('result'), sha256: Sha256, bytes: ByteCount, verified: z.boolean() }).strict(),
  /** A configure ended well: the files it changed in the root filesystem. */
  z.object({ type: z.literal('configured'), files: z.array(z.string().max(4096)).max(1000) }).strict(),
  z
    .object({
      type: z.literal('error'),
      code: z.enum(errorCodes),
      message: z.string().max(2000),
      detail: z.string().max(8000).nullable(),
    })
    .strict(),
]);
export type WriterMessage = z.infer<typeof WriterMessage>;

export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: string };

/** One line (newline included) for the writer's stdin. */
export function encodeAppLine(message: AppMessage): string {
  return encodeLine(message);
}

/** One line (newline included) for the writer's stdout; log text over the limit is cut, never the line refused. */
export function encodeWriterLine(message: WriterMessage): string {
  if (message.type === 'log' && message.line.length > writerLogLineLimit) {
    return encodeLine({ ...message, line: `${message.line.slice(0, writerLogLineLimit - 1)}…` });
  }
  return encodeLine(message);
}

export function decodeAppLine(line: string): Decoded<AppMessage> {
  return decodeLine(line, AppMessage);
}

export function decodeWriterLine(line: string): Decoded<WriterMessage> {
  return decodeLine(line, WriterMessage);
}

function encodeLine(message: AppMessage | WriterMessage): string {
  const text = JSON.stringify(message);
  // Our own messages are small; one over the cap is a bug here, not something to send and have refused there.
  if (text.length > writerLineLimit)
    throw new RangeError(`A ${message.type} line of ${text.length} characters is over the ${writerLineLimit} limit.`);
  return `${text}\n`;
}

function decodeLine<T>(line: string, schema: z.ZodType<T>): Decoded<T> {
  if (line.length > writerLineLimit) return { ok: false, reason: `A line of more than ${writerLineLimit} characters.` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'A line that is not JSON.' };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `A message the protocol does not allow${issue ? ` (${issue.path.join('.') || 'type'}: ${issue.message})` : ''}.`,
    };
  }
  return { ok: true, message: parsed.data };
}
