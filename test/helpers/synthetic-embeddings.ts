/**
 * Typed fixtures for training code: a frozen candidate whose "embeddings" are small synthetic
 * clusters (3 labels × 8 features), so a head trains in milliseconds.
 */
import { parseBackboneSpec } from '../../src/core/backbones/zoo.js';
import { createRng } from '../../src/core/random.js';
import type { PreparedCandidate } from '../../src/core/training/candidates.js';
import type { Examples } from '../../src/core/training/head.js';

export const LABELS = 3;
export const DIM = 8;

/** Overlapping Gaussian clusters: learnable, but not so easily that every config scores the same. */
export function clusters(rows: number, seed: number): Examples {
  const centres = createRng(99); // the same centres for every split
  const means = Array.from({ length: LABELS }, () => Array.from({ length: DIM }, () => centres() * 2 - 1));
  const rng = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const x = new Float32Array(rows * DIM);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % LABELS;
    for (let c = 0; c < DIM; c++) x[r * DIM + c] = means[y[r]][c] + 0.9 * gaussian();
  }
  return { x, y, rows };
}

/** A frozen candidate with `train`, `val` and `test` rows of clusters (seeds 1, 2, 3). */
export function syntheticCandidate(rows: { train: number; val: number; test: number }): PreparedCandidate {
  return {
    spec: parseBackboneSpec('mobilenet_v2@32'),
    displayName: 'synthetic embeddings',
    kind: 'frozen',
    featureDim: DIM,
    backboneParams: 1000,
    train: clusters(rows.train, 1),
    val: clusters(rows.val, 2),
    test: clusters(rows.test, 3),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
}
