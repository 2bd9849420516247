import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startFleet } from '../sim/fleet.ts';

const jwb = new URL('../../bin/jwb.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'jwb-cli-install-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Async on purpose: the simulated board lives in this process and must keep answering. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [jwb, ...args], { encoding: 'utf8', env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

it('installs jetson-stats on a simulated board, writes the procedure, and refuses an unsupported pair', async () => {
  const fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.3', port: 0, password: 'Qz7-cli-pw' });
  try {
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const env = { ...process.env, JWB_DATA_DIR: dataDir, BOARD_PW: board.password };
    const where = `${board.user}@${board.host}:${board.port}`;
    const doc = join(dataDir, 'procedure.md');
    const result = await run(['install', where, 'jetson-stats', '--password-env', 'BOARD_PW', '--json', '--doc', doc], env);
    expect(result.stderr).toContain('[3/3] Install jetson-stats (jtop)');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ library: 'jetson-stats', family: 'jp6', verification: { version: '4.3.2' } });
    const markdown = readFileSync(doc, 'utf8');
    expect(markdown).toContain('| 3 | Install jetson-stats (jtop) | ` sudo pip3 install -U jetson-stats ` | done |');
    expect(`${markdown}${result.stdout}${result.stderr}`).not.toContain(board.password);

    const refused = await run(['install', where, 'caffe', '--password-env', 'BOARD_PW', '--json'], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'unsupported' } });
    expect(refused.stderr).toMatch(/jwb install: Caffe \(BVLC, source build\) on JetPack 6\.2\.1: Caffe is unmaintained/);
  } finally {
    await fleet.dispose();
  }
});

it('installs from a folder with --offline, and names the missing wheel with its pip download line', async () => {
  const fleet = await startFleet({ profile: 'orin-nano', count: 1, host: '127.0.0.3', port: 0, password: 'Qz7-cli-pw' });
  try {
    const board = fleet.boards[0];
    if (board === undefined) throw new Error('no board');
    const env = { ...process.env, JWB_DATA_DIR: mkdtempSync(join(dataDir, 'offline-data-')), BOARD_PW: board.password };
    const where = `${board.user}@${board.host}:${board.port}`;
    const files = mkdtempSync(join(dataDir, 'offline-files-'));
    writeFileSync(join(files, 'python3-pip_22.0.2+dfsg-1ubuntu0.4_all.deb'), 'deb');
    const args = ['install', where, 'jetson-stats', '--password-env', 'BOARD_PW', '--offline', files];
    const missing = await run(args, env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`pip download jetson-stats --platform manylinux2014_aarch64 --python-version 3.10`);

    writeFileSync(join(files, 'jetson_stats-4.3.2-py3-none-any.whl'), 'PK\x05\x06');
    const result = await run(args, env);
    expect(result.stderr).toContain(`$ sudo pip3 install --no-index --find-links /home/${board.user}/.jwb/offline jetson-stats`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('jetson-stats (jtop) 4.3.2 installed');
  } finally {
    await fleet.dispose();
  }
});

it('refuses an --offline folder that does not exist or is a file, before connecting', async () => {
  const env = { ...process.env, JWB_DATA_DIR: mkdtempSync(join(dataDir, 'offline-check-')) };
  // Nothing listens on this port: the folder check must answer before any connection is tried.
  const where = 'jetson@127.0.0.3:9';
  const absent = await run(['install', where, 'jetson-stats', '--offline', join(dataDir, 'no-such-folder'), '--json'], env);
  expect(absent.code).toBe(1);
  expect(JSON.parse(absent.stdout)).toMatchObject({ error: { code: 'not-found' } });
  expect(absent.stderr).toContain(`The offline folder ${join(dataDir, 'no-such-folder')} does not exist on this computer.`);

  const file = join(dataDir, 'a-file.whl');
  writeFileSync(file, 'not a folder');
  const notFolder = await run(['install', where, 'jetson-stats', '--offline', file, '--json'], env);
  expect(notFolder.code).toBe(1);
  expect(JSON.parse(notFolder.stdout)).toMatchObject({ error: { code: 'invalid-request' } });
  expect(notFolder.stderr).toContain(`${file} is a file, not a folder`);
});
