import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../store/settings.ts';
import { BoardInventory } from './inventory.ts';

/** A store that keeps JSON text, as conf does on disk, so nothing live leaks through. */
function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map(Object.entries(initial).map(([key, value]) => [key, JSON.stringify(value)]));
  return {
    raw,
    get: (key) => (raw.has(key) ? JSON.parse(raw.get(key) as string) : undefined),
    set: (key, value) => void raw.set(key, JSON.stringify(value)),
  };
}

describe('BoardInventory', () => {
  it('remembers a board with a default name and lowercased host, once per user@host:port', () => {
    const store = memoryStore();
    const inventory = new BoardInventory(store, () => 1000);
    const first = inventory.add({ host: 'Jetson-Lab.local', port: 22, user: 'jetson' });
    const again = inventory.add({ host: 'jetson-lab.local', port: 22, user: 'jetson', name: 'other' });
    const other = inventory.add({ host: '127.0.0.2', port: 2222, user: 'jetson' });

    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ name: 'jetson-lab.local', host: 'jetson-lab.local', createdAt: 1000, fingerprint: null, facts: null });
    expect(other.name).toBe('127.0.0.2:2222');
    expect(new BoardInventory(store).list().map((board) => board.id)).toEqual([first.id, other.id]);
  });

  it('renames, keeps notes, refuses an empty name and reports each change', () => {
    const inventory = new BoardInventory(memoryStore());
    const board = inventory.add({ host: '127.0.0.2', port: 22, user: 'jetson', name: 'Bench 1' });
    let changes = 0;
    inventory.onDidChange(() => changes++);

    inventory.update(board.id, { name: 'Bench A', notes: 'fan is loud' });
    const kept = inventory.update(board.id, { name: '   ' });

    expect(kept).toMatchObject({ name: 'Bench A', notes: 'fan is loud' });
    expect(changes).toBe(2);
    expect(() => inventory.update('board-missing', { name: 'x' })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('removes a board and drops damaged entries instead of failing', () => {
    const store = memoryStore({ boards: [{ id: 'broken' }, 'nonsense'] });
    const inventory = new BoardInventory(store);
    expect(inventory.list()).toEqual([]);
    const board = inventory.add({ host: '127.0.0.3', port: 22, user: 'ubuntu' });
    expect(inventory.remove(board.id)?.id).toBe(board.id);
    expect(inventory.remove(board.id)).toBeUndefined();
    expect(inventory.list()).toEqual([]);
  });

  it('stores identified facts with the entry and never a password field', () => {
    const store = memoryStore();
    const inventory = new BoardInventory(store);
    const board = inventory.add({ host: '127.0.0.2', port: 22, user: 'jetson', password: 'hunter2' } as never);
    inventory.update(board.id, { fingerprint: `SHA256:${'A'.repeat(43)}`, lastSeen: 5 });
    expect(store.raw.get('boards')).not.toContain('hunter2');
    expect(store.raw.get('boards')).not.toContain('password');
    expect(inventory.get(board.id)).toMatchObject({ lastSeen: 5, fingerprint: `SHA256:${'A'.repeat(43)}` });
  });
});
