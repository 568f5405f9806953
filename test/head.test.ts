import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { createRng } from '../src/core/random.js';
import { classBalanceOf, classWeightsFor, learningRateAt, predictHead, trainHead, weightedCrossEntropy, type Examples } from '../src/core/training/head.js';
import { headSettings } from '../src/core/training/head-settings.js';
import { foldStandardisation } from '../src/core/model/export.js';
import { evaluate } from '../src/core/evaluate.js';
import type { HeadConfig } from '../src/core/result.js';

await ensureBackend();

/** Three Gaussian blobs in 8 dimensions, offset and scaled so standardisation matters. */
function blobs(perClass: number, seed: number): Examples {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const rows = perClass * 3;
  const x = new Float32Array(rows * 8);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 3;
    for (let c = 0; c < 8; c++) x[r * 8 + c] = 100 + 10 * (c === y[r] ? 2.5 : 0) + 10 * gauss();
  }
  return { x, y, rows };
}

const config: HeadConfig = {
  solver: 'adam',
  learningRate: 0.01,
  batchSize: 16,
  hiddenUnits: [16],
  dropout: 0.1,
  weightDecay: 1e-4,
  labelSmoothing: 0.05,
  epochs: 40,
};
const run = (seed = 5) => trainHead(blobs(60, 1), blobs(30, 2), { numClasses: 3, config, seed, deadline: Infinity, now: () => 0 });

test('a head learns separable data, early-stops, and leaks no tensors', async () => {
  const before = tf.memory().numTensors;
  const trained = await run();
  assert.equal(tf.memory().numTensors, before, 'every tensor of the training loop is disposed');
  assert.ok(trained.valAccuracy > 0.85, `val accuracy ${trained.valAccuracy}`);
  assert.ok(trained.curve.length >= trained.bestEpoch && trained.bestEpoch >= 1);
  assert.equal(trained.curve.find((p) => p.epoch === trained.bestEpoch)!.valLoss, trained.valLoss, 'best epoch weights are the ones reported');
  const probabilities = predictHead(trained.weights, blobs(30, 2).x, 90);
  const metrics = evaluate(
    ['a', 'b', 'c'],
    Array.from({ length: 90 }, (_, i) => ({ file: `${i}`, sha256: `${i}`, label: i % 3 })),
    probabilities,
  );
  assert.equal(metrics.accuracy, trained.valAccuracy, 'restored weights reproduce the best validation accuracy');
  assert.equal(tf.memory().numTensors, before);
});

test('the same seed gives identical training; another seed does not', async () => {
  const a = await run(5);
  const b = await run(5);
  const c = await run(6);
  assert.deepEqual(a.curve, b.curve);
  assert.deepEqual([...a.weights.dense[0].kernel], [...b.weights.dense[0].kernel]);
  assert.notDeepEqual(a.curve, c.curve);
});

test('the deadline stops training after the current epoch', async () => {
  let clock = 0;
  // The clock reads 0, 1, 2 at the end of epochs 1, 2, 3: the deadline of 1 is passed in epoch 3.
  const trained = await trainHead(blobs(20, 1), blobs(10, 2), { numClasses: 3, config: { ...config, epochs: 50 }, seed: 1, deadline: 1, now: () => clock++ });
  assert.ok(trained.stoppedByDeadline);
  assert.equal(trained.curve.length, 3);
});

test('folding the standardisation into the first layer gives the same outputs', async () => {
  const trained = await run();
  const folded = foldStandardisation(trained.weights);
  const data = blobs(5, 9);
  const plain = predictHead(trained.weights, data.x, data.rows);
  const identity = { mean: new Float32Array(8), std: new Float32Array(8).fill(1), dense: folded };
  const viaFold = predictHead(identity, data.x, data.rows);
  for (let i = 0; i < plain.length; i++) assert.ok(Math.abs(plain[i] - viaFold[i]) < 1e-4, `${plain[i]} vs ${viaFold[i]}`);
});

test('evaluation: confusion matrix, per-label metrics, top-k and worst mistakes', () => {
  const labels = ['cat', 'dog', 'fox'];
  const p = new Float32Array([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.1, 0.2, 0.7, 0.1, 0.5, 0.4]);
  const m = evaluate(
    labels,
    [0, 1, 1, 2, 2].map((label, i) => ({ file: `f${i}.png`, sha256: `s${i}`, label })),
    p,
  );
  assert.deepEqual(m.confusion.matrix, [
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 1],
  ]);
  assert.equal(m.accuracy, 3 / 5);
  assert.deepEqual(m.topK, { k: 2, accuracy: 5 / 5 });
  assert.deepEqual(
    m.perLabel.map((l) => [l.label, l.precision, l.recall, l.support]),
    [
      ['cat', 0.5, 1, 1],
      ['dog', 0.5, 0.5, 2],
      ['fox', 1, 0.5, 2],
    ],
  );
  assert.deepEqual(
    m.mistakes.map((x) => [x.file, x.predictedLabel, x.confidence]),
    [
      ['f2.png', 'cat', p[6]],
      ['f4.png', 'dog', p[13]],
    ],
  );
});

