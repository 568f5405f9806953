/**
 * The run's one owner of live models (run/models.ts): a new winner frees what the old one no
 * longer shares; the end of the run, or a failure, frees the rest. Real tfjs models, counted
 * with tf.memory().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec, type FeatureExtractor } from '../src/core/backbones/zoo.js';
import type { FittedModel, PreparedCandidate } from '../src/core/model/fitted.js';
import { LiveModels, type Winner } from '../src/core/run/models.js';

await ensureBackend();

const examples = { x: new Float32Array(0), y: new Int32Array(0), rows: 0 };

/** A backbone holding one real tensor, freed by its dispose. */
function extractor(): FeatureExtractor {
  const weights = tf.zeros([4, 4]);
  return { spec: parseBackboneSpec('mobilenet_v2@32'), dispose: () => weights.dispose() } as unknown as FeatureExtractor;
}

function trunk(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  return model;
}

function winner(prepared: PreparedCandidate, withTrunk: boolean): Winner {
  const fitted = {
    head: { valAccuracy: 0, valLoss: 0 },
    config: {},
    seconds: 0,
    ...(withTrunk ? { trunk: trunk(), trunkRole: 'top' } : {}),
  } as unknown as FittedModel;
  return { prepared, fitted };
}

function candidate(): PreparedCandidate {
  return {
    spec: parseBackboneSpec('mobilenet_v2@32'),
    displayName: 'x',
    kind: 'frozen',
    featureDim: 4,
    backboneParams: 1,
    train: examples,
    val: examples,
    test: examples,
    extractor: extractor(),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
}

test('the winner is read through one accessor, which says when there is none yet', () => {
  const models = new LiveModels();
  assert.equal(models.hasWinner, false);
  assert.throws(() => models.winner, /no winner yet: the bake-off must run before this stage/);
});

test('a new winner frees the old trunk, and the old backbone only when the new winner does not share it', async () => {
  const before = tf.memory().numTensors;
  const models = new LiveModels();
  const first = candidate();
  models.crown(winner(first, false));
  const afterFirst = tf.memory().numTensors;
  assert.equal(afterFirst - before, 1, 'the backbone');

  // Same candidate, a trunk of its own (fine-tuning): the backbone is kept.
  const tuned = winner(first, true);
  models.crown(tuned);
  assert.equal(models.winner, tuned);
  assert.equal(tf.memory().numTensors - afterFirst, 2, 'the trunk kernel and bias');

  // The same fitted model again (tuning kept the bake-off head): nothing is freed.
  models.crown({ ...tuned });
  assert.equal(tf.memory().numTensors - afterFirst, 2);

  // Another candidate (a later bake-off winner): the old trunk and backbone go.
  models.crown(winner(candidate(), false));
  assert.equal(tf.memory().numTensors - before, 1, 'only the new backbone is held');

  await models.dispose();
  assert.equal(tf.memory().numTensors, before, 'dispose frees everything');
  await models.dispose(); // twice is harmless
  assert.throws(() => models.crown(winner(candidate(), true)), /The run is over/);
  assert.equal(tf.memory().numTensors, before, 'a winner crowned too late is freed at once');
});
