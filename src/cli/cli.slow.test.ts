import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { productInfo } from '../main/product.ts';

const jwb = new URL('../../bin/jwb.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'jwb-cli-'));
const env = { ...process.env, JWB_DATA_DIR: dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, [jwb, ...args], { encoding: 'utf8', env });
}

it('lists its commands and prints no experimental-feature noise', () => {
  const result = run('--help');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/Usage: jwb <command>/);
  expect(result.stdout).toMatch(/serve/);
  expect(result.stderr).toBe('');
});

it('prints its version as JSON', () => {
  const result = run('version', '--json');
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ name: productInfo.name, version: productInfo.version, node: process.versions.node });
});

it('exits 2 with usage on a bad command line', () => {
  expect(run('fly').status).toBe(2);
  const bad = run('serve', '--port', 'many');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--port must be a number/);
  expect(run('version', '--colour').status).toBe(2);
});

it('serves until interrupted, then exits cleanly', async () => {
  const child = spawn(process.execPath, [jwb, 'serve', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { url } = JSON.parse((await lines.next()).value as string) as { url: string };
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