test('class balance: weights only past the stated ratio, inverse frequency, averaging 1 over the examples', () => {
  assert.equal(classWeightsFor(Int32Array.from([0, 1, 0, 1, 2, 2]), 3).weights, null);
  const balanced = classWeightsFor(Int32Array.from([...Array(14).fill(0), ...Array(10).fill(1)]), 2);
  assert.equal(balanced.weights, null, '1.4 is under the 1.5 threshold');
  assert.equal(balanced.threshold, 1.5);
  const y = Int32Array.from([...Array(30).fill(0), ...Array(10).fill(1)]);
  const skewed = classWeightsFor(y, 2);
  assert.equal(skewed.ratio, 3);
  assert.deepEqual(
    Array.from(skewed.weights!, (w) => Number(w.toFixed(4))),
    [0.6667, 2],
  );
  assert.ok(Math.abs(Array.from(y, (l) => skewed.weights![l]).reduce((a, b) => a + b, 0) / y.length - 1) < 1e-6);
  assert.equal(classWeightsFor(y, 2, 4).weights, null, 'the threshold is a parameter');
  const missing = classBalanceOf(Int32Array.from([0, 0, 1]), ['a', 'b', 'c']);
  assert.deepEqual(missing, { applied: true, ratio: null, threshold: 1.5, weights: { a: 0.75, b: 1.5, c: 0 } }, 'a label with no training image');
});

test('class weights change the loss: each example weighted by its label, averaged over the batch', () => {
  const labels = tf.tensor2d([
    [1, 0],
    [0, 1],
    [0, 1],
  ]);
  const logits = tf.tensor2d([
    [2, 0],
    [2, 0],
    [0, 1],
  ]);
  const weights = tf.tensor1d([0.5, 2, 2]);
  const perExample = [Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(2)), Math.log(1 + Math.exp(-1))];
  const plain = weightedCrossEntropy(labels, logits, undefined, 0).dataSync()[0];
  const weighted = weightedCrossEntropy(labels, logits, weights, 0).dataSync()[0];
  assert.ok(Math.abs(plain - (perExample[0] + perExample[1] + perExample[2]) / 3) < 1e-5);
  assert.ok(Math.abs(weighted - (0.5 * perExample[0] + 2 * perExample[1] + 2 * perExample[2]) / 3) < 1e-5);
  tf.dispose([labels, logits, weights]);
});

test('on imbalanced labels the weighted head finds more of the rare label than the unweighted one', async () => {
  // 90 of label 0 and 10 of label 1, overlapping: unweighted, the rare label is mostly out-voted.
  const rng = createRng(21);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const make = (n0: number, n1: number): Examples => {
    const y = Int32Array.from([...Array(n0).fill(0), ...Array(n1).fill(1)]);
    const x = Float32Array.from({ length: y.length * 2 }, (_, i) => (y[Math.floor(i / 2)] ? 1 : 0) + gauss());
    return { x, y, rows: y.length };
  };
  const train = make(180, 20);
  const val = make(90, 10);
  const linear: HeadConfig = { ...config, hiddenUnits: [], dropout: 0, labelSmoothing: 0, epochs: 30 };
  const recallOfRare = async (classWeights?: null) => {
    const head = await trainHead(train, val, {
      numClasses: 2,
      config: linear,
      seed: 4,
      deadline: Infinity,
      now: () => 0,
      patience: 30,
      keepLastEpoch: true,
      ...(classWeights === null ? { classWeights } : {}),
    });
    const test = make(200, 200);
    const p = predictHead(head.weights, test.x, test.rows);
    let found = 0;
    for (let r = 200; r < 400; r++) if (p[r * 2 + 1] > p[r * 2]) found++;
    return found / 200;
  };
  const unweighted = await recallOfRare(null);
  const weighted = await recallOfRare();
  assert.ok(weighted > unweighted + 0.2, `rare-label recall: weighted ${weighted}, unweighted ${unweighted}`);
});

test('a cosine schedule: the rate falls from the configured one to near zero, and training runs every epoch', async () => {
  const cosine: HeadConfig = { ...config, epochs: 12, schedule: 'cosine' };
  assert.equal(learningRateAt(cosine, 1), 0.01);
  assert.ok(Math.abs(learningRateAt(cosine, 7) - 0.005) < 1e-12, 'half way, half the rate');
  assert.ok(learningRateAt(cosine, 12) < 0.0002 && learningRateAt(cosine, 12) > 0);
  assert.equal(learningRateAt({ ...cosine, schedule: undefined }, 12), 0.01);
  assert.equal(headSettings(cosine), 'Adam, lr 0.01, batch 16, hidden [16], dropout 0.1, L2 0.0001, label smoothing 0.05, cosine learning-rate decay');

  // Patience 1 would stop a constant-rate run as soon as validation loss rises once; under the cosine schedule every epoch runs.
  const train = (c: HeadConfig) => trainHead(blobs(60, 1), blobs(30, 2), { numClasses: 3, config: c, seed: 5, deadline: Infinity, now: () => 0, patience: 1 });
  const constant = await train({ ...cosine, schedule: undefined });
  const scheduled = await train(cosine);
  assert.ok(constant.curve.length < 12, `the constant-rate run stopped early (${constant.curve.length} epochs)`);
  assert.equal(scheduled.curve.length, 12);
  // The first epoch runs at the same rate in both; after it the rates differ, and so do the runs.
  assert.deepEqual(scheduled.curve[0], constant.curve[0]);
  assert.notDeepEqual(scheduled.curve[1], constant.curve[1]);
  assert.equal(scheduled.curve.find((p) => p.epoch === scheduled.bestEpoch)!.valLoss, scheduled.valLoss, 'the best epoch is kept');
});
