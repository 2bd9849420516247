import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpv4Addresses } from '../shared/identify/parse-system.ts';
import { parseTegrastats } from '../shared/telemetry/tegrastats-parser.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { connect, exec } from './testing.ts';

const run = promisify(execFile);
let fleet: Fleet;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jwb-ssh-test-'));
  fleet = await startFleet({ profile: 'orin-nano', count: 2, port: 0, tickMs: 100 });
});
afterAll(async () => {
  await fleet.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function openSsh(board: Fleet['boards'][number], extra: string[], command: string, env: NodeJS.ProcessEnv = {}) {
  return run(
    'ssh',
    [
      '-F',
      '/dev/null',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      `UserKnownHostsFile=${join(scratch, 'known_hosts')}`,
      '-p',
      String(board.port),
      ...extra,
      `${board.user}@${board.host}`,
      command,
    ],
    {
      env: { PATH: process.env.PATH, ...env },
      timeout: 20_000,
    },
  );
}

describe('the real OpenSSH client', () => {
  it('logs in with a password and reads the model', async () => {
    const board = fleet.boards[0]!;
    const askpass = join(scratch, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho '${board.password}'\n`);
    chmodSync(askpass, 0o700);
    const { stdout } = await openSsh(
      board,
      ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
      'cat /proc/device-tree/model',
      {
        SSH_ASKPASS: askpass,
        SSH_ASKPASS_REQUIRE: 'force',
        DISPLAY: ':0',
      },
    );
    expect(stdout.replace(/\0$/, '')).toBe(board.modelName);
  });

  it('logs in with a key installed in ~/.ssh/authorized_keys', async () => {
    const board = fleet.boards[0]!;
    const keyPath = join(scratch, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
    const client = await connect(board);
    const installed = await exec(client, `mkdir -p ~/.ssh && cat >> ~/.ssh/authorized_keys`, readFileSync(`${keyPath}.pub`, 'utf8'));
    client.end();
    expect(installed.code).toBe(0);
    const { stdout } = await openSsh(
      board,
      ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', keyPath],
      'cat /proc/device-tree/model',
    );
    expect(stdout.replace(/\0$/, '')).toBe(board.modelName);
    const known = readFileSync(join(scratch, 'known_hosts'), 'utf8');
    expect(known).toContain('ssh-ed25519');
  });
});

describe('exec, shell and sftp through ssh2', () => {
  it('returns exit codes, stderr and command-not-found', async () => {
    const client = await connect(fleet.boards[0]!);
    expect(await exec(client, 'true && false')).toMatchObject({ code: 1 });
    expect(await exec(client, 'nosuchtool --x')).toMatchObject({ code: 127, stderr: 'bash: nosuchtool: command not found\n' });
    expect(await exec(client, 'echo out; echo err >&2; exit 3')).toMatchObject({ stdout: 'out\n', stderr: 'err\n', code: 3 });
    expect((await exec(client, 'nproc')).stdout).toBe('6\n');
    client.end();
  });

  it('prints ip -4 -o addr one line per address, as iproute2 does, and the identify parser reads it', async () => {
    const board = fleet.boards[0]!;
    const client = await connect(board);
    const oneLine = (await exec(client, 'ip -4 -o addr')).stdout.split('\n').filter(Boolean);
    expect(oneLine).toEqual([
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      `2: eth0    inet ${board.host}/8 brd 127.255.255.255 scope global dynamic noprefixroute eth0\\       valid_lft 86234sec preferred_lft 86234sec`,
    ]);
    expect(parseIpv4Addresses(oneLine.join('\n'))).toEqual([`${board.host}/8`]);
    expect((await exec(client, 'ip -4 addr')).stdout.split('\n').filter(Boolean)).toHaveLength(6);
    client.end();
  });

  it('needs sudo for nvpmodel -m, then changes the mode', async () => {
    const client = await connect(fleet.boards[0]!);
    const denied = await exec(client, 'nvpmodel -m 1');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('NVPM ERROR');
    const wrong = await exec(client, 'sudo -S nvpmodel -m 1', 'nope\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('[sudo] password for jetson: ');
    expect(wrong.stderr).toContain('Sorry, try again.');
    const right = await exec(client, 'sudo -S nvpmodel -m 1 && nvpmodel -q', 'jetson\n');
    expect(right.stdout).toBe('NV Power Mode: 25W\n1\n');
    expect(await exec(client, 'sudo -n true')).toMatchObject({ code: 1, stderr: 'sudo: a password is required\n' });
    client.end();
  });

  it('runs an interactive pty shell with a prompt and Ctrl-C', async () => {
    const client = await connect(fleet.boards[1]!);
    const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm' }, (error, stream) => (error ? reject(error) : resolve(stream))),
    );
    let screen = '';
    const waitFor = (text: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (screen.includes(text)) {
            channel.off('data', onData);
            resolve();
          }
        };
        const onData = (data: Buffer): void => {
          screen += data.toString();
          check();
        };
        channel.on('data', onData);
        check();
      });
    await waitFor(`jetson@${fleet.boards[1]!.name}:~$ `);
    channel.write('hostname\r');
    await waitFor(`${fleet.boards[1]!.name}\r\n`);
    channel.write('sleep 30\r');
    channel.write('\x03');
    await waitFor('^C');
    channel.write('exit 4\r');
    const code = await new Promise((resolve) => channel.on('exit', resolve));
    expect(code).toBe(4);
    client.end();
  });

  it('uploads and downloads over sftp inside the sandbox', async () => {
    const client = await connect(fleet.boards[0]!);
    const sftp = await new Promise<ssh2.SFTPWrapper>((resolve, reject) =>
      client.sftp((error, session) => (error ? reject(error) : resolve(session))),
    );
    const local = join(scratch, 'upload.bin');
    writeFileSync(local, Buffer.alloc(300_000, 7));
    await new Promise<void>((resolve, reject) => sftp.fastPut(local, 'agent.bin', (error) => (error ? reject(error) : resolve())));
    const hash = await exec(client, 'sha256sum agent.bin');
    expect(hash.stdout.split(' ')[0]).toMatch(/^[0-9a-f]{64}$/);
    const back = join(scratch, 'download.bin');
    await new Promise<void>((resolve, reject) =>
      sftp.fastGet('/home/jetson/agent.bin', back, (error) => (error ? reject(error) : resolve())),
    );
    expect(readFileSync(back).equals(readFileSync(local))).toBe(true);
    const escaped = await new Promise<Error | undefined>((resolve) =>
      sftp.stat('../../../../../etc/hostname', (error, stats) => resolve(error ?? (stats.size > 0 ? undefined : new Error('empty')))),
    );
    // `..` stops at the sandbox root: this is the board's own /etc/hostname.
    expect(escaped).toBeUndefined();
    const names = await new Promise<string[]>((resolve, reject) =>
      sftp.readdir('/etc', (error, list) => (error ? reject(error) : resolve(list.map((entry) => entry.filename)))),
    );
    expect(names).toContain('nv_tegra_release');
    expect(names).not.toContain('passwd');
    client.end();
  });

  it('installs with apt and pip, persisting across reconnects, and python3 imports the simulated torch', async () => {
    const board = fleet.boards[1]!;
    let client = await connect(board);
    expect(await exec(client, 'nvcc --version')).toMatchObject({ code: 127 });
    expect(await exec(client, 'sudo -S apt-get install -y nosuchpkg', 'jetson\n')).toMatchObject({
      code: 100,
      stderr: expect.stringContaining('E: Unable to locate package nosuchpkg'),
    });
    const apt = await exec(client, 'sudo -S apt-get install -y nvidia-jetpack', 'jetson\n');
    expect(apt.code).toBe(0);
    expect(apt.stdout).toContain('Setting up nvidia-jetpack');
    const pip = await exec(client, 'pip3 install --index-url https://pypi.jetson-ai-lab.io/jp6/cu126 torch');
    expect(pip.stdout).toMatch(/Successfully installed torch-/);
    expect(await exec(client, 'pip3 install nosuchwheel')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ERROR: Could not find a version that satisfies the requirement nosuchwheel'),
    });
    client.end();
    client = await connect(board);
    expect((await exec(client, 'nvcc --version')).stdout).toContain('Cuda compilation tools, release 12.6');
    expect((await exec(client, 'dpkg -l nvidia-jetpack')).stdout).toMatch(/^ii {2}nvidia-jetpack/m);
    const python = await exec(
      client,
      `python3 -c 'import torch, tensorrt; print(torch.SIMULATED, torch.__version__, torch.cuda.is_available(), tensorrt.__version__)'`,
    );
    expect(python.stderr).toBe('');
    expect(python.stdout).toMatch(/^True \S+ True \d+\.\d+/);
    client.end();
  });

  it('streams tegrastats, and a CPU-heavy python3 raises the input rail', async () => {
    const client = await connect(fleet.boards[0]!);
    const idle = await exec(client, 'tegrastats --interval 100 | head -n 3');
    const idleLines = idle.stdout
      .trim()
      .split('\n')
      .map((line) => parseTegrastats(line));
    expect(idleLines).toHaveLength(3);
    const inputOf = (sample: ReturnType<typeof parseTegrastats>): number => sample?.inputMw ?? 0;
    const idleMw = Math.max(...idleLines.map(inputOf));
    const heavy = exec(
      client,
      `python3 -c 'import multiprocessing as m, time${'\n'}def spin(_):${'\n'}    end = time.time() + 2.5${'\n'}    while time.time() < end: pass${'\n'}m.Pool(6).map(spin, range(6))'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const loaded = await exec(client, 'tegrastats --interval 200 | head -n 3');
    await heavy;
    const loadedMw = Math.max(
      ...loaded.stdout
        .trim()
        .split('\n')
        .map((line) => inputOf(parseTegrastats(line))),
    );
    // Six spinning processes; on a 2-core CI host that is at least a third of the board's cores.
    expect(loadedMw).toBeGreaterThan(idleMw + 400);
    client.end();
  });
});
