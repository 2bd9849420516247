/**
 * How the rest of the app talks to a board, whatever carries the bytes (SSH
 * today; a simulated link in demo mode). Domain interfaces live in shared so
 * services depend on this shape, never on ssh2 (ARCHITECTURE.md, "Services
 * behind interfaces"). Pure types: no Node, no DOM.
 */
import type { WorkbenchError } from './errors.ts';

export type LinkState = 'connecting' | 'ready' | 'reconnecting' | 'closed';

/**
 * The part of the standard `AbortSignal` a link needs. Shared code sees
 * neither DOM nor Node types, so it names the shape; any real AbortSignal fits.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface ExecOptions {
  /** Bytes for the command's stdin; stdin is closed afterwards. */
  stdin?: string | Uint8Array;
  /** Aborting stops the remote command (signal, then channel close) and rejects with `cancelled`. */
  signal?: AbortSignalLike;
  /** Rejects with `timeout` and stops the remote command when it runs longer. */
  timeoutMs?: number;
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
  /** Runs the command through `sudo -S`; the password travels on stdin, never on the command line. */
  sudoPassword?: string;
}

export interface ExecResult {
  /** Exit status, or null when the command was ended by a signal. */
  code: number | null;
  /** Signal name without `SIG` (e.g. `TERM`) when the command was killed. */
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface TransferProgress {
  bytes: number;
  totalBytes: number;
}

export interface TransferOptions {
  onProgress?(progress: TransferProgress): void;
  signal?: AbortSignalLike;
}

export interface TransferResult {
  /** Lowercase hex SHA-256 of the file, checked on both ends. */
  sha256: string;
  bytes: number;
}

/** Why a link closed: absent for a close the caller asked for. */
export type LinkCloseReason = WorkbenchError;

export interface BoardLink {
  readonly state: LinkState;
  /** Runs a program with its arguments; the link quotes every argument (no shell syntax from data). */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Copies a local file to the board, then verifies it there with `sha256sum`. */
  upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<TransferResult>;
  /** Copies a file from the board, verified against `sha256sum` on the board. */
  download(remotePath: string, localPath: string, options?: TransferOptions): Promise<TransferResult>;
  close(): Promise<void>;
  /** Called once when the link closes for good; returns a disposer. */
  onDidClose(listener: (reason: LinkCloseReason | undefined) => void): () => void;
  /** Called on every state change; returns a disposer. */
  onDidChangeState(listener: (state: LinkState) => void): () => void;
}
