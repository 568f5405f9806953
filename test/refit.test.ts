/**
 * The final fit (training/refit.ts) on typed fixtures: synthetic embeddings (3 labels × 8
 * features), so each head trains in milliseconds, and a test clock so budgets are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { defaultConfig, fit, predictProbabilities, type FittedModel } from '../src/core/training/candidates.js';
import { trainHead } from '../src/core/training/head.js';
import { LBFGS_MAX_ITERATIONS } from '../src/core/training/linear-solver.js';
import type { HeadConfig } from '../src/core/result.js';
import { estimateRefitMs, mergeExamples, refitOnTrainAndVal } from '../src/core/training/refit.js';
import { clusters, DIM, LABELS, syntheticCandidate } from './helpers/synthetic-embeddings.js';

await ensureBackend();

const candidate = syntheticCandidate({ train: 60, val: 30, test: 30 });

const clock = (step = 5) => {
  let t = 0;
  return () => (t += step);
};
const context = (overrides = {}) => ({ numClasses: LABELS, seed: 3, deadline: Number.MAX_SAFE_INTEGER, now: clock(), ...overrides });

async function chosenHead(epochs = 12, solver: HeadConfig['solver'] = 'lbfgs'): Promise<FittedModel> {
  const config = { ...defaultConfig('frozen', epochs), solver, epochs: solver === 'adam' ? epochs : LBFGS_MAX_ITERATIONS };
  return fit(candidate, config, { numClasses: LABELS, seed: 5, deadline: Number.MAX_SAFE_INTEGER, now: clock() });
}

test('mergeExamples puts the second set after the first, rows and labels alike', () => {
  const merged = mergeExamples(candidate.train, candidate.val);
  assert.equal(merged.rows, 90);
  assert.deepEqual(Array.from(merged.x.subarray(0, DIM)), Array.from(candidate.train.x.subarray(0, DIM)));
  assert.deepEqual(Array.from(merged.x.subarray(60 * DIM, 61 * DIM)), Array.from(candidate.val.x.subarray(0, DIM)));
  assert.deepEqual(Array.from(merged.y.subarray(58, 62)), [candidate.train.y[58], candidate.train.y[59], candidate.val.y[0], candidate.val.y[1]]);
});

test('an Adam head on embeddings is retrained on train + validation for exactly the chosen epochs, and differs from the chosen one', async () => {
  const chosen = await chosenHead(12, 'adam');
  const before = tf.memory().numTensors;
  const { decision, refitted } = await refitOnTrainAndVal(candidate, chosen, context());
  assert.equal(tf.memory().numTensors, before, 'the final fit leaks no tensors');
  assert.ok(refitted, decision.reason);
  assert.equal(decision.applied, true);
  assert.equal(decision.images, 90);
  assert.equal(decision.epochs, chosen.head.bestEpoch);
  assert.match(decision.reason, new RegExp(`train \\+ validation \\(90 images\\) for the chosen ${chosen.head.bestEpoch} epoch`));
  assert.equal(refitted.head.curve.length, chosen.head.bestEpoch, 'no early stopping');
  assert.equal(refitted.head.bestEpoch, chosen.head.bestEpoch, 'the last epoch is kept');
  assert.deepEqual(refitted.config, { ...chosen.config, epochs: chosen.head.bestEpoch });
  // Standardisation now covers the validation rows too, so the weights must differ.
  assert.notDeepEqual(Array.from(refitted.head.weights.mean), Array.from(chosen.head.weights.mean));
  const probabilities = predictProbabilities(refitted, candidate.test);
  assert.equal(probabilities.length, 30 * LABELS);
});

test('an L-BFGS head is refitted on train + validation to convergence, however few iterations its own fit took, and differs from the chosen one', async () => {
  const converged = await chosenHead();
  assert.ok(converged.head.bestEpoch < LBFGS_MAX_ITERATIONS, 'the chosen fit converged');
  // As if the chosen fit had been cut after 3 iterations: the final fit still converges.
  const chosen = { ...converged, head: { ...converged.head, bestEpoch: 3 } };
  const { decision, refitted } = await refitOnTrainAndVal(candidate, chosen, context());
  assert.ok(refitted, decision.reason);
  const iterations = refitted.head.curve.length;
  assert.ok(iterations > 3 && iterations < LBFGS_MAX_ITERATIONS, `${iterations} iterations`);
  assert.equal(decision.reason, `retrained on train + validation (90 images) by L-BFGS, converged in ${iterations} iterations`);
  assert.equal(decision.epochs, LBFGS_MAX_ITERATIONS, 'the config keeps its cap');
  assert.deepEqual(refitted.config, chosen.config);
  assert.equal(refitted.head.bestEpoch, iterations, 'the last iterate is kept');
  assert.notDeepEqual(Array.from(refitted.head.weights.dense[0].kernel), Array.from(chosen.head.weights.dense[0].kernel));
});

test('keepLastEpoch trains every epoch even when validation loss gets worse, and keeps the last weights', async () => {
  // A validation set with its labels shuffled: its loss soon rises, which would stop early.
  const noisy = { ...candidate.val, y: Int32Array.from(candidate.val.y, (_, i) => (i * 7) % LABELS) };
  const config = { ...defaultConfig('frozen', 25), solver: 'adam' as const, learningRate: 0.05, epochs: 25 };
  const base = { numClasses: LABELS, config, seed: 1, deadline: Number.MAX_SAFE_INTEGER, now: clock(), patience: 2 };
  const stopping = await trainHead(candidate.train, noisy, base);
  const lasting = await trainHead(candidate.train, noisy, { ...base, keepLastEpoch: true });
  assert.ok(stopping.curve.length < 25, `early stopping stopped at ${stopping.curve.length}`);
  assert.equal(lasting.curve.length, 25);
  assert.equal(lasting.bestEpoch, 25);
  assert.equal(lasting.valLoss, lasting.curve.at(-1)!.valLoss);
});

test('networks trained end to end are kept as they are, and the reason says why', async () => {
  const chosen = await chosenHead();
  const asCnn = { ...chosen, trunk: {} as tf.LayersModel, trunkRole: 'whole' as const };
  const asTop = { ...chosen, trunk: {} as tf.LayersModel, trunkRole: 'top' as const };
  const cnn = await refitOnTrainAndVal(candidate, asCnn, context());
  const top = await refitOnTrainAndVal(candidate, asTop, context());
  assert.equal(cnn.refitted, undefined);
  assert.deepEqual([cnn.decision.applied, top.decision.applied], [false, false]);
  assert.match(cnn.decision.reason, /^the small CNN is trained end to end/);
  assert.match(top.decision.reason, /^the fine-tuned top block is trained end to end/);
});

test('the final fit is skipped, with the time it needs, when the budget cannot hold it; cut short, the chosen head is kept', async () => {
  const chosen = { ...(await chosenHead()), seconds: 10 };
  const tight = await refitOnTrainAndVal(candidate, chosen, context({ deadline: 1000 }));
  assert.equal(tight.refitted, undefined);
  assert.match(tight.decision.reason, /^not enough of the budget left \(about \d+ s needed\)$/);
  // The estimate fits, but the clock runs faster than the chosen head's did: cut after epoch 1.
  const quick = { ...chosen, seconds: 0.001 };
  const cut = await refitOnTrainAndVal(candidate, quick, context({ deadline: 400, now: clock(100) }));
  assert.equal(cut.refitted, undefined);
  assert.match(cut.decision.reason, /^the budget ran out after \d+ L-BFGS iterations?, before it converged; the chosen head was kept$/);
});

test('augmented views stay in the final fit when it can finish with them; else it runs without them and says so', async () => {
  const views = clusters(120, 9);
  const withViews = { ...candidate, views };
  const chosen = { ...(await chosenHead()), seconds: 100 };
  const [dear, cheap] = [estimateRefitMs(withViews, chosen, true), estimateRefitMs(withViews, chosen, false)];
  assert.ok(dear > 2 * cheap, `views make it dearer (${dear} vs ${cheap} ms)`);
  const roomy = await refitOnTrainAndVal(withViews, chosen, context());
  assert.equal(roomy.decision.images, 60 + 120 + 30, 'train, views and validation');
  const tight = await refitOnTrainAndVal(withViews, chosen, context({ deadline: (dear + cheap) / 2 }));
  assert.ok(tight.refitted, 'the final fit ran');
  assert.equal(tight.decision.images, 60 + 30, 'train and validation only');
  assert.match(tight.decision.reason, /; without the augmented views, which would not have finished in time \(about \d+ s\)$/);
});
