/**
 * The on-board agent on a simulated Orin Nano, end to end over a real ssh2 client: pushed with
 * SFTP, run by the board's python3 (the host's real Python, confined to the board's files), it
 * finds the board's INA3221 hwmon rails, and the simulated GPU's power rises between the
 * agent's `begin` and `end` markers because the agent reports GPU load through
 * $JWB_SIM_GPU_LOAD_FILE. Every profile's preferred source is checked through a benchmark plan
 * in src/main/bench/service.slow.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import type ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/sim/fleet.ts';
import { connect, exec } from '../../src/sim/testing.ts';

const agentRoot = fileURLToPath(new URL('../../resources/agent', import.meta.url));
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!hasNumpy) console.warn('skipping the agent-on-simulator test: /usr/bin/python3 lacks numpy');

interface Line {
  type: string;
  [key: string]: unknown;
}

function agentFiles(folder = join(agentRoot, 'jwb_agent')): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === '__pycache__' ? [] : agentFiles(path);
    return name.endsWith('.py') ? [path] : [];
  });
}

function sftpOf(client: ssh2.Client): Promise<ssh2.SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
}

async function push(client: ssh2.Client): Promise<void> {
  const sftp = await sftpOf(client);
  const call = (run: (done: (error?: Error | null) => void) => void): Promise<void> =>
    new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
  const folders = new Set<string>();
  for (const file of agentFiles()) {
    const target = `jwb-agent/${relative(agentRoot, file)}`;
    const parts = target.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const folder = parts.slice(0, depth).join('/');
      if (folders.has(folder)) continue;
      folders.add(folder);
      await call((done) => sftp.mkdir(folder, () => done()));
    }
    await call((done) => sftp.fastPut(file, target, done));
  }
  sftp.end();
}

function parse(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((text) => text.length > 0)
    .map((text) => JSON.parse(text) as Line);
}

let fleet: Fleet;
let client: ssh2.Client;

describe.skipIf(!hasNumpy)('the agent on a simulated board', () => {
  beforeAll(async () => {
    fleet = await startFleet({ profile: 'orin-nano', count: 1, port: 0, tickMs: 50 });
    client = await connect(fleet.boards[0]!);
    await push(client);
    const pip = await exec(client, 'pip3 install --index-url https://pypi.jetson-ai-lab.io/jp6/cu126 torch');
    expect(pip.code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    client?.end();
    await fleet?.dispose();
  });

  it('probes the board: its model, its hwmon rails and the simulated torch', async () => {
    const result = await exec(client, 'cd jwb-agent && python3 -m jwb_agent probe');
    expect(result.code, result.stderr).toBe(0);
    const [probe] = parse(result.stdout) as [
      Line & {
        hardware: { model: string };
        power_sources: { name: string; available: boolean; rails?: string[] }[];
        software: { frameworks: Record<string, { installed: boolean; simulated?: boolean }> };
      },
    ];
    expect(probe.type).toBe('probe');
    expect(probe.hardware.model).toMatch(/Orin Nano/);
    const hwmon = probe.power_sources.find((source) => source.name === 'hwmon');
    expect(hwmon?.available).toBe(true);
    expect(hwmon?.rails).toContain('VDD_IN');
    expect(probe.software.frameworks.torch).toMatchObject({ installed: true, simulated: true });
  });

  it('benchmarks with power: the GPU rail rises between begin and end, and energy is reported', async () => {
    const command =
      'cd jwb-agent && python3 -m jwb_agent bench --suite gemm --framework torch --size 64 --seconds 2.5 --warmup 1 --power hwmon --power-hz 20';
    const result = await exec(client, command);
    expect(
      result.code,
      result.stdout
        .split('\n')
        .filter((text) => text.includes('result'))
        .join('\n') + result.stderr,
    ).toBe(0);
    const lines = parse(result.stdout);
    const begin = lines.find((line) => line.type === 'begin') as Line & { t: number };
    const end = lines.find((line) => line.type === 'end') as Line & { t: number };
    const samples = lines.filter((line) => line.type === 'sample') as (Line & { t: number[]; rails: Record<string, number[]> })[];
    const gpu = samples.flatMap((line) => line.t.map((t, index) => ({ t, mw: line.rails['VDD_CPU_GPU_CV']![index]! })));
    // The first reading precedes the warm-up (the simulated rails lag load by ~0.33 s).
    const before = gpu.slice(0, 1).map((sample) => sample.mw);
    const during = gpu.filter((sample) => sample.t > begin.t + 0.5 && sample.t < end.t).map((sample) => sample.mw);
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(before.length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(10);
    expect(mean(during)).toBeGreaterThan(mean(before) * 1.5);
    const final = lines.at(-1) as Line & {
      status: string;
      simulated: boolean;
      energy: { joules: number; average_w: number; j_per_sample: number; covered: boolean };
    };
    expect(final).toMatchObject({ type: 'result', status: 'ok', simulated: true });
    expect(final.energy.covered).toBe(true);
    expect(final.energy.joules).toBeCloseTo(final.energy.average_w * 2.5, -1);
    expect(final.energy.j_per_sample).toBeGreaterThan(0);
    // Sample lines also carry the board's GPU load and temperatures, as often as their cost allows
    // (the simulated board has no /proc/stat of its own, so no CPU load).
    const withLoads = samples.filter((line) => typeof line.gpu_load === 'number' && Object.keys((line.temps ?? {}) as object).length > 0);
    expect(withLoads.length).toBeGreaterThan(0);
  });
});
