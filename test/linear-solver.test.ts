import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { createRng } from '../src/core/random.js';
import { fitLinearSoftmax, LBFGS_MAX_ITERATIONS, type LinearFitOptions } from '../src/core/training/linear-solver.js';
import { MIN_SCALE_SHARE, predictHead, retrainConfig, retrainTimeShare, standardisation, trainHead, type Examples } from '../src/core/training/head.js';
import { crossValidate } from '../src/core/training/selection.js';
import { proposeConfig } from '../src/core/training/tuning.js';
import { defaultConfig, fit, type PreparedCandidate } from '../src/core/training/candidates.js';
import { evaluate } from '../src/core/evaluate.js';
import { foldStandardisation } from '../src/core/model/standardise.js';

await ensureBackend();

/** Overlapping Gaussian blobs in `dim` dimensions (not separable, so the optimum is finite even at a small L2). */
function blobs(perClass: number, classes: number, dim: number, seed: number): Examples {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const rows = perClass * classes;
  const x = new Float32Array(rows * dim);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % classes;
    for (let c = 0; c < dim; c++) x[r * dim + c] = (c % classes === y[r] ? 1 : 0) + gauss();
  }
  return { x, y, rows };
}

/**
 * The objective's gradient, written out independently in float64: mean over rows of
 * weight(label) · (softmax − smoothed target) ⊗ x, plus l2 · W on the kernel.
 */
