/**
 * Stratified k-fold assignment: the one deal behind cross-validation, out-of-fold calibration
 * (training/selection.ts) and the dataset review's out-of-fold probabilities
 * (review/out-of-fold.ts).
 */
import { createRng, shuffleInPlace } from '../random.js';

/**
 * Stratified fold of each row: each label's rows are shuffled with `seed` and dealt round
 * robin, so every fold holds about 1/k of every label.
 */
export function stratifiedFolds(y: Int32Array, k: number, seed: number): Int32Array {
  const folds = new Int32Array(y.length);
  const byLabel = new Map<number, number[]>();
  y.forEach((label, row) => byLabel.set(label, [...(byLabel.get(label) ?? []), row]));
  const rng = createRng(seed);
  // Each label starts dealing where the previous ended, so small labels do not all pile into fold 0.
  let next = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byLabel.get(label)!, rng);
    for (const row of rows) folds[row] = next++ % k;
  }
  return folds;
}
