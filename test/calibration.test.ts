/**
 * Temperature scaling (training/calibration.ts): on an over-confident synthetic model the
 * fitted temperature is above 1 and lowers both the NLL and the expected calibration error;
 * it never changes the predicted label; ECE and the Wilson interval reach the test metrics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/core/random.js';
import { applyTemperature } from '../src/core/model/temperature.js';
import { expectedCalibrationError, fitTemperature, negativeLogLikelihood } from '../src/core/training/calibration.js';
import { evaluate, ECE_BINS } from '../src/core/evaluate.js';

const CLASSES = 4;

/**
 * A model right 70% of the time that puts 0.97 on its pick whether right or wrong:
 * over-confident by 27 points. Rows are (probabilities, true label).
 */
function overConfident(rows: number, seed: number): { p: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const p = new Float32Array(rows * CLASSES);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = Math.floor(rng() * CLASSES);
    const pick = rng() < 0.7 ? y[r] : (y[r] + 1 + Math.floor(rng() * (CLASSES - 1))) % CLASSES;
    const top = 0.95 + 0.04 * rng();
    for (let j = 0; j < CLASSES; j++) p[r * CLASSES + j] = j === pick ? top : (1 - top) / (CLASSES - 1);
  }
  return { p, y };
}

test('temperature scaling: an over-confident model gets T > 1, and a lower NLL and ECE on held-out rows', () => {
  const val = overConfident(400, 1);
  const t = fitTemperature(val.p, val.y, CLASSES);
  assert.ok(t > 1.5, `T = ${t}`);
  assert.ok(negativeLogLikelihood(applyTemperature(val.p, CLASSES, t), val.y, CLASSES) < negativeLogLikelihood(val.p, val.y, CLASSES));
  const test_ = overConfident(400, 2);
  const before = expectedCalibrationError(test_.p, test_.y, CLASSES);
  const after = expectedCalibrationError(applyTemperature(test_.p, CLASSES, t), test_.y, CLASSES);
  assert.ok(before > 0.2, `ECE before ${before}`);
  assert.ok(after < 0.08, `ECE after ${after}`);
  assert.equal(fitTemperature(val.p, val.y, CLASSES), t, 'deterministic');
});

test('temperature scaling: an under-confident model gets T < 1; no examples leave T at 1', () => {
  // Always right, but only 0.4 on the pick.
  const rows = 100;
  const p = new Float32Array(rows * CLASSES).fill(0.2);
  const y = Int32Array.from({ length: rows }, (_, r) => r % CLASSES);
  for (let r = 0; r < rows; r++) p[r * CLASSES + y[r]] = 0.4;
  assert.ok(fitTemperature(p, y, CLASSES) < 0.5);
  assert.equal(fitTemperature(new Float32Array(0), new Int32Array(0), CLASSES), 1);
});

test('applyTemperature: rows still sum to 1, the top label stays, T = 1 changes nothing', () => {
  const { p } = overConfident(50, 3);
  for (const t of [0.5, 1, 2.5]) {
    const q = applyTemperature(p, CLASSES, t);
    for (let r = 0; r < 50; r++) {
      const row = (a: Float32Array) => Array.from(a.subarray(r * CLASSES, (r + 1) * CLASSES));
      assert.ok(Math.abs(row(q).reduce((s, x) => s + x, 0) - 1) < 1e-5);
      assert.equal(row(q).indexOf(Math.max(...row(q))), row(p).indexOf(Math.max(...row(p))));
    }
    if (t === 1) assert.deepEqual(q, p);
  }
  // A probability of exactly 0 does not turn into NaN.
  assert.ok(applyTemperature(Float32Array.from([1, 0]), 2, 2).every(Number.isFinite));
});

test('ECE: perfectly calibrated bins give 0; a bin of 90% confidence right half the time gives 0.4', () => {
  assert.equal(expectedCalibrationError(Float32Array.from([1, 0, 0, 1]), [0, 1], 2), 0);
  assert.ok(Math.abs(expectedCalibrationError(Float32Array.from([0.9, 0.1, 0.9, 0.1]), [0, 1], 2) - 0.4) < 1e-6);
});

