/**
 * Selection (training/selection.ts): the rule on synthetic fold scores, the prior of each
 * backbone, stratified folds, and cross-validation of a head on synthetic embeddings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { runBakeOff } from '../src/core/training/bakeoff.js';
import { disposeFitted, fit, defaultConfig } from '../src/core/training/candidates.js';
import {
  crossValidate,
  priorTierOf,
  scoreCandidate,
  selectCandidate,
  stratifiedFolds,
  WITHIN_NOISE_RULE,
  type SelectionEntry,
} from '../src/core/training/selection.js';
import { createRng } from '../src/core/random.js';
import type { Examples } from '../src/core/training/head.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { DIM, LABELS, syntheticCandidate } from './helpers/synthetic-embeddings.js';

await ensureBackend();

/** Labels 0..2 with a clear signal on feature = label: a linear head learns them in a few epochs. */
function blobs(rows: number, seed: number): Examples {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const x = new Float32Array(rows * DIM);
  const y = Int32Array.from({ length: rows }, (_, r) => r % LABELS);
  for (let r = 0; r < rows; r++) for (let c = 0; c < DIM; c++) x[r * DIM + c] = (c === y[r] ? 2.5 : 0) + gauss();
  return { x, y, rows };
}
const learnable = () => ({ ...syntheticCandidate({ train: 1, val: 1, test: 1 }), train: blobs(90, 1), val: blobs(30, 2), test: blobs(30, 3) });
const config = { ...defaultConfig('frozen', 20), learningRate: 0.01 };

const entry = (id: string, tier: SelectionEntry['tier'], folds: number[], cost = 1000): SelectionEntry => ({
  id,
  displayName: id,
  tier,
  cost,
  scores: { folds },
});

test('selection: a tie within noise goes to the prior (pretrained at native size over hand-made features)', () => {
  const hog = entry('hog@64', 'hand-made', [0.66, 0.62, 0.65, 0.61, 0.64], 0);
  const mobilenet = entry('mobilenet_v2@224', 'pretrained-native', [0.63, 0.6, 0.64, 0.59, 0.62], 2_000_000);
  const s = selectCandidate([hog, mobilenet]);
  assert.equal(s.winner, 'mobilenet_v2@224');
  assert.equal(s.runnerUp, 'hog@64');
  assert.deepEqual(s.contenders, ['mobilenet_v2@224', 'hog@64']);
  assert.match(s.reason, /within the interval of the best estimate \(hog@64/);
  assert.match(s.reason, /prior prefers pretrained at its native resolution over hand-made features/);
});

test('selection: a clearly better candidate wins whatever its kind', () => {
  const hog = entry('hog@64', 'hand-made', [0.8, 0.82, 0.81, 0.79, 0.8], 0);
  const mobilenet = entry('mobilenet_v2@224', 'pretrained-native', [0.6, 0.62, 0.61, 0.6, 0.59]);
  const s = selectCandidate([mobilenet, hog]);
  assert.equal(s.winner, 'hog@64');
  assert.deepEqual(s.contenders, ['hog@64']);
  assert.match(s.reason, /hog@64 has the best estimate, 80\.4% \[.*\], and is the only candidate within its interval/);
});

test('selection: the prior orders native > below native > hand-made > scratch; among equals the cheaper wins', () => {
  const same = [0.7, 0.72, 0.71, 0.69, 0.7];
  const order = (entries: SelectionEntry[]) => selectCandidate(entries).contenders;
  assert.deepEqual(
    order([
      entry('cnn', 'from-scratch', same),
      entry('hog', 'hand-made', same),
      entry('mn96', 'pretrained-below-native', same),
      entry('mn224', 'pretrained-native', same),
    ]),
    ['mn224', 'mn96', 'hog', 'cnn'],
  );
  const s = selectCandidate([entry('inception', 'pretrained-native', [0.72, 0.73, 0.71, 0.7, 0.72], 22e6), entry('mobilenet', 'pretrained-native', same, 2e6)]);
  assert.equal(s.winner, 'mobilenet');
  assert.match(s.reason, /cheaper backbone/);
});

test('selection: a candidate scored on validation alone gets a Wilson interval over its images', () => {
  const cnn: SelectionEntry = { id: 'small_cnn@32', displayName: 'Small CNN', tier: 'from-scratch', cost: 0, scores: { correct: 45, images: 50 } };
  const s = selectCandidate([cnn, entry('hog@32', 'hand-made', [0.8, 0.82, 0.84, 0.8, 0.81])]);
  // 45/50 = 90% with Wilson [78.6%, 95.7%]: hog's 81.4% is within it, and hand-made comes before from scratch.
  assert.ok(Math.abs(s.estimates.get('small_cnn@32')!.low - 0.786) < 1e-3);
  assert.equal(s.winner, 'hog@32');
  // With a tolerance of 0 and a much narrower interval, the CNN's lead would hold.
  assert.equal(
    selectCandidate([{ ...cnn, scores: { correct: 900, images: 1000 } }, entry('hog@32', 'hand-made', [0.8, 0.82, 0.84, 0.8, 0.81])], WITHIN_NOISE_RULE).winner,
    'small_cnn@32',
  );
  // The rule's tolerance is a parameter: slack of 10 points lets hog in again.
  assert.equal(
    selectCandidate([{ ...cnn, scores: { correct: 900, images: 1000 } }, entry('hog@32', 'hand-made', [0.8, 0.82, 0.84, 0.8, 0.81])], {
      ...WITHIN_NOISE_RULE,
      tolerance: 0.1,
    }).winner,
    'hog@32',
  );
});

test('prior tiers of backbones: native size, below it, HOG, the small CNN, user models', () => {
  assert.equal(priorTierOf(parseBackboneSpec('mobilenet_v2@224')), 'pretrained-native');
  assert.equal(priorTierOf(parseBackboneSpec('mobilenet_v2@96')), 'pretrained-below-native');
  assert.equal(priorTierOf(parseBackboneSpec('inception_v3@299')), 'pretrained-native');
  assert.equal(priorTierOf(parseBackboneSpec('hog@64')), 'hand-made');
  assert.equal(priorTierOf(parseBackboneSpec('small_cnn@32')), 'from-scratch');
});

test('stratified folds: every fold holds its share of every label, and the same seed deals the same folds', () => {
  const y = Int32Array.from({ length: 53 }, (_, i) => (i < 40 ? i % 2 : 2)); // 20, 20 and 13 rows
  const folds = stratifiedFolds(y, 5, 7);
  for (const label of [0, 1, 2]) {
    const perFold = [0, 1, 2, 3, 4].map((f) => y.filter((l, r) => l === label && folds[r] === f).length);
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `label ${label}: ${perFold.join(',')}`);
  }
  assert.deepEqual(stratifiedFolds(y, 5, 7), folds);
  assert.notDeepEqual(stratifiedFolds(y, 5, 8), folds, 'another seed, another deal');
});

