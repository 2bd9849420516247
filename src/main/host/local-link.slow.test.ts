import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLink } from './local-link.ts';

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalLink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jwb-local-link-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs argv without a shell: data stays data, output streams, the exit code comes back', async () => {
    const link = new LocalLink({ cwd: dir });
    const chunks: string[] = [];
    const result = await link.exec(['sh', '-c', 'echo "$1"; echo oops >&2; exit 3', 'sh', '$(touch pwned); `id`'], {
      onStdout: (chunk) => chunks.push(chunk),
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('$(touch pwned); `id`\n');
    expect(result.stderr).toBe('oops\n');
    expect(chunks.join('')).toBe(result.stdout);
    await expect(readFile(join(dir, 'pwned'))).rejects.toThrow();
  });

  it('gives stdin to the program and runs it in its folder', async () => {
    const link = new LocalLink({ cwd: dir, env: { JWB_TEST_VALUE: 'from-env' } });
    const result = await link.exec(['sh', '-c', 'pwd; cat; echo "$JWB_TEST_VALUE"'], { stdin: 'typed\n' });
    expect(result.stdout.split('\n')).toEqual([dir, 'typed', 'from-env', '']);
  });

  it('cancel stops the script and what it started (its process group), and rejects as cancelled', async () => {
    const link = new LocalLink({ cwd: dir });
    const controller = new AbortController();
    const pidFile = join(dir, 'child.pid');
    const script = `sleep 300 & echo $! > ${pidFile}; wait`;
    const run = link.exec(['sh', '-c', script], { signal: controller.signal });
    let childPid = 0;
    for (let tries = 0; tries < 200 && childPid === 0; tries += 1) {
      childPid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim() || 0);
      if (childPid === 0) await new Promise((done) => setTimeout(done, 25));
    }
    expect(childPid).toBeGreaterThan(0);
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    for (let tries = 0; tries < 200 && alive(childPid); tries += 1) await new Promise((done) => setTimeout(done, 25));
    expect(alive(childPid)).toBe(false);
  });

  it('a timeout rejects as timeout', async () => {
    const link = new LocalLink();
    await expect(link.exec(['sleep', '30'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('names a program that is not installed, and refuses NUL bytes in arguments', async () => {
    const link = new LocalLink();
    await expect(link.exec(['jwb-no-such-program'])).rejects.toMatchObject({ code: 'not-found' });
    await expect(link.exec(['echo', 'a\0b'])).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('keeps at most the capture limit of a chatty program, and says it cut', async () => {
    const link = new LocalLink({ maxCapturedBytes: 1000 });
    const result = await link.exec(['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x']);
    expect(result.stdout.startsWith('x'.repeat(1000))).toBe(true);
    expect(result.stdout).toContain('[output truncated]');
    expect(result.stdout.length).toBeLessThan(1100);
  });

  it('copies files both ways with their SHA-256', async () => {
    const link = new LocalLink();
    await writeFile(join(dir, 'a'), 'hello');
    const sent = await link.upload(join(dir, 'a'), join(dir, 'b'));
    expect(sent).toEqual({ bytes: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('hello');
  });
});
