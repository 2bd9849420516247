import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { isSupported, type SupportedPlan } from '../../shared/install/recipe.ts';
import { checkOfflineFolder, debFor, offlineOverrides, planOffline, wheelFor } from './offline.ts';
import { findRecipe } from './recipes.ts';
import { checkoutResources } from '../shell/checkout-resources.ts';

const folder = mkdtempSync(join(tmpdir(), 'jwb-offline-unit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function jp6(library: string): SupportedPlan {
  const plan = findRecipe(library, checkoutResources.recipesDir).families.jp6;
  if (!isSupported(plan)) throw new Error(`${library} has no jp6 plan`);
  return plan;
}

function folderWith(files: string[]): string {
  const dir = mkdtempSync(join(folder, 'files-'));
  for (const file of files) writeFileSync(join(dir, file), file);
  return dir;
}

describe('offline file matching', () => {
  it('matches wheels by normalised name and pinned version, and URLs by file name', () => {
    const files = ['Jetson_Stats-4.3.2-py3-none-any.whl', 'torch-2.5.0-cp310-cp310-linux_aarch64.whl', 'numpy-1.26.4.tar.gz'];
    expect(wheelFor('jetson-stats', files)).toBe('Jetson_Stats-4.3.2-py3-none-any.whl');
    expect(wheelFor('torch==2.5.0', files)).toBe('torch-2.5.0-cp310-cp310-linux_aarch64.whl');
    expect(wheelFor('torch==2.4.0', files)).toBeNull();
    expect(wheelFor('numpy', files)).toBeNull();
    expect(wheelFor('https://example.org/whl/torch-2.5.0-cp310-cp310-linux_aarch64.whl', files)).toBe(files[1]);
    expect(debFor('python3-pip', ['python3-pip-whl_1_all.deb', 'python3-pip_22.0.2_all.deb'])).toBe('python3-pip_22.0.2_all.deb');
  });

  it('lists every missing file with pip download and apt-get download lines', () => {
    const dir = folderWith([]);
    const error = (() => {
      try {
        planOffline(jp6('jetson-stats'), dir);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(WorkbenchFailure);
    expect((error as WorkbenchFailure).message).toBe(
      [
        `The offline folder ${dir} lacks: jetson-stats, python3-pip (.deb).`,
        'On a computer with internet, run:',
        `  pip download jetson-stats --platform manylinux2014_aarch64 --python-version 3.10 '--only-binary=:all:' -d ${dir}`,
        `  cd ${dir} && apt-get download python3-pip`,
        'then start the install again.',
      ].join('\n'),
    );
  });

  it('rewrites pip and apt steps to install from the board folder and skips apt-get update', () => {
    const dir = folderWith(['jetson_stats-4.3.2-py3-none-any.whl', 'python3-pip_22.0.2_all.deb', 'unused-1.0-py3-none-any.whl']);
    const plan = planOffline(jp6('jetson-stats'), dir);
    expect(plan.files).toEqual(['python3-pip_22.0.2_all.deb', 'jetson_stats-4.3.2-py3-none-any.whl']);
    expect([...offlineOverrides(plan, '/home/nvidia/.jwb/offline')]).toEqual([
      [0, null],
      [1, { argv: ['apt-get', 'install', '-y', '/home/nvidia/.jwb/offline/python3-pip_22.0.2_all.deb'], sudo: true }],
      [2, { argv: ['pip3', 'install', '--no-index', '--find-links', '/home/nvidia/.jwb/offline', 'jetson-stats'], sudo: true }],
    ]);
  });
});

describe('checkOfflineFolder', () => {
  function failureOf(path: string): WorkbenchFailure {
    try {
      checkOfflineFolder(path);
    } catch (error) {
      if (error instanceof WorkbenchFailure) return error;
      throw error;
    }
    throw new Error(`${path} was accepted`);
  }

  it('accepts a folder, refuses a missing path (not-found) and a file (invalid-request)', () => {
    const dir = folderWith([]);
    expect(checkOfflineFolder(dir)).toBe(dir);
    expect(failureOf(join(dir, 'absent'))).toMatchObject({
      code: 'not-found',
      message: `The offline folder ${join(dir, 'absent')} does not exist on this computer.`,
    });
    writeFileSync(join(dir, 'torch.whl'), 'zip');
    expect(failureOf(join(dir, 'torch.whl')).code).toBe('invalid-request');
    expect(failureOf(join(dir, 'torch.whl', 'below')).code).toBe('not-found');
  });
});
