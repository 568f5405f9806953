/**
 * The `hog` backbone: its one fixed convolution must be the luma derivative along its eight
 * directions, and the whole layers model must equal a plain-JavaScript HOG computed from
 * the definition (so a wrong kernel layout, pooling or padding cannot pass unnoticed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { HOG_CELL, HOG_DIRECTIONS } from '../src/core/backbones/hog.js';
import { fineTuneUnsupported } from '../src/core/backbones/fine-tune-split.js';
import { loadBackbone, parseBackboneSpec, BACKBONE_NAMES } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { tempDir } from './helpers/datasets.js';

await ensureBackend();

const EDGE_SCALE = 0.05;
const LUMA = [0.299, 0.587, 0.114];

/** HOG from its definition, on RGB bytes (size × size × 3): features in the model's order. */
function referenceHog(pixels: Uint8Array, size: number): Float32Array {
  const grey = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return 0; // 'same' zero padding
    const i = (y * size + x) * 3;
    return (LUMA[0] * pixels[i] + LUMA[1] * pixels[i + 1] + LUMA[2] * pixels[i + 2]) / 255;
  };
  // Rectified directional derivative per pixel and direction.
  const edges = (x: number, y: number, d: number) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return 0;
    const dx = grey(x + 1, y) - grey(x - 1, y);
    const dy = grey(x, y + 1) - grey(x, y - 1);
    const angle = (2 * Math.PI * d) / HOG_DIRECTIONS;
    return Math.max(0, (Math.cos(angle) * dx + Math.sin(angle) * dy) / EDGE_SCALE);
  };
  const cells = Math.floor(size / HOG_CELL);
  const pool = (x0: number, y0: number, side: number, d: number) => {
    let sum = 0;
    for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) sum += edges(x, y, d);
    return sum / (side * side);
  };
  const softsign = (v: number) => v / (1 + Math.abs(v));
  const out = new Float32Array(cells * cells * HOG_DIRECTIONS * 2);
  let k = 0;
  for (let cy = 0; cy < cells; cy++) {
    for (let cx = 0; cx < cells; cx++) {
      const [x, y] = [cx * HOG_CELL, cy * HOG_CELL];
      for (let d = 0; d < HOG_DIRECTIONS; d++) out[k++] = softsign(pool(x, y, HOG_CELL, d));
      // The block: 8×8 around the cell (padding of half a cell on each side).
      for (let d = 0; d < HOG_DIRECTIONS; d++) out[k++] = softsign(pool(x - HOG_CELL / 2, y - HOG_CELL / 2, 2 * HOG_CELL, d));
    }
  }
  return out;
}

test('hog specs: a built-in name with a default size, bounds named in the error', () => {
  assert.ok(BACKBONE_NAMES.includes('hog'));
  assert.equal(parseBackboneSpec('hog').id, 'hog@32');
  assert.equal(parseBackboneSpec('HOG@28').inputSize, 28);
  assert.throws(
    () => parseBackboneSpec('hog@4'),
    (e: unknown) => e instanceof InputError && /between 8 and 256/.test(e.message),
  );
});

test('hog features equal HOG computed from its definition, for colour images, with no tensors left behind', async () => {
  const before = tf.memory().numTensors;
  const size = 20; // 5×5 cells
  const backbone = await loadBackbone(parseBackboneSpec(`hog@${size}`), { cacheDir: tempDir() });
  assert.equal(backbone.featureDim, 5 * 5 * HOG_DIRECTIONS * 2);
  assert.ok(backbone.topology, 'fusable: a Keras topology for the export');
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 256;
  const pixels = Uint8Array.from({ length: 2 * size * size * 3 }, random);
  const mid = tf.memory().numTensors;
  const features = backbone.embed(pixels, 2);
  assert.equal(tf.memory().numTensors, mid, 'embed leaks no tensors');
  for (let n = 0; n < 2; n++) {
    const want = referenceHog(pixels.subarray(n * size * size * 3, (n + 1) * size * size * 3), size);
    const got = features.subarray(n * want.length, (n + 1) * want.length);
    const worst = want.reduce((m, w, i) => Math.max(m, Math.abs(w - got[i])), 0);
    assert.ok(worst < 1e-4, `image ${n}: max abs difference ${worst}`);
  }
  backbone.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('hog directions: a dark-to-bright step to the right answers in direction 0 only; downwards in direction 2 (90°)', async () => {
  const size = 16;
  const backbone = await loadBackbone(parseBackboneSpec(`hog@${size}`), { cacheDir: tempDir() });
  const image = (bright: (x: number, y: number) => boolean) => {
    const px = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) px.fill(bright(x, y) ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    return px;
  };
  // The step sits inside cell column 1 / row 1, away from the zero-padded border.
  const rightwards = backbone.embed(
    image((x) => x >= 6),
    1,
  );
  const downwards = backbone.embed(
    image((_, y) => y >= 6),
    1,
  );
  backbone.dispose();
  // Cell (row 1, col 1) for the rightward step, and its transpose for the downward one.
  const cellFeatures = (f: Float32Array, row: number, col: number) =>
    f.subarray((row * 4 + col) * 2 * HOG_DIRECTIONS, ((row * 4 + col) * 2 + 1) * HOG_DIRECTIONS);
  const r = cellFeatures(rightwards, 1, 1);
  const d = cellFeatures(downwards, 1, 1);
  assert.ok(r[0] > 0.5, `rightward step, direction 0: ${r[0]}`);
  const nothing = 1e-5; // cos 90° is not exactly 0 in floating point
  assert.ok(r[4] < nothing, `the opposite direction (180°) sees nothing: ${r[4]}`);
  assert.ok(r[2] < nothing, `nor does 90°: ${r[2]}`);
  assert.ok(d[2] > 0.5, `downward step, direction 2: ${d[2]}`);
  assert.ok(d[6] < nothing, `the opposite direction (270°) sees nothing: ${d[6]}`);
  assert.ok(d[0] < nothing, `nor does 0°: ${d[0]}`);
});

test('hog has nothing to fine-tune, and says so', async () => {
  const backbone = await loadBackbone(parseBackboneSpec('hog@16'), { cacheDir: tempDir() });
  assert.match(fineTuneUnsupported(backbone) ?? '', /hog@16 has no learned weights to fine-tune/);
  backbone.dispose();
});
