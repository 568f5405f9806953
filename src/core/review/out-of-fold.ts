/**
 * Out-of-fold class probabilities: k heads, each trained on the other folds' embeddings and
 * asked only about its own fold, so no image is judged by a head that saw its label. This is
 * the cross-validation label-issues.ts leaves to its caller.
 */
import { createRng, deriveSeed, shuffleInPlace } from '../random.js';
import type { HeadConfig } from '../result.js';
import { predictHead, trainHead, type Examples } from '../training/head.js';

export interface OutOfFoldOptions {
  numClasses: number;
  /** The head recipe (the run's chosen one); trained for exactly `config.epochs` epochs. */
  config: HeadConfig;
  /** Folds. Default 5. */
  folds?: number;
  seed: number;
  /** Clock value after which each remaining head trains one epoch only. */
  deadline: number;
  now: () => number;
}

/** Fold of each row: stratified (each label dealt round-robin over the folds after a seeded shuffle). */
export function assignFolds(labels: Int32Array, folds: number, seed: number): Int32Array {
  const fold = new Int32Array(labels.length);
  const byLabel = new Map<number, number[]>();
  labels.forEach((y, r) => byLabel.set(y, [...(byLabel.get(y) ?? []), r]));
  const rng = createRng(deriveSeed(seed, 'review folds'));
  let offset = 0;
  for (const y of [...byLabel.keys()].sort((a, b) => a - b)) {
    // Continuing the deal across labels keeps the folds' sizes within one of each other.
    for (const r of shuffleInPlace(byLabel.get(y)!, rng)) fold[r] = offset++ % folds;
  }
  return fold;
}

/** Probabilities (rows × classes) of every row of `all`, each from the head that did not train on it. */
export async function outOfFoldProbabilities(all: Examples, options: OutOfFoldOptions): Promise<Float32Array> {
  const folds = options.folds ?? 5;
  const dim = all.x.length / all.rows;
  const fold = assignFolds(all.y, folds, options.seed);
  const out = new Float32Array(all.rows * options.numClasses);
  for (let k = 0; k < folds; k++) {
    const held = rowsWhere(fold, (f) => f === k);
    if (held.length === 0) continue;
    const train = take(
      all,
      rowsWhere(fold, (f) => f !== k),
      dim,
    );
    const test = take(all, held, dim);
    // The last epoch's weights, not the best on the held-out fold: choosing by its loss would let its labels in.
    const head = await trainHead(train, test, {
      numClasses: options.numClasses,
      config: options.config,
      seed: deriveSeed(options.seed, `review fold ${k}`),
      deadline: options.deadline,
      now: options.now,
      keepLastEpoch: true,
    });
    const p = predictHead(head.weights, test.x, test.rows);
    held.forEach((r, i) => out.set(p.subarray(i * options.numClasses, (i + 1) * options.numClasses), r * options.numClasses));
  }
  return out;
}

function rowsWhere(fold: Int32Array, keep: (f: number) => boolean): number[] {
  const rows: number[] = [];
  fold.forEach((f, r) => keep(f) && rows.push(r));
  return rows;
}

function take(all: Examples, rows: number[], dim: number): Examples {
  const x = new Float32Array(rows.length * dim);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(all.x.subarray(r * dim, (r + 1) * dim), i * dim);
    y[i] = all.y[r]!;
  });
  return { x, y, rows: rows.length };
}
