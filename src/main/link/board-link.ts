/**
 * The link interface main-side services import. The shape itself lives in
 * src/shared/board-link.ts (domain interfaces belong in shared); this file
 * keeps `link/` self-describing for its users.
 */
export type {
  AbortSignalLike,
  BoardLink,
  ExecOptions,
  ExecResult,
  LinkCloseReason,
  LinkState,
  TransferOptions,
  TransferProgress,
  TransferResult,
} from '../../shared/board-link.ts';
