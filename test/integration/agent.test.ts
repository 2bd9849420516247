/**
 * The on-board agent's own Python suite (resources/agent/tests) runs under `npm test`:
 * Debian's /usr/bin/python3 with pytest and numpy, the interpreter the simulator lends
 * simulated boards. Skipped, with the reason printed, where those are missing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const python = '/usr/bin/python3';

function missingPrerequisite(): string | null {
  const check = spawnSync(python, ['-c', 'import pytest, numpy'], { encoding: 'utf8' });
  if (check.error) return `${python} not found (${check.error.message})`;
  if (check.status !== 0) return `${python} lacks pytest or numpy: ${check.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}

const reason = missingPrerequisite();
if (reason !== null) console.warn(`skipping the agent's Python tests: ${reason}`);

describe.skipIf(reason !== null)('on-board agent (pytest)', () => {
  it('passes resources/agent/tests', () => {
    const run = spawnSync(python, ['-m', 'pytest', 'resources/agent/tests', '-q', '-p', 'no:cacheprovider'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 110_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.error, output).toBeUndefined();
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/\d+ passed/);
  }, 120_000);
});
