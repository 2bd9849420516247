/**
 * Demo mode's simulated boards appear in the Boards view: each one started
 * is added to the inventory (marked with its demo id); each one stopped is
 * removed again, with its host key (a new simulated board on the same
 * address has a new key, and must not look like an impostor).
 */
import type { DemoBoard } from '../../shared/api.ts';
import type { BoardConnections } from './connections.ts';
import type { BoardInventory } from './inventory.ts';

export interface DemoBoardList {
  list(): DemoBoard[];
  onDidChange(listener: (boards: DemoBoard[]) => void): () => void;
}

export function mirrorDemoBoards(demo: DemoBoardList, inventory: BoardInventory, connections: BoardConnections): () => void {
  let work: Promise<unknown> = Promise.resolve();
  const sync = (boards: DemoBoard[]): void => {
    // Serialized: a start and a stop in quick succession must apply in order.
    work = work
      .then(async () => {
        const running = new Set(boards.map((board) => board.id));
        for (const stored of inventory.list()) {
          if (stored.demoId !== null && !running.has(stored.demoId)) await connections.remove(stored.id, true);
        }
        for (const board of boards) {
          if (!inventory.list().some((stored) => stored.demoId === board.id)) {
            inventory.add({ host: board.host, port: board.port, user: board.user, name: board.name, demoId: board.id });
          }
        }
      })
      .catch(() => undefined);
  };
  sync(demo.list());
  return demo.onDidChange(sync);
}
