/**
 * The boards the workbench remembers, in the settings store (electron-store
 * or conf) under `boards`: name, notes, address, last seen, identified facts
 * and the trusted host-key fingerprint. Never a password: the record has no
 * field for one (passwords live in memory, see link/passwords.ts). What is on
 * disk is validated on read; a damaged entry is dropped, not fatal.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BoardFactsSchema } from '../../shared/boards-contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import type { KeyValueStore } from '../store/settings.ts';

const storeKey = 'boards';

const StoredBoard = z.object({
  id: z.string().min(1),
  name: z.string(),
  notes: z.string().catch(''),
  host: z.string().min(1),
  port: z.number().int(),
  user: z.string().min(1),
  createdAt: z.number(),
  lastSeen: z.number().nullable().catch(null),
  fingerprint: z.string().nullable().catch(null),
  facts: BoardFactsSchema.nullable().catch(null),
  identifiedAt: z.number().nullable().catch(null),
  demoId: z.string().nullable().catch(null),
  keyInstalled: z.boolean().catch(false),
});
export type StoredBoard = z.infer<typeof StoredBoard>;

export interface NewBoard {
  host: string;
  port: number;
  user: string;
  name?: string | undefined;
  /** A simulated board's id: its inventory entry goes by the same id, so both refs name one board. */
  demoId?: string | undefined;
}

/** What services may change after creation; the address is the board's identity and stays. */
export interface BoardPatch {
  name?: string | undefined;
  notes?: string | undefined;
  lastSeen?: number;
  fingerprint?: string | null;
  facts?: BoardFacts | null;
  identifiedAt?: number | null;
  keyInstalled?: boolean;
}

export class BoardInventory {
  readonly #store: KeyValueStore;
  readonly #listeners = new Set<() => void>();
  readonly #now: () => number;

  constructor(store: KeyValueStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  list(): StoredBoard[] {
    const stored = this.#store.get(storeKey);
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((entry) => {
      const parsed = StoredBoard.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  get(id: string): StoredBoard | undefined {
    return this.list().find((board) => board.id === id);
  }

  /** Throws `not-found` for an id the inventory does not hold. */
  require(id: string): StoredBoard {
    const board = this.get(id);
    if (board === undefined) throw new WorkbenchFailure('not-found', 'This board is not in the list of boards.', id);
    return board;
  }

  /** Adds a board; the same user@host:port added twice is the same board (the first entry is returned). */
  add(board: NewBoard): StoredBoard {
    const boards = this.list();
    const host = board.host.toLowerCase();
    const existing = boards.find((item) => item.host === host && item.port === board.port && item.user === board.user);
    if (existing !== undefined && (board.demoId === undefined || existing.demoId === board.demoId)) return existing;
    // A simulated board started where a typed-in entry was takes that address over, under its own id.
    const others = existing === undefined ? boards : boards.filter((item) => item !== existing);
    const created: StoredBoard = {
      id: board.demoId ?? `board-${randomUUID().slice(0, 8)}`,
      name: board.name?.trim() || (board.port === 22 ? host : `${host}:${board.port}`),
      notes: '',
      host,
      port: board.port,
      user: board.user,
      createdAt: this.#now(),
      lastSeen: null,
      fingerprint: null,
      facts: null,
      identifiedAt: null,
      demoId: board.demoId ?? null,
      keyInstalled: false,
    };
    this.#save([...others, created]);
    return created;
  }

  update(id: string, patch: BoardPatch): StoredBoard {
    const boards = this.list();
    const index = boards.findIndex((board) => board.id === id);
    const current = boards[index];
    if (current === undefined) throw new WorkbenchFailure('not-found', 'This board is not in the list of boards.', id);
    const next: StoredBoard = { ...current };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    }
    next.name = next.name.trim() || current.name;
    boards[index] = next;
    this.#save(boards);
    return next;
  }

  remove(id: string): StoredBoard | undefined {
    const boards = this.list();
    const removed = boards.find((board) => board.id === id);
    if (removed === undefined) return undefined;
    this.#save(boards.filter((board) => board.id !== id));
    return removed;
  }

  onDidChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #save(boards: StoredBoard[]): void {
    this.#store.set(storeKey, boards);
    for (const listener of [...this.#listeners]) listener();
  }
}
