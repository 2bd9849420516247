import { describe, expect, it } from 'vitest';
import { MemorySecretStore, PasswordCache, passwordKeyOf } from './passwords.ts';

const board = { username: 'student', host: 'Orin.local', port: 22 };

describe('PasswordCache', () => {
  it('keys passwords by user@host:port, host case-insensitive', async () => {
    expect(passwordKeyOf(board)).toBe('student@orin.local:22');
    const cache = new PasswordCache();
    await cache.set(board, 'jetson');
    expect(await cache.get({ ...board, host: 'orin.local' })).toBe('jetson');
    expect(await cache.get({ ...board, port: 2222 })).toBeUndefined();
  });

  it('remembers only through a secret store, and only when asked', async () => {
    const store = new MemorySecretStore();
    const cache = new PasswordCache(store);
    await cache.set(board, 'session-only');
    expect(await store.get('student@orin.local:22')).toBeUndefined();
    await cache.set(board, 'kept', { remember: true });
    expect(await new PasswordCache(store).get(board)).toBe('kept');
    await cache.forget(board);
    expect(await cache.get(board)).toBeUndefined();
    expect(await store.get('student@orin.local:22')).toBeUndefined();
    await expect(new PasswordCache().set(board, 'x', { remember: true })).rejects.toThrow(/session only/);
  });
});
