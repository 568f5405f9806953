/**
 * Makes sample-dataset/: 36 images each of four Fashion-MNIST classes, as 28×28 PNGs in
 * <label>/ folders, picked with a fixed seed from the official training set.
 *   apt-get install -y dataset-fashion-mnist && npx tsx scripts/make-sample-dataset.ts
 */
import { mkdirSync, rmSync } from 'node:fs';
import sharp from 'sharp';
import { createRng, shuffleInPlace } from '../src/core/random.js';
import { FASHION_LABELS, readFashionMnist } from './fashion-mnist.js';

const CLASSES = ['t-shirt', 'trouser', 'sneaker', 'bag'];
const PER_CLASS = 36;
const OUT = 'sample-dataset';

const train = readFashionMnist('train');
const order = shuffleInPlace(
  Array.from({ length: train.count }, (_, i) => i),
  createRng(2026),
);
rmSync(OUT, { recursive: true, force: true });
for (const name of CLASSES) {
  const classIndex = FASHION_LABELS.indexOf(name);
  mkdirSync(`${OUT}/${name}`, { recursive: true });
  const picked = order.filter((i) => train.labels[i] === classIndex).slice(0, PER_CLASS);
  for (const index of picked) {
    const pixels = Buffer.from(train.images.subarray(index * 784, (index + 1) * 784));
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(`${OUT}/${name}/train-${String(index).padStart(5, '0')}.png`);
  }
}
console.log(`Wrote ${CLASSES.length * PER_CLASS} images to ${OUT}/`);
