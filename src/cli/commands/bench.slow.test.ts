/**
 * `jwb bench` and `jwb report` end to end: a `jwb sim` child process is the
 * board, `node bin/jwb.js bench` measures it over SSH, and `jwb report`
 * writes the HTML (and CSV, JSON, and a PDF where Chromium is installed).
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistOrSynthetic } from '../../main/bench/datasets.ts';
import { findChromium } from '../../main/bench/pdf.ts';
import type { BoardDescriptor } from '../../sim/fleet.ts';
import type { ConditionSummary } from '../../shared/bench/summary.ts';

const jwb = new URL('../../../bin/jwb.js', import.meta.url).pathname;
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const folder = mkdtempSync(join(tmpdir(), 'jwb-cli-bench-'));
const env = { ...process.env, JWB_DATA_DIR: join(folder, 'data'), SIM_PASSWORD: '', SSH_AUTH_SOCK: '' };
let sim: ChildProcessByStdio<null, Readable, Readable>;
let board: BoardDescriptor;

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jwb, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!hasNumpy)('jwb bench and jwb report against jwb sim', () => {
  beforeAll(async () => {
    sim = spawn(process.execPath, [jwb, 'sim', '--model', 'orin-nano', '--host', '127.0.0.91', '--port', '0', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    board = await new Promise<BoardDescriptor>((resolve, reject) => {
      let text = '';
      sim.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = text.split('\n').find((candidate) => candidate.startsWith('{'));
        if (line !== undefined && text.includes('\n')) resolve(JSON.parse(line) as BoardDescriptor);
      });
      sim.once('exit', (code) => reject(new Error(`jwb sim exited with ${code}`)));
    });
    env.SIM_PASSWORD = board.password;
  }, 30_000);

  afterAll(async () => {
    if (sim && sim.exitCode === null) {
      const exited = new Promise((resolve) => sim.once('exit', resolve));
      sim.kill('SIGINT');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('benchmarks mnist-train twice, then writes the report with the same numbers', async () => {
    const data = fashionMnistOrSynthetic(folder, 3000, 500);
    const bench = await run(
      'bench',
      `${board.user}@${board.host}:${board.port}`,
      '--suite',
      'mnist-train',
      '--framework',
      'numpy',
      '--repeats',
      '2',
      '--epochs',
      '1',
      '--data',
      data,
      '--power-mode',
      '1',
      '--password-env',
      'SIM_PASSWORD',
      '--json',
    );
    expect(bench.status, bench.stderr + bench.stdout.slice(-2000)).toBe(0);
    const lines = bench.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stage?: string; [key: string]: unknown });
    expect(lines.filter((line) => line.stage === 'run-done')).toHaveLength(2);
    const summary = lines.at(-1) as {
      type: string;
      planId: string;
      counts: { done: number };
      conditions: ConditionSummary[];
    };
    expect(summary).toMatchObject({ type: 'summary', counts: { done: 2, failed: 0, cancelled: 0 } });
    const [condition] = summary.conditions;
    expect(condition?.parts).toMatchObject({ suite: 'mnist-train', framework: 'numpy', batch: null, powerMode: { nvpmodel: 1 } });
    // `jwb sim` is reached by address: its identification says it is simulated, and so does every figure.
    expect(condition?.parts.board).toMatchObject({ label: `${board.user}@${board.host}:${board.port}`, simulated: true });
    expect(condition?.accuracy?.median).toBeGreaterThan(0.3);
    expect(condition?.jPerSample).toMatchObject({ n: 2 });
    expect(condition?.jPerSample?.median).toBeGreaterThan(0);
    expect(condition?.energy).toMatchObject({ method: 'integral', source: 'hwmon' });

    const out = join(folder, 'out', 'report.html');
    const pdf = findChromium(env) !== null;
    const report = await run('report', '--latest', '--out', out, ...(pdf ? ['--pdf'] : []), '--json');
    expect(report.status, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ planId: summary.planId, runs: 2 });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('nvpmodel 1');
    expect(html).toContain('Orin Nano');
    expect(html).toContain('simulated board');
    expect(
      readFileSync(join(folder, 'out', 'report.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(3);
    if (pdf)
      expect(
        readFileSync(join(folder, 'out', 'report.pdf'))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    else expect(existsSync(join(folder, 'out', 'report.pdf'))).toBe(false);
    // Three jwb processes, two trainings and a PDF: on a loaded 2-core machine this took over 45 s.
  }, 150_000);
});
