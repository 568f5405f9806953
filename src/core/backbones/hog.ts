/**
 * `hog`: a training-free backbone of histograms of oriented gradients (Dalal & Triggs), the
 * classic feature for shapes and silhouettes. On small greyscale datasets (product shots,
 * sketches, scans) it beats frozen ImageNet features by a wide margin, costs almost nothing
 * to compute, and gives every bake-off an honest non-deep baseline to beat.
 *
 * Built from standard Keras layers only, so the export fuses it with the head like any other
 * backbone and any TF.js runtime can load the result:
 *   grey level (luma) → signed derivative along 8 directions (one fixed 3×3 conv) → ReLU
 *   → average over 4×4-pixel cells and over the 8×8 blocks around them → softsign
 *   (compresses strong edges, as HOG's normalisation does) → flatten.
 * On 28×28 Fashion-MNIST that is 7×7 cells × 8 directions × 2 scales = 784 features.
 */
import * as tf from '@tensorflow/tfjs';
import { DECODING_KEY } from '../dataset/decode.js';

export const HOG = 'hog';
export const HOG_DEFAULT_SIZE = 32;
export const HOG_CELL = 4;
export const HOG_DIRECTIONS = 8;
/**
 * Typical cell-average edge strength for inputs in [0, 1]; softsign(x / scale) is about
 * linear below it and saturates above it. Accuracy varies little within 2× of this value.
 */
const EDGE_SCALE = 0.05;
/** ITU-R BT.601 luma weights: colour images become one grey channel before the derivative. */
const LUMA = [0.299, 0.587, 0.114];

/** Conv kernel [3, 3, 3 (RGB), directions]: the luma derivative along each direction, scaled. */
export function hogKernel(): Float32Array {
  const kernel = new Float32Array(3 * 3 * 3 * HOG_DIRECTIONS);
  const at = (row: number, col: number, channel: number, direction: number) => ((row * 3 + col) * 3 + channel) * HOG_DIRECTIONS + direction;
  for (let d = 0; d < HOG_DIRECTIONS; d++) {
    const angle = (2 * Math.PI * d) / HOG_DIRECTIONS;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    for (let c = 0; c < 3; c++) {
      const w = LUMA[c] / EDGE_SCALE;
      // Central differences: ∂x = right − left, ∂y = below − above (image rows grow downwards).
      kernel[at(1, 2, c, d)] += cos * w;
      kernel[at(1, 0, c, d)] -= cos * w;
      kernel[at(2, 1, c, d)] += sin * w;
      kernel[at(0, 1, c, d)] -= sin * w;
    }
  }
  return kernel;
}

/**
 * The HOG feature model: input RGB in [0, 1] at `size`, output (size/4)² cells × 16 features:
 * each cell's 8 directions pooled over the cell itself and over the 8×8 block around it
 * (the second scale adds context, much as HOG's overlapping blocks do).
 */
export function buildHogModel(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  const conv = tf.layers.conv2d({ filters: HOG_DIRECTIONS, kernelSize: 3, padding: 'same', useBias: false, trainable: false, name: 'hog_gradients' });
  let edges = conv.apply(input) as tf.SymbolicTensor;
  edges = tf.layers.reLU({ name: 'hog_relu' }).apply(edges) as tf.SymbolicTensor;
  const cells = tf.layers.averagePooling2d({ poolSize: HOG_CELL, strides: HOG_CELL, padding: 'valid', name: 'hog_cells' }).apply(edges) as tf.SymbolicTensor;
  // Padding by half a cell centres each 8×8 block on its cell, so both grids line up.
  const padded = tf.layers.zeroPadding2d({ padding: HOG_CELL / 2, name: 'hog_block_pad' }).apply(edges) as tf.SymbolicTensor;
  const blocks = tf.layers
    .averagePooling2d({ poolSize: 2 * HOG_CELL, strides: HOG_CELL, padding: 'valid', name: 'hog_blocks' })
    .apply(padded) as tf.SymbolicTensor;
  let x = tf.layers.concatenate({ name: 'hog_scales' }).apply([cells, blocks]) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'softsign', name: 'hog_compress' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'hog_features' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x, name: 'hog' });
  tf.tidy(() => conv.setWeights([tf.tensor4d(hogKernel(), [3, 3, 3, HOG_DIRECTIONS])]));
  return model;
}

/** Names the weights and preprocessing in every embedding cache key. */
export function hogCacheKey(size: number): string {
  return `hog-v2|${size}|cell${HOG_CELL}|dir${HOG_DIRECTIONS}|scale${EDGE_SCALE}|${DECODING_KEY}`;
}

export function hogDisplayName(size: number): string {
  const cells = Math.floor(size / HOG_CELL);
  return `HOG (${cells}×${cells} cells) @${size}`;
}
