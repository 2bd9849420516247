import { describe, expect, it } from 'vitest';
import { identifyScript, identifyScriptOffline } from './identify-script.ts';

describe('identifyScript', () => {
  it('marks every probe, and only the full script lets the board check the internet', () => {
    const markers = [...identifyScript.matchAll(/^echo @@jwb:([\w-]+);/gm)].map((match) => match[1]);
    expect(markers).toEqual([
      'model',
      'simulated',
      'serial',
      'tegra',
      'os',
      'uname',
      'nproc',
      'meminfo',
      'df',
      'nvpmodel',
      'nvpmodel-modes',
      'dpkg',
      'nvcc',
      'python',
      'frameworks',
      'ip',
      'nvidia-smi',
      'internet',
    ]);
    expect(identifyScriptOffline).not.toContain('getent');
    expect(identifyScript).toContain('timeout 3 getent hosts pypi.org');
  });

  it('uses only the shell syntax both a real sh and the simulator read (no functions, no command substitution)', () => {
    expect(identifyScript).not.toMatch(/\$\(|`|\(\)\s*\{/);
  });
});
