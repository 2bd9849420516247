import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, ensurePrivateFolder } from './data-dir.ts';

describe('defaultDataDir', () => {
  it('ignores an empty or relative XDG_CONFIG_HOME instead of writing into the working folder', () => {
    const standard = join(homedir(), '.config', 'Jetson Workbench');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(standard);
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative/config' }, 'linux')).toBe(standard);
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/config' }, 'linux')).toBe('/srv/config/Jetson Workbench');
    expect(defaultDataDir({ APPDATA: '' }, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Jetson Workbench'));
    expect(defaultDataDir({ JWB_DATA_DIR: '/data/jwb', XDG_CONFIG_HOME: '' }, 'linux')).toBe('/data/jwb');
  });
});

describe('ensurePrivateFolder', () => {
  it('creates the data folder readable by its owner only', () => {
    const parent = mkdtempSync(join(tmpdir(), 'jwb-data-dir-'));
    try {
      const folder = join(parent, 'nested', 'Jetson Workbench');
      ensurePrivateFolder(folder);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
