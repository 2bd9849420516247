import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openConfStore } from './conf-store.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jwb-conf-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes the settings file readable by its owner only', () => {
  openConfStore(join(dir, 'data')).set('preferences', { language: 'fr', theme: 'dark' });
  expect(statSync(join(dir, 'data', 'settings.json')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
});

it('names a damaged settings file and what to do, and keeps it', () => {
  writeFileSync(join(dir, 'settings.json'), '{"boards": [ oops');
  expect(() => openConfStore(dir)).toThrow(
    /The settings file .*settings\.json is damaged and cannot be read\. Rename it .* start the workbench again/,
  );
  expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"boards": [ oops');
});