test('test metrics: accuracy with its Wilson interval, and calibration before and after the temperature', () => {
  const { p, y } = overConfident(200, 4);
  const examples = Array.from(y, (label, i) => ({ file: `${i}.png`, sha256: `${i}`, label }));
  const labels = ['a', 'b', 'c', 'd'];
  const plain = evaluate(labels, examples, p);
  assert.equal(plain.calibration, undefined);
  assert.equal(plain.accuracyInterval!.method, 'wilson');
  assert.ok(plain.accuracyInterval!.low < plain.accuracy && plain.accuracy < plain.accuracyInterval!.high);
  const calibrated = evaluate(labels, examples, p, { temperature: 3, fittedOn: 50, fittedWith: 'validation' });
  assert.equal(calibrated.accuracy, plain.accuracy, 'the temperature never changes a prediction');
  assert.deepEqual(calibrated.calibration && { ...calibrated.calibration, eceBefore: undefined, eceAfter: undefined }, {
    temperature: 3,
    fittedOn: 50,
    fittedWith: 'validation',
    bins: ECE_BINS,
    eceBefore: undefined,
    eceAfter: undefined,
  });
  assert.ok(calibrated.calibration!.eceAfter < calibrated.calibration!.eceBefore);
  assert.ok(calibrated.mistakes[0].confidence < plain.mistakes[0].confidence, 'mistakes show the calibrated confidence');
  const skipped = evaluate(labels, examples, p, { skipped: 'only 26 validation images' });
  assert.equal(skipped.calibration, undefined, 'no temperature, no before/after');
  assert.deepEqual(skipped.calibrationSkipped, { reason: 'only 26 validation images', ece: calibrated.calibration!.eceBefore, bins: ECE_BINS });
  assert.deepEqual(skipped.perLabel, plain.perLabel, 'a skipped calibration changes no figure');
});

test('calibrateOnValidation: fitted on enough validation images with mistakes; skipped with a reason on too few', async () => {
  const { calibrateOnValidation, MIN_CALIBRATION_IMAGES } = await import('../src/core/training/calibration.js');
  const { defaultConfig, disposeFitted, fit } = await import('../src/core/training/candidates.js');
  const { syntheticCandidate, LABELS } = await import('./helpers/synthetic-embeddings.js');
  const context = { numClasses: LABELS, seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: () => 0 };

  const small = syntheticCandidate({ train: 60, val: MIN_CALIBRATION_IMAGES - 1, test: 10 });
  const smallFit = await fit(small, defaultConfig('frozen', 20), context);
  assert.match(String(calibrateOnValidation(small, smallFit, LABELS)), /only 49 validation images \(at least 50/);
  disposeFitted(smallFit);

  // Overlapping clusters: a few hundred validation rows hold plenty of mistakes.
  const large = syntheticCandidate({ train: 300, val: 300, test: 10 });
  const largeFit = await fit(large, defaultConfig('frozen', 20), context);
  const calibration = calibrateOnValidation(large, largeFit, LABELS);
  disposeFitted(largeFit);
  assert.ok(typeof calibration !== 'string', String(calibration));
  assert.equal(calibration.images, 300);
  assert.ok(calibration.nllAfter <= calibration.nllBefore);
});

test('calibrateOutOfFold: a head on embeddings is calibrated on out-of-fold predictions for every training and validation image; without the time for the folds, on validation', async () => {
  const { calibrateOutOfFold, calibrateOnValidation } = await import('../src/core/training/calibration.js');
  const { defaultConfig, fit } = await import('../src/core/training/candidates.js');
  const { syntheticCandidate, LABELS } = await import('./helpers/synthetic-embeddings.js');
  const context = { numClasses: LABELS, seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: () => 0 };
  const candidate = syntheticCandidate({ train: 200, val: 60, test: 10 });
  const fitted = await fit(candidate, defaultConfig('frozen', 20), context);
  const oof = await calibrateOutOfFold(candidate, fitted, LABELS, { seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: () => 0 });
  assert.ok(typeof oof !== 'string', String(oof));
  assert.equal(oof.source, 'out-of-fold');
  assert.equal(oof.images, 260, 'every training and validation image has a held-out prediction');
  assert.ok(oof.nllAfter <= oof.nllBefore);
  const again = await calibrateOutOfFold(candidate, fitted, LABELS, { seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: () => 0 });
  assert.deepEqual(again, oof, 'the same seed gives the same folds and temperature');
  // No time for the folds (the head took 1 s to train; the deadline is now): the validation split's predictions instead.
  const hurried = await calibrateOutOfFold(candidate, { ...fitted, seconds: 1 }, LABELS, { seed: 5, deadline: 0, now: () => 0 });
  assert.deepEqual(hurried, calibrateOnValidation(candidate, fitted, LABELS));
  assert.ok(typeof hurried !== 'string' && hurried.source === 'validation' && hurried.images === 60);
  // Too few images for a temperature at all.
  const small = syntheticCandidate({ train: 30, val: 10, test: 10 });
  const smallFit = await fit(small, defaultConfig('frozen', 20), context);
  assert.equal(
    await calibrateOutOfFold(small, smallFit, LABELS, { seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: () => 0 }),
    'only 40 training and validation images (at least 50 are needed to fit a temperature)',
  );
});