function objectiveGradient(
  data: Examples,
  kernel: Float32Array,
  bias: Float32Array,
  k: number,
  l2: number,
  smoothing: number,
  weights: Float32Array | null,
): number[] {
  const dim = data.x.length / data.rows;
  const grad = new Array<number>(dim * k + k).fill(0);
  for (let r = 0; r < data.rows; r++) {
    const logits = Array.from({ length: k }, (_, c) => {
      let z = bias[c];
      for (let j = 0; j < dim; j++) z += data.x[r * dim + j] * kernel[j * k + c];
      return z;
    });
    const max = Math.max(...logits);
    const exp = logits.map((z) => Math.exp(z - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const w = (weights ? weights[data.y[r]] : 1) / data.rows;
    for (let c = 0; c < k; c++) {
      const target = (c === data.y[r] ? 1 - smoothing : 0) + smoothing / k;
      const d = w * (exp[c] / sum - target);
      for (let j = 0; j < dim; j++) grad[j * k + c] += d * data.x[r * dim + j];
      grad[dim * k + c] += d;
    }
  }
  for (let i = 0; i < dim * k; i++) grad[i] += l2 * kernel[i];
  return grad;
}

const options = (over: Partial<LinearFitOptions> = {}): LinearFitOptions => ({
  numClasses: 3,
  l2: 1e-2,
  labelSmoothing: 0,
  classWeights: null,
  maxIterations: 200,
  deadline: Infinity,
  now: () => 0,
  ...over,
});

test('L-BFGS reaches the optimum: the gradient of the objective, computed independently, vanishes', async () => {
  const train = blobs(40, 3, 6, 1);
  for (const over of [{}, { labelSmoothing: 0.1 }, { classWeights: Float32Array.from([2, 0.5, 0.5]) }, { l2: 1 }]) {
    const fitted = await fitLinearSoftmax(train, blobs(10, 3, 6, 2), options(over));
    assert.ok(fitted.converged, `converged with ${JSON.stringify(over)}`);
    const o = options(over);
    const grad = objectiveGradient(train, fitted.kernel, fitted.bias, 3, o.l2, o.labelSmoothing, o.classWeights);
    const largest = Math.max(...grad.map(Math.abs));
    assert.ok(largest < 1e-4, `largest gradient entry ${largest} with ${JSON.stringify(over)}`);
  }
});

test('L-BFGS: one curve point per iteration, deterministic, and no tensors left behind', async () => {
  const before = tf.memory().numTensors;
  const a = await fitLinearSoftmax(blobs(40, 3, 6, 1), blobs(10, 3, 6, 2), options());
  const b = await fitLinearSoftmax(blobs(40, 3, 6, 1), blobs(10, 3, 6, 2), options());
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(
    a.curve.map((p) => p.epoch),
    Array.from({ length: a.curve.length }, (_, i) => i + 1),
  );
  assert.deepEqual([...a.kernel], [...b.kernel]);
  assert.ok(a.curve.at(-1)!.trainLoss < a.curve[0].trainLoss, 'the training loss falls');
});

test('L-BFGS stops after the iteration during which the deadline passes, and says so', async () => {
  let clock = 0;
  // The clock reads 0, 1, 2 after iterations 1, 2, 3: the deadline of 1 is passed in iteration 3.
  const fitted = await fitLinearSoftmax(blobs(40, 3, 6, 1), blobs(10, 3, 6, 2), options({ l2: 1e-6, deadline: 1, now: () => clock++ }));
  assert.equal(fitted.curve.length, 3);
  assert.ok(fitted.stoppedByDeadline && !fitted.converged);
});

test('a head with the lbfgs solver: one dense layer on standardised features that reproduces its validation accuracy', async () => {
  const train = blobs(40, 3, 6, 1);
  train.x = train.x.map((v) => 50 + 20 * v);
  const val = blobs(20, 3, 6, 2);
  val.x = val.x.map((v) => 50 + 20 * v);
  const config = defaultConfig('frozen', 60);
  assert.equal(config.solver, 'lbfgs');
  const head = await trainHead(train, val, { numClasses: 3, config, seed: 1, deadline: Infinity, now: () => 0 });
  assert.equal(head.weights.dense.length, 1);
  assert.deepEqual(head.weights.mean, standardisation(train.x, train.rows, 6).mean);
  assert.equal(head.bestEpoch, head.curve.length, 'the last iterate is the head');
  const probabilities = predictHead(head.weights, val.x, val.rows);
  const metrics = evaluate(
    ['a', 'b', 'c'],
    Array.from({ length: val.rows }, (_, i) => ({ file: `${i}`, sha256: `${i}`, label: val.y[i] })),
    probabilities,
  );
  assert.equal(metrics.accuracy, head.valAccuracy);
  await assert.rejects(
    trainHead(train, val, { numClasses: 3, config: { ...config, hiddenUnits: [8] }, seed: 1, deadline: Infinity, now: () => 0 }),
    /linear head on embeddings only/,
  );
});

test('cross-validating an L-BFGS head keeps folds that converge before their cap', async () => {
  const candidate = {
    spec: { id: 'x', source: 'x', inputSize: 8 },
    displayName: 'x',
    kind: 'frozen',
    featureDim: 6,
    backboneParams: 0,
    train: blobs(40, 3, 6, 1),
    val: blobs(10, 3, 6, 2),
    test: blobs(10, 3, 6, 3),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  } as unknown as PreparedCandidate;
  const ctx = { numClasses: 3, seed: 1, deadline: Infinity, now: () => 0 };
  const fitted = await fit(candidate, defaultConfig('frozen', 500), ctx);
  assert.ok(fitted.head.bestEpoch < 100, `converged in ${fitted.head.bestEpoch} iterations`);
  // Every fold converges long before the cap.
  const cv = await crossValidate(candidate, fitted, { ...ctx, folds: 5 });
  assert.equal(cv.scores.length, 5, cv.note);
});

test('an L-BFGS head converges whatever --epochs says (that is Adam’s budget), and is retrained to convergence; an Adam head for its chosen epochs', async () => {
  const config = defaultConfig('frozen', 5);
  assert.equal(config.epochs, LBFGS_MAX_ITERATIONS);
  const proposed = proposeConfig(config, 'frozen', 5, () => 0);
  assert.deepEqual([proposed.solver, proposed.hiddenUnits, proposed.epochs], ['lbfgs', [], LBFGS_MAX_ITERATIONS]);
  const deeper = proposeConfig(config, 'frozen', 5, () => 0.9);
  assert.deepEqual([deeper.solver, deeper.epochs], ['adam', 5], 'an Adam proposal trains for --epochs');
  const data = { train: blobs(60, 3, 6, 1), val: blobs(15, 3, 6, 2) };
  const head = await trainHead(data.train, data.val, { numClasses: 3, config, seed: 1, deadline: Infinity, now: () => 0 });
  assert.ok(head.curve.length > 5 && head.curve.length < LBFGS_MAX_ITERATIONS, `${head.curve.length} iterations`);
  const cut = { ...head, bestEpoch: 2 };
  assert.deepEqual(retrainConfig(config, cut), config);
  assert.equal(retrainTimeShare(config, cut), 1);
  const adam = { ...config, solver: 'adam' as const, epochs: 40 };
  assert.deepEqual(retrainConfig(adam, { ...cut, curve: head.curve.slice(0, 8) }), { ...adam, epochs: 2 });
  assert.equal(retrainTimeShare(adam, { ...cut, curve: head.curve.slice(0, 8) }), 2 / 8);
});

test('one scale for all features: every feature divided by the mean of their deviations, for both solvers, and the exported weights agree', async () => {
  const train = blobs(30, 3, 6, 1);
  // Feature 5 nearly silent, feature 0 loud: per-feature scaling would make them equal.
  for (let r = 0; r < train.rows; r++) {
    train.x[r * 6] *= 10;
    train.x[r * 6 + 5] *= 0.01;
  }
  const val = blobs(10, 3, 6, 2);
  const perFeature = standardisation(train.x, train.rows, 6);
  const global = standardisation(train.x, train.rows, 6, 'global');
  assert.deepEqual(global.mean, perFeature.mean, 'centred the same way');
  const deviations = Array.from({ length: 6 }, (_, c) => {
    const column = Array.from({ length: train.rows }, (_, r) => train.x[r * 6 + c]);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    return Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
  });
  const spread = deviations.reduce((a, b) => a + b, 0) / 6;
  for (const s of global.std) assert.ok(Math.abs(s - spread) < 1e-4 * spread, `${s} vs ${spread}`);
  assert.ok(perFeature.std[0] > 20 * perFeature.std[5], 'the per-feature scales differ widely here');
  // The nearly silent feature is scaled by the floor, not by its own tiny deviation.
  assert.ok(Math.abs(perFeature.std[5] - MIN_SCALE_SHARE * spread) < 1e-4 * spread, `${perFeature.std[5]} vs ${MIN_SCALE_SHARE * spread}`);
  assert.ok(deviations[5] < MIN_SCALE_SHARE * spread);
  for (const solver of ['lbfgs', 'adam'] as const) {
    const config = { ...defaultConfig('frozen', 8), solver, scaling: 'global' as const };
    const head = await trainHead(train, val, { numClasses: 3, config, seed: 1, deadline: Infinity, now: () => 0 });
    assert.deepEqual([...head.weights.std], [...global.std], `${solver}: the head keeps the one scale it trained with`);
    // Export folds the scaling into the first dense layer (model/standardise.ts): the same probabilities.
    const folded = { ...head.weights, mean: new Float32Array(6), std: new Float32Array(6).fill(1), dense: foldStandardisation(head.weights) };
    const [a, b] = [predictHead(head.weights, val.x, val.rows), predictHead(folded, val.x, val.rows)];
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `${solver}: probability ${i}: ${a[i]} vs ${b[i]}`);
  }
});

test('a feature nearly silent on the training images is not blown up on a new image where it fires', () => {
  const rows = 100;
  const dim = 4;
  const x = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) x[r * dim + c] = Math.sin(r * (c + 1)); // ordinary features, deviation about 0.7
    x[r * dim + 3] = r === 0 ? 0.05 : 0; // a channel that fired, faintly, on one training image
  }
  const { mean, std } = standardisation(x, rows, dim);
  const ordinary = (1 - mean[0]) / std[0];
  const silent = (1 - mean[3]) / std[3]; // the new image: the channel fires at 1, as ordinary ones do
  assert.ok(Math.abs(silent) < 30, `standardised to ${silent.toFixed(0)} (its own deviation would give ${(1 / 0.005).toFixed(0)})`);
  assert.ok(Math.abs(silent) > Math.abs(ordinary), 'still further out than an ordinary feature at the same value');
});
