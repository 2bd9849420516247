/**
 * A dataset for tests and demos: Debian's Fashion-MNIST (`dataset-fashion-mnist`)
 * when installed, else a small synthetic MNIST-format set whose ten classes
 * are learnable (each class lights its own band of the image, plus noise), as
 * resources/agent/tests/test_mnist_train.py does.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const debianFashionMnist = '/usr/share/datasets/fashion-mnist';

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
