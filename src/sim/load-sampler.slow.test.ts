import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadSampler } from './load-sampler.ts';

const children: ChildProcess[] = [];
let folder = '';

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  if (folder !== '') await rm(folder, { recursive: true, force: true });
});

/** Starts `node -e <code>` and waits until it runs (it prints `ready`). */
async function start(code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `process.stdout.write('ready\\n'); ${code}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await once(child.stdout!, 'data');
  return child;
}

function total(cpu: number[]): number {
  return cpu.reduce((sum, value) => sum + value, 0);
}

describe('LoadSampler', () => {
  it('measures a busy child as most of a core and an idle one as about nothing', async () => {
    const busy = await start('while (true) {}');
    const idle = await start('setInterval(() => {}, 1000)');
    const busySampler = new LoadSampler({ cores: 4 });
    const idleSampler = new LoadSampler({ cores: 4 });
    busySampler.track(busy.pid!);
    idleSampler.track(idle.pid!);
    const begin = Date.now();
    busySampler.sample(begin);
    idleSampler.sample(begin);
    // The measured quantity is CPU time over wall time, so the test needs real time to pass. On a
    // loaded two-core machine the busy child gets what the scheduler leaves it, not a whole core:
    // what must hold is that it shows as clearly busy, first core first, and the idle one as not.
    await delay(500);
    const end = Date.now();
    const busyLoad = busySampler.sample(end);
    const idleLoad = idleSampler.sample(end);
    expect(total(busyLoad.cpu)).toBeGreaterThan(0.15);
    expect(busyLoad.cpu[0]).toBe(Math.max(...busyLoad.cpu));
    expect(total(idleLoad.cpu)).toBeLessThan(total(busyLoad.cpu) / 3);
    busySampler.untrack(busy.pid!);
    await delay(50);
    expect(total(busySampler.sample(Date.now()).cpu)).toBe(0);
  });

  it('counts grandchildren, in-process busy work and the agent GPU-load file', async () => {
    folder = await mkdtemp(join(tmpdir(), 'jwb-load-'));
    const gpuLoadFile = join(folder, 'gpu-load');
    const parent = await start(
      `const c = require('node:child_process').spawn(process.execPath, ['-e', 'while (true) {}'], { stdio: 'ignore' }); process.on('SIGTERM', () => { c.kill('SIGKILL'); process.exit(0); }); setInterval(() => {}, 1000)`,
    );
    const sampler = new LoadSampler({ cores: 2, gpuLoadFile });
    sampler.track(parent.pid!);
    expect(sampler.sample(Date.now()).gpu).toBe(0);
    await writeFile(gpuLoadFile, '0.75\n');
    await delay(500);
    const load = sampler.sample(Date.now());
    expect(total(load.cpu)).toBeGreaterThan(0.15); // the grandchild's loop, counted (a loaded machine gives it less than a core)
    expect(load.gpu).toBe(0.75);
    parent.kill('SIGTERM');
    await once(parent, 'exit');
    const now = Date.now();
    sampler.untrack(parent.pid!);
    sampler.addBusy(1.5, now + 1000);
    sampler.sample(now);
    expect(sampler.sample(now + 100).cpu).toEqual([1, 0.5]);
    expect(sampler.sample(now + 2000).cpu).toEqual([0, 0]);
  });
});
