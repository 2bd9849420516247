import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { isIdxFileName, mnistFolder } from './datasets.ts';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'jwb-datasets-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function failure(run: () => unknown): WorkbenchFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkbenchFailure) return error;
    throw error;
  }
  throw new Error('expected a WorkbenchFailure');
}

describe('mnistFolder', () => {
  it('accepts the four idx files, gzipped or not, in either naming, and names the board folder after the local one', () => {
    const folder = join(scratch, 'My MNIST (2024)');
    expect(() => mnistFolder(folder)).toThrow(/does not exist/);
    mkdirSync(folder);
    for (const name of [
      'train-images-idx3-ubyte.gz',
      'train-labels.idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte.gz',
      'notes.txt',
    ])
      writeFileSync(join(folder, name), '');
    expect(mnistFolder(folder)).toEqual({ localDir: folder, name: 'My-MNIST-2024' });
  });

  it('says which files are missing, and refuses a relative path', () => {
    writeFileSync(join(scratch, 'train-images-idx3-ubyte.gz'), '');
    const missing = failure(() => mnistFolder(scratch));
    expect(missing.code).toBe('invalid-request');
    expect(missing.message).toMatch(/lacks train-labels-idx…-ubyte, t10k-images-idx…-ubyte, t10k-labels-idx…-ubyte/);
    expect(failure(() => mnistFolder('data/mnist')).message).toMatch(/full path/);
  });

  it('sends only idx files', () => {
    expect(
      ['train-images-idx3-ubyte.gz', 't10k-labels.idx1-ubyte', 'notes.txt', 'train-images-idx3-ubyte.zip'].filter(isIdxFileName),
    ).toEqual(['train-images-idx3-ubyte.gz', 't10k-labels.idx1-ubyte']);
  });
});
