/**
 * The from-scratch candidate: a small VGG-style CNN (3×3 conv + batch norm + ReLU blocks,
 * max pooling, as in the classic CIFAR recipe), trained end to end on the images. It wins
 * when the pictures look nothing like ImageNet (e.g. 28×28 greyscale product shots).
 *
 * Its input is raw RGB bytes; a Rescaling layer maps them to [0, 1] inside the model, so the
 * export takes the same input as every other classifier-ci model.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrunkSpec } from './head.js';

/** Batch norm as the small CNN uses it (TF.js's defaults, stated so the ONNX Runtime trainer agrees). */
export const SMALL_CNN_BATCH_NORM = { epsilon: 1e-3, momentum: 0.99 } as const;

export interface ConvBlock {
  filters: number;
  /** 3×3 convolutions (each with batch norm and ReLU) before the block's 2×2 max pooling. */
  convs: number;
}

/**
 * The small CNN's blocks at an input size: filters per block, and convs per block, one at full
 * resolution (where a conv costs the most), two below it. Sized to train in seconds per epoch
 * on a CPU without a GPU. Stated once for both trainers (TF.js here, ONNX Runtime in
 * onnx/small-cnn-graphs.ts).
 */
export function smallCnnBlocks(inputSize: number): ConvBlock[] {
  const filters = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  return filters.map((f, b) => ({ filters: f, convs: b === 0 ? 1 : 2 }));
}

export function buildSmallCnn(inputSize: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input' });
  let x = tf.layers.rescaling({ scale: 1 / 255, offset: 0, name: 'rescale' }).apply(input) as tf.SymbolicTensor;
  let layerSeed = seed;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf.layers
        .conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: layerSeed++ }), name })
        .apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization({ ...SMALL_CNN_BATCH_NORM, name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.reLU({ name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.flatten({ name: 'backbone_flatten' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'small_cnn' });
}

/**
 * Light augmentation on raw pixel values: random horizontal flip and a shift of up to
 * 2 pixels. Shapes in product photos and everyday objects survive both.
 */
export function flipAndShift(size: number): TrunkSpec['augment'] {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size; y++) {
      const sy = y - dy;
      for (let x = 0; x < size; x++) {
        let sx = x - dx;
        if (flip) sx = size - 1 - sx;
        const out = (y * size + x) * 3;
        if (sy < 0 || sy >= size || sx < 0 || sx >= size) {
          // Edge pixels extend outward: product shots and photos rarely end in black.
          const cy = Math.min(size - 1, Math.max(0, sy));
          const cx = Math.min(size - 1, Math.max(0, sx));
          const from = (cy * size + cx) * 3;
          example[out] = source[from]!;
          example[out + 1] = source[from + 1]!;
          example[out + 2] = source[from + 2]!;
        } else {
          const from = (sy * size + sx) * 3;
          example[out] = source[from]!;
          example[out + 1] = source[from + 1]!;
          example[out + 2] = source[from + 2]!;
        }
      }
    }
  };
}
