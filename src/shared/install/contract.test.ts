import { describe, expect, it } from 'vitest';
import { installMethods, offlineDirMaxLength } from './contract.ts';

const start = installMethods['install.start'].input;

describe('install.start input', () => {
  it('takes an absolute offline folder (POSIX, Windows drive or UNC) and leaves it optional', () => {
    expect(start.parse({ board: { kind: 'inventory', id: 'b' }, library: 'pytorch' })).toEqual({
      board: { kind: 'inventory', id: 'b' },
      library: 'pytorch',
    });
    for (const offlineDir of ['/home/me/wheels', 'C:\\Users\\me\\wheels', 'd:/wheels', '\\\\server\\share\\wheels'])
      expect(start.parse({ board: { kind: 'inventory', id: 'b' }, library: 'pytorch', offlineDir }).offlineDir).toBe(offlineDir);
  });

  it('refuses a relative, empty, over-long or NUL-holding folder', () => {
    for (const offlineDir of ['wheels', './wheels', '~/wheels', 'C:wheels', '', `/${'a'.repeat(offlineDirMaxLength)}`, '/tmp/a\0b'])
      expect(
        start.safeParse({ board: { kind: 'inventory', id: 'b' }, library: 'pytorch', offlineDir }).success,
        JSON.stringify(offlineDir),
      ).toBe(false);
    expect(
      start.safeParse({ board: { kind: 'inventory', id: 'b' }, library: 'pytorch', offlineDir: `/${'a'.repeat(offlineDirMaxLength - 1)}` })
        .success,
    ).toBe(true);
  });
});
