/**
 * `jwb lab` end to end against a `jwb sim` board: a malformed lab file is
 * refused with its field and line, a lab for other modules is refused before
 * anything is installed, and a lab runs through install, its plan (6
 * repeats, so every figure has a confidence interval) and the hand-in report.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../main/bench/pdf.ts';
import type { BoardDescriptor } from '../../sim/fleet.ts';
import { jsonLines, runJwb } from '../../../test/support/run-jwb.ts';

const jwb = new URL('../../../bin/jwb.js', import.meta.url).pathname;
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const folder = mkdtempSync(join(tmpdir(), 'jwb-cli-lab-'));
const env = { ...process.env, JWB_DATA_DIR: join(folder, 'data'), SIM_PASSWORD: '', SSH_AUTH_SOCK: '' };
let sim: ChildProcessByStdio<null, Readable, Readable>;
let target = '';

function labFile(name: string, lab: Record<string, unknown>): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(lab, null, 2));
  return path;
}

const plan = { suites: ['mnist-train'], frameworks: ['numpy'], repeats: 6, epochs: 1, trainLimit: 2000, testLimit: 300 };

describe.skipIf(!hasNumpy)('jwb lab against jwb sim', () => {
  beforeAll(async () => {
    sim = spawn(process.execPath, [jwb, 'sim', '--model', 'orin-nano', '--host', '127.0.0.92', '--port', '0', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const board = await new Promise<BoardDescriptor>((resolve, reject) => {
      let text = '';
      sim.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = text.split('\n').find((candidate) => candidate.startsWith('{'));
        if (line !== undefined && text.includes('\n')) resolve(JSON.parse(line) as BoardDescriptor);
      });
      sim.once('exit', (code) => reject(new Error(`jwb sim exited with ${code}`)));
    });
    env.SIM_PASSWORD = board.password;
    target = `${board.user}@${board.host}:${board.port}`;
  }, 30_000);

  afterAll(async () => {
    if (sim && sim.exitCode === null) {
      const exited = new Promise((resolve) => sim.once('exit', resolve));
      sim.kill('SIGINT');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a malformed lab file, naming the field and its line, and starts nothing', async () => {
    const bad = labFile('bad.lab.json', { version: 1, title: 'Lab', plan: { ...plan, repeats: 3 } });
    const checked = await runJwb(['lab', 'validate', bad], { env });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('bad.lab.json:11: plan.repeats: Use at least 6 repeats');
    const ran = await runJwb(['lab', 'run', bad, '--board', target, '--password-env', 'SIM_PASSWORD'], { env });
    expect(ran.status).toBe(1);
    expect(ran.stderr).not.toContain('identifying');
  });

  it('refuses a board the lab does not allow before installing anything', async () => {
    const agx = labFile('agx.lab.json', { version: 1, title: 'AGX lab', modules: ['agx-orin'], libraries: ['jetson-stats'], plan });
    const ran = await runJwb(['lab', 'run', agx, '--board', target, '--password-env', 'SIM_PASSWORD'], { env });
    expect(ran.status).toBe(1);
    expect(ran.stderr).toMatch(/This lab is for agx-orin; the board is NVIDIA Jetson Orin Nano/);
    expect(ran.stderr).not.toContain('installing');
  });

  it('installs, runs the plan and writes the report naming the student and group', async () => {
    const lab = labFile('orin.lab.json', {
      version: 1,
      title: 'MNIST energy on Orin',
      modules: ['orin-nano', 'orin-nx'],
      libraries: ['jetson-stats'],
      plan,
      report: { title: 'MNIST energy: group report' },
    });
    expect((await runJwb(['lab', 'validate', lab], { env })).stdout).toContain(
      'a valid lab file: "MNIST energy on Orin": installs jetson-stats',
    );
    const ran = await runJwb(
      [
        'lab',
        'run',
        lab,
        '--board',
        target,
        '--password-env',
        'SIM_PASSWORD',
        '--sudo-password-env',
        'SIM_PASSWORD',
        '--student',
        'Ada Lovelace',
        '--group',
        'B2',
        '--json',
      ],
      { env },
    );
    expect(ran.status, ran.stderr).toBe(0);
    const report = jsonLines(ran.stdout).at(-1) as { type: string; counts: { done: number }; html: string; pdf: string | null };
    expect(report).toMatchObject({ type: 'report', counts: { done: 6, failed: 0 } });
    const html = readFileSync(report.html, 'utf8');
    expect(html).toContain('<title>MNIST energy: group report</title>');
    expect(html).toContain('<dt>Student</dt><dd>Ada Lovelace</dd><dt>Group</dt><dd>B2</dd>');
    expect(html).toContain('<tr><th>JetPack</th><td>');
    expect(html).toMatch(/95 % CI \[/);
    expect(existsSync(report.html.replace(/\.html$/, '.csv'))).toBe(true);
    if (findChromium() !== null) expect(existsSync(report.pdf as string)).toBe(true);
  }, 300_000);
});
