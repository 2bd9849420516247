/**
 * A dataset for tests and demos: Debian's Fashion-MNIST (`dataset-fashion-mnist`)
 * when installed, else a small synthetic MNIST-format set whose ten classes
 * are learnable (each class lights its own band of the image, plus noise), as
 * resources/agent/tests/test_mnist_train.py does.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stat } from 'node:fs/promises';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { hashTree, pushTree, remoteBase, type PushResult } from '../agent/agent-push.ts';
import type { AbortSignalLike, BoardLink } from '../link/board-link.ts';

export const debianFashionMnist = '/usr/share/datasets/fashion-mnist';

/** The idx file names the agent accepts (resources/agent/jwb_agent/idx.py, `_NAMES`), gzipped or not. */
const idxRoles = ['train-images', 'train-labels', 't10k-images', 't10k-labels'] as const;
const idxFile = /^(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/;

export function isIdxFileName(name: string): boolean {
  return idxFile.test(name);
}

export interface MnistFolder {
  localDir: string;
  /** The folder's name on the board, `.jwb/datasets/<name>`. */
  name: string;
}

/**
 * Checks that `path` is a folder of this computer holding the four MNIST idx
 * files before anything is sent: the person learns what is missing now, not
 * after the board has been prepared.
 */
export function mnistFolder(path: string): MnistFolder {
  if (!isAbsolute(path)) throw new WorkbenchFailure('invalid-request', `The dataset folder must be a full path (${path} is relative).`);
  const isFolder = existsSync(path) && statSync(path).isDirectory();
  if (!isFolder) throw new WorkbenchFailure('not-found', `The dataset folder ${path} does not exist on this computer.`);
  const names = readdirSync(path).filter(isIdxFileName);
  const missing = idxRoles.filter((role) => !names.some((name) => name.startsWith(role)));
  if (missing.length > 0)
    throw new WorkbenchFailure(
      'invalid-request',
      `The folder ${path} lacks ${missing.map((role) => `${role}-idx…-ubyte`).join(', ')}: choose a folder with the four MNIST-format idx files (gzipped or not).`,
    );
  const name =
    basename(path)
      .replace(/[^a-z0-9._-]+/gi, '-')
      .replace(/^[^a-z0-9]+|-+$/gi, '')
      .slice(0, 64) || 'mnist';
  return { localDir: path, name };
}

/** The dataset a plan uses when it names none: Debian's Fashion-MNIST when this computer has it. */
export function defaultMnistFolder(): MnistFolder | null {
  return existsSync(join(debianFashionMnist, 't10k-labels-idx1-ubyte.gz')) ? mnistFolder(debianFashionMnist) : null;
}

function idxImages(count: number, labels: Uint8Array, seed: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  const pixels = Buffer.alloc(count * 784);
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let image = 0; image < count; image += 1) {
    const band = labels[image] ?? 0;
    for (let pixel = 0; pixel < 784; pixel += 1) {
      const row = Math.floor(pixel / 28);
      const lit = Math.floor(row / 2.8) === band;
      pixels[image * 784 + pixel] = Math.min(255, Math.floor((lit ? 160 : 0) + random() * 90));
    }
  }
  return Buffer.concat([header, pixels]);
}

function idxLabels(labels: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x801, 0);
  header.writeUInt32BE(labels.length, 4);
  return Buffer.concat([header, Buffer.from(labels)]);
}

export function writeSyntheticMnist(folder: string, train = 2000, test = 500): string {
  mkdirSync(folder, { recursive: true });
  const trainLabels = Uint8Array.from({ length: train }, (_, index) => index % 10);
  const testLabels = Uint8Array.from({ length: test }, (_, index) => (index * 7) % 10);
  writeFileSync(join(folder, 'train-images-idx3-ubyte'), idxImages(train, trainLabels, 1));
  writeFileSync(join(folder, 'train-labels-idx1-ubyte'), idxLabels(trainLabels));
  writeFileSync(join(folder, 't10k-images-idx3-ubyte'), idxImages(test, testLabels, 2));
  writeFileSync(join(folder, 't10k-labels-idx1-ubyte'), idxLabels(testLabels));
  return folder;
}

/** The first `count` items of an idx file (gzip or not), uncompressed: idx3 images or idx1 labels. */
function idxHead(path: string, count: number): Buffer {
  const raw = readFileSync(path);
  const data = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const dimensions = data[3] ?? 1;
  const header = Buffer.from(data.subarray(0, 4 + 4 * dimensions));
  const total = header.readUInt32BE(4);
  const kept = Math.min(count, total);
  let itemBytes = 1;
  for (let index = 1; index < dimensions; index += 1) itemBytes *= header.readUInt32BE(4 + 4 * index);
  header.writeUInt32BE(kept, 4);
  return Buffer.concat([header, data.subarray(header.length, header.length + kept * itemBytes)]);
}

/**
 * Fashion-MNIST's first `train`/`test` images (uncompressed, so a run spends
 * its time training rather than inflating 26 MB) when Debian's package is
 * installed, else the synthetic set; written once under `scratch`.
 */
export function fashionMnistOrSynthetic(scratch: string, train = 6000, test = 1000): string {
  const folder = join(scratch, `mnist-subset-${train}-${test}`);
  if (existsSync(join(folder, 't10k-labels-idx1-ubyte'))) return folder;
  if (!existsSync(join(debianFashionMnist, 'train-images-idx3-ubyte.gz'))) return writeSyntheticMnist(folder, train, test);
  mkdirSync(folder, { recursive: true });
  for (const [name, count] of [
    ['train-images-idx3-ubyte', train],
    ['train-labels-idx1-ubyte', train],
    ['t10k-images-idx3-ubyte', test],
    ['t10k-labels-idx1-ubyte', test],
  ] as const) {
    writeFileSync(join(folder, name), idxHead(join(debianFashionMnist, `${name}.gz`), count));
  }
  return folder;
}

export function datasetRemoteDir(name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(name)) throw new WorkbenchFailure('invalid-request', `"${name}" is not a dataset name.`);
  return `${remoteBase}/datasets/${name}`;
}

/** A dataset folder's idx files to `.jwb/datasets/<name>/`, re-sent only when their hash changed. */
export async function pushDataset(link: BoardLink, localDir: string, name: string, signal?: AbortSignalLike): Promise<PushResult> {
  const info = await stat(localDir).catch(() => null);
  if (!info?.isDirectory()) throw new WorkbenchFailure('not-found', `The dataset folder ${localDir} does not exist.`);
  // Only the idx files: a folder such as ~/Downloads must not send everything else along.
  const tree = await hashTree(localDir, '.', isIdxFileName);
  return pushTree(link, { ...tree, files: tree.files.filter((file) => !file.includes('/')) }, datasetRemoteDir(name), signal);
}
