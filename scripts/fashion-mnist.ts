/**
 * Reading Fashion-MNIST from Debian's `dataset-fashion-mnist` package (IDX files, gzipped).
 * Used by the sample-dataset script and the benchmark; not part of the product.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_LABELS = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];

export interface FashionSet {
  images: Uint8Array; // n × 28 × 28
  labels: Uint8Array;
  count: number;
}

export function fashionMnistAvailable(): boolean {
  return existsSync(`${FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`);
}

export function readFashionMnist(part: 'train' | 't10k'): FashionSet {
  if (!fashionMnistAvailable()) {
    throw new Error(`Fashion-MNIST is not installed. Install it with: apt-get install -y dataset-fashion-mnist`);
  }
  const images = gunzipSync(readFileSync(`${FASHION_MNIST_DIR}/${part}-images-idx3-ubyte.gz`));
  const labels = gunzipSync(readFileSync(`${FASHION_MNIST_DIR}/${part}-labels-idx1-ubyte.gz`));
  const count = images.readUInt32BE(4);
  return {
    images: new Uint8Array(images.buffer, images.byteOffset + 16, count * 784),
    labels: new Uint8Array(labels.buffer, labels.byteOffset + 8, count),
    count,
  };
}
