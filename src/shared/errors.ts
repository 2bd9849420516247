/**
 * Errors cross every boundary (IPC, WebSocket, CLI) as data, never as thrown
 * objects or stack traces: Electron would keep only `message`, and a student
 * needs a sentence and a code the UI can translate, not a trace.
 */
export const errorCodes = [
  'invalid-request',
  'unknown-method',
  'forbidden',
  'not-found',
  'unavailable',
  'auth-failed',
  'host-key-changed',
  'timeout',
  'disk-full',
  'corrupted',
  'unsupported',
  'cancelled',
  'conflict',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface WorkbenchError {
  code: ErrorCode;
  /** One sentence a student understands, in English; the renderer translates by `code`. */
  message: string;
  /** What exactly went wrong (which field, which host), for the details pane and logs. */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WorkbenchError };

/** Thrown inside services; the dispatcher turns it into `{ ok: false, error }`. */
export class WorkbenchFailure extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'WorkbenchFailure';
    this.code = code;
    this.detail = detail;
  }

  toError(): WorkbenchError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
