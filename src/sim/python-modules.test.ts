/**
 * The simulated GPU libraries, run by the interpreter the simulator runs
 * (commands/python.ts). JAX's stand-in answers the install recipe's own
 * verification program where the board has CUDA, shows only the CPU where it
 * has none (so that verification fails there, as it would for real), and its
 * jax.numpy computes, saying it is simulated.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimProfile } from './model.ts';
import { getProfile } from './profiles.ts';
import { simulatedSitePackages, writeSimulatedModules } from './python-modules.ts';

const hostPython = '/usr/bin/python3';
const recipe = JSON.parse(readFileSync(new URL('../../resources/recipes/jax.json', import.meta.url), 'utf8')) as {
  families: { jp6: { verification: { program: string } } };
};
const verification = recipe.families.jp6.verification.program;

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jwb-sim-modules-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function python(profile: SimProfile, program: string): { status: number | null; stdout: string; stderr: string } {
  writeSimulatedModules(root, profile, { jax: '0.4.28' });
  const result = spawnSync(hostPython, ['-c', program], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: join(root, simulatedSitePackages), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const withoutCuda = (): SimProfile => {
  const profile = getProfile('orin-nano');
  return { ...profile, versions: { ...profile.versions, cuda: null } };
};

describe('the simulated jax module', () => {
  it("answers the JAX recipe's verification on a JetPack 6 board: its CUDA device, and no GPU op claimed", () => {
    const result = python(getProfile('orin-nano'), verification);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual(['version=0.4.28', 'cuda=True', 'gpu-op=simulated']);
  });

  it('shows only the CPU on a board without CUDA, so the verification says so, and refuses the GPU backend', () => {
    expect(python(withoutCuda(), verification).stdout.split('\n')).toContain('cuda=False');
    const gpu = python(withoutCuda(), 'import jax\nprint(jax.devices())\njax.devices("gpu")');
    expect(gpu.stdout).toBe("[SimulatedDevice(platform='cpu', id=0)]");
    expect(gpu.stderr).toContain("RuntimeError: Unknown backend: 'gpu' requested");
  });

  it('computes with jax.numpy (NumPy on the CPU) and says it is simulated', () => {
    const result = python(
      getProfile('orin-nano'),
      'import jax, jax.numpy as jnp\nprint(float((jnp.ones(4) * 2).sum()), jax.SIMULATED, jnp.SIMULATED)',
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('8.0 True True');
  });
});
