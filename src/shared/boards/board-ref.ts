/**
 * One board identity for every capability (telemetry, benchmarks, install,
 * and later flash, the lab path and the cluster): a board of the inventory,
 * a simulated board, or an ad-hoc address (the command line, a board not
 * added yet). Only the board registry (src/main/boards/board-registry.ts)
 * turns a `BoardRef` into a connection; nothing else resolves addresses.
 */
import { z } from 'zod';

export const BoardId = z.string().min(1).max(80);
export const HostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or an IP address');
export const PortNumber = z.number().int().min(1).max(65535);
export const UserName = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'a Linux user name');
/** A key file on this computer (the command line's `--identity`): absolute, no NUL. */
const IdentityFile = z
  .string()
  .min(2)
  .max(4096)
  .refine((path) => !path.includes('\0') && (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)), 'an absolute key file path');

export const BoardRef = z.discriminatedUnion('kind', [
  /** A board of the Boards view (simulated boards are there too, under the same id). */
  z.object({ kind: z.literal('inventory'), id: BoardId }).strict(),
  /** A simulated board by its id (`demo.list`). */
  z.object({ kind: z.literal('simulated'), id: BoardId }).strict(),
  /** Any SSH address; the password (if any) is kept in memory only. */
  z
    .object({
      kind: z.literal('address'),
      host: HostName,
      port: PortNumber.default(22),
      user: UserName,
      password: z.string().max(256).optional(),
      identityFiles: z.array(IdentityFile).max(8).optional(),
    })
    .strict(),
]);
export type BoardRef = z.infer<typeof BoardRef>;
export type BoardRefInput = z.input<typeof BoardRef>;

/**
 * The key a board goes by in events, stored runs and sessions: its id, or
 * `user@host:port`. A simulated board has the same id in the inventory, so
 * both refs name one board.
 */
export function boardKey(ref: BoardRef): string {
  return ref.kind === 'address' ? `${ref.user}@${ref.host}:${ref.port}` : ref.id;
}
