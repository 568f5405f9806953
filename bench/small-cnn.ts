/**
 * The small CNN (training/small-cnn.ts) trained from scratch on the Fashion-MNIST subset, on
 * both trainers, through the product's own `fit`: ONNX Runtime (training/small-cnn-ort.ts) and
 * TF.js on WASM with our gradient kernels.
 *
 * - Speed: the same fixed number of epochs on each (no early stopping can end one sooner),
 *   training images per second over the whole call (each epoch's scoring of validation and
 *   of the training metric rows included), alternated and each trainer's best of two.
 * - Accuracy and time: the ONNX Runtime trainer with the bake-off's default config, as a run
 *   trains the candidate, scored on the official test set.
 *
 * Validation is every fifth image of each label, the rest trains: 800 and 200 of 1,000.
 */
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { DEFAULTS } from '../src/core/options.js';
import { scoreProbabilities } from '../src/core/training/augmentation.js';
import { defaultConfig, disposeFitted, fit, predictProbabilities, type PreparedCandidate } from '../src/core/training/candidates.js';
import type { Examples } from '../src/core/training/head.js';
import type { FashionSet } from '../scripts/fashion-mnist.js';

export interface SmallCnnBenchOptions {
  /** Fixed epochs of the speed comparison. Default 3 (the WASM path takes about 10 s an epoch). */
  epochs?: number;
  /** ORT intra-op threads. */
  threads: number;
  /** Official test images to score (from the start of the set). */
  testImages: number;
}

export interface SmallCnnSpeedRow {
  trainer: 'onnxruntime' | 'tfjs';
  seconds: number[];
  imagesPerSecond: number;
}

export interface SmallCnnBenchResult {
  size: number;
  trainRows: number;
  valRows: number;
  epochs: number;
  speed: SmallCnnSpeedRow[];
  /** ONNX Runtime over WASM, best against best. */
  speedUp: number;
  full: { epochs: number; bestEpoch: number; seconds: number; valAccuracy: number; testAccuracy: number; testImages: number };
}

const SIZE = 28;

export async function benchSmallCnn(
  images: { path: string; label: string }[],
  labels: string[],
  test: FashionSet,
  options: SmallCnnBenchOptions,
): Promise<SmallCnnBenchResult> {
  const { epochs = 3, threads, testImages } = options;
  const decoded = await Promise.all(images.map(async (image) => ({ x: await decodeToRgb(image.path, SIZE, 1e7), y: labels.indexOf(image.label) })));
  const examples = (rows: { x: Uint8Array; y: number }[]): Examples => {
    const x = new Float32Array(rows.length * SIZE * SIZE * 3);
    rows.forEach((r, i) => x.set(r.x, i * SIZE * SIZE * 3));
    return { x, y: Int32Array.from(rows, (r) => r.y), rows: rows.length };
  };
  // Every fifth image of each label validates (the subset interleaves the labels, so not every fifth image).
  const seen = new Map<number, number>();
  const validates = decoded.map((d) => {
    const rank = seen.get(d.y) ?? 0;
    seen.set(d.y, rank + 1);
    return rank % 5 === 0;
  });
  const train = examples(decoded.filter((_, i) => !validates[i]));
  const val = examples(decoded.filter((_, i) => validates[i]));
  const candidate = (onOrt: boolean): PreparedCandidate => ({
    spec: parseBackboneSpec(`small_cnn@${SIZE}`),
    displayName: `Small CNN (from scratch) @${SIZE}`,
    kind: 'scratch',
    featureDim: 0,
    backboneParams: 0,
    train,
    val,
    test: val,
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    ...(onOrt ? { cnnTrainer: { engine: 'onnxruntime' as const, threads } } : {}),
  });
  const context = { numClasses: labels.length, seed: DEFAULTS.seed, deadline: Infinity, now: () => performance.now() };

  const speed: SmallCnnSpeedRow[] = [
    { trainer: 'onnxruntime', seconds: [], imagesPerSecond: 0 },
    { trainer: 'tfjs', seconds: [], imagesPerSecond: 0 },
  ];
  const fixed = { ...defaultConfig('scratch', epochs), epochs };
  for (let round = 0; round < 2; round++) {
    for (const row of speed) {
      const start = performance.now();
      const fitted = await fit(candidate(row.trainer === 'onnxruntime'), fixed, context);
      row.seconds.push((performance.now() - start) / 1000);
      disposeFitted(fitted);
    }
  }
  for (const row of speed) row.imagesPerSecond = (epochs * train.rows) / Math.min(...row.seconds);

  const start = performance.now();
  const fitted = await fit(candidate(true), defaultConfig('scratch', DEFAULTS.epochs), context);
  const seconds = (performance.now() - start) / 1000;
  const count = Math.min(testImages, test.count);
  const testX = new Float32Array(count * SIZE * SIZE * 3);
  for (let i = 0; i < count * SIZE * SIZE; i++) testX.fill(test.images[i], i * 3, i * 3 + 3);
  const testY = Int32Array.from(test.labels.subarray(0, count));
  const scored = scoreProbabilities(predictProbabilities(fitted, { x: testX, y: testY, rows: count }), testY, labels.length);
  disposeFitted(fitted);
  return {
    size: SIZE,
    trainRows: train.rows,
    valRows: val.rows,
    epochs,
    speed,
    speedUp: speed[0].imagesPerSecond / speed[1].imagesPerSecond,
    full: {
      epochs: fitted.head.curve.length,
      bestEpoch: fitted.head.bestEpoch,
      seconds,
      valAccuracy: fitted.head.valAccuracy,
      testAccuracy: scored.valAccuracy,
      testImages: count,
    },
  };
}
