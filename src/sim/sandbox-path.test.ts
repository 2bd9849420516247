import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostPath, realBoardPath } from './sandbox-path.ts';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('sandbox paths', () => {
  it('keeps `..` and symlinks inside the sandbox root', () => {
    root = mkdtempSync(join(tmpdir(), 'jwb-sandbox-'));
    mkdirSync(join(root, 'home/jetson'), { recursive: true });
    symlinkSync('/etc', join(root, 'home/jetson/etc-link'));
    symlinkSync('../../../../../../..', join(root, 'home/jetson/up'));
    expect(hostPath(root, '/home/jetson', '../../../../etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(realBoardPath(root, '/home/jetson/etc-link/passwd')).toBe('/etc/passwd');
    expect(hostPath(root, '/home/jetson', 'up/etc/shadow')).toBe(join(root, 'etc/shadow'));
  });

  it('stops at symlink loops', () => {
    root = mkdtempSync(join(tmpdir(), 'jwb-sandbox-'));
    symlinkSync('/b', join(root, 'a'));
    symlinkSync('/a', join(root, 'b'));
    expect(() => realBoardPath(root, '/a/x')).toThrow(/symbolic links/);
  });
});