test('cross-validation: five folds, the same scores for the same seed, no tensors left behind', async () => {
  const candidate = learnable();
  const fitted = await fit(candidate, config, { numClasses: LABELS, seed: 3, deadline: Infinity, now: () => 0 });
  const before = tf.memory().numTensors;
  const ctx = { numClasses: LABELS, seed: 11, deadline: Infinity, now: () => 0 };
  const first = await crossValidate(candidate, fitted, ctx);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(first.scores.length, 5);
  assert.ok(
    first.scores.every((s) => s > 0.6 && s <= 1),
    first.scores.join(),
  );
  assert.deepEqual((await crossValidate(candidate, fitted, ctx)).scores, first.scores, 'deterministic');
  const scored = await scoreCandidate(candidate, fitted, ctx);
  assert.equal(scored.cv.folds, 5);
  assert.equal(scored.cv.method, 't-interval');
  assert.ok(scored.cv.low <= scored.cv.mean && scored.cv.mean <= scored.cv.high);
});

test('cross-validation: fewer folds when time is short, and none (a Wilson interval on validation, saying why) when there is none', async () => {
  const candidate = learnable();
  const fitted = await fit(candidate, config, { numClasses: LABELS, seed: 3, deadline: Infinity, now: () => 0 });
  // The candidate's fit "took" 10 s: a fold of 4/5 of 120 rows for the same epochs is about 10 s too.
  const slow = { ...fitted, seconds: 10 };
  const short = await crossValidate(candidate, slow, { numClasses: LABELS, seed: 11, deadline: 35_000, now: () => 0 });
  assert.equal(short.scores.length, 3);
  assert.match(short.note ?? '', /^3 of 5 folds/);
  const none = await scoreCandidate(candidate, slow, { numClasses: LABELS, seed: 11, deadline: 5_000, now: () => 0 });
  assert.equal(none.cv.folds, 0);
  assert.equal(none.cv.method, 'wilson');
  assert.match(none.cv.note ?? '', /no time left to cross-validate/);
  assert.ok(Math.abs(none.cv.mean - fitted.head.valAccuracy) < 1e-9);
});

test('cross-validation that fails falls back to the validation score and says why', async () => {
  const candidate = learnable();
  const fitted = await fit(candidate, config, { numClasses: LABELS, seed: 3, deadline: Infinity, now: () => 0 });
  const scored = await scoreCandidate(candidate, fitted, {
    numClasses: LABELS,
    seed: 11,
    deadline: Infinity,
    now: () => {
      throw new Error('clock stopped');
    },
  });
  assert.deepEqual([scored.cv.folds, scored.cv.method, scored.cv.note], [0, 'wilson', 'cross-validation failed (clock stopped)']);
  assert.ok(Math.abs(scored.cv.mean - fitted.head.valAccuracy) < 1e-9);
});

test('the bake-off scores each candidate for selection and picks by the rule: cv per row, the selection and its runner-up', async () => {
  const data = await prepareDataset({ datasetPath: sampleSubset(8), split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
  const before = tf.memory().numTensors;
  const outcome = await runBakeOff([parseBackboneSpec('small_cnn@16'), parseBackboneSpec('hog@16')], {
    dataset: data,
    cacheDir: tempDir(),
    maxPixels: 1e7,
    workers: 1,
    maxEpochs: 6,
    seed: 2,
    deadline: Infinity,
    now: () => 0,
    log: silentLogger,
  });
  const [cnn, hog] = outcome.rows;
  assert.deepEqual([hog.cv!.folds, hog.cv!.method], [5, 't-interval']);
  assert.deepEqual([cnn.cv!.folds, cnn.cv!.method], [0, 'wilson']);
  assert.match(cnn.cv!.note!, /too slow to cross-validate/);
  // Whatever the scores: HOG (hand-made) wins by the prior unless its mean is below the CNN's interval.
  const expected = hog.cv!.mean >= cnn.cv!.low ? 'hog@16' : 'small_cnn@16';
  assert.equal(outcome.winner.prepared.spec.id, expected);
  assert.equal(outcome.selection.rule, WITHIN_NOISE_RULE.name);
  assert.equal(outcome.selection.runnerUp, expected === 'hog@16' ? 'small_cnn@16' : 'hog@16');
  assert.ok(outcome.selection.reason.startsWith(outcome.winner.prepared.displayName), outcome.selection.reason);
  disposeFitted(outcome.winner.fitted);
  outcome.winner.prepared.extractor?.dispose();
  assert.equal(tf.memory().numTensors, before, 'the candidate that lost was released');
});
