/**
 * No leaked tensors: a whole train() run, and fitting the small CNN (fresh and warm-started),
 * leave tf.memory().numTensors where they found it. Small real images, small sizes, a small
 * budget: seconds, not minutes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { assemble, splitOf } from '../src/core/training/bakeoff.js';
import { defaultConfig, disposeFitted, fit, predictProbabilities, type PreparedCandidate } from '../src/core/training/candidates.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

await ensureBackend();

test('a whole train() run (bake-off, tuning, fine-tuning, test, export) leaves no tensors behind', async () => {
  const dataset = sampleSubset(5, ['bag', 'trouser']);
  const options: TrainOptions = {
    ...DEFAULTS,
    datasetPath: dataset,
    outDir: join(tempDir(), 'run'),
    cacheDir: tempDir(),
    backbones: ['mobilenet_v2@32', 'small_cnn@16'],
    budgetSeconds: 30,
    trials: 2,
    epochs: 3,
    workers: 1,
    fineTune: 'true', // the fine-tuning path holds the most tensors of its own: run it too
  };
  const before = tf.memory().numTensors;
  const result = await train(options, { log: silentLogger });
  assert.equal(tf.memory().numTensors, before, `tensors after train(): ${tf.memory().numTensors}, before: ${before}`);
  // It really went through every stage (so the count covers them).
  assert.deepEqual(
    result.bakeOff.candidates.map((c) => c.error),
    [undefined, undefined],
  );
  assert.ok(result.tuning.trials.length >= 1);
  for (const stage of ['bakeOff', 'tuning', 'evaluate', 'export'] as const)
    assert.ok(
      result.timings.some((t) => t.stage === stage),
      stage,
    );

  // The winner above may be either; a run with MobileNetV2 alone goes through the frozen path
  // and fine-tunes its top block (over the same cache: every embedding cached).
  const frozen = await train({ ...options, outDir: join(tempDir(), 'frozen'), backbones: ['mobilenet_v2@32'] }, { log: silentLogger });
  assert.equal(tf.memory().numTensors, before, `tensors after the frozen run: ${tf.memory().numTensors}, before: ${before}`);
  assert.ok(
    frozen.timings.some((t) => t.stage === 'fineTune'),
    'fine-tuned',
  );
  assert.equal(frozen.bakeOff.candidates[0].embeddingsComputed, 0);
});

test('a run that fails after the bake-off still frees its models and workers', async () => {
  const before = tf.memory().numTensors;
  // The output folder is a file: the export fails, after bake-off, tuning and the test split.
  const outDir = join(tempDir(), 'not-a-folder');
  writeFileSync(outDir, 'a file where the output folder should be');
  const options: TrainOptions = {
    ...DEFAULTS,
    datasetPath: sampleSubset(4, ['bag', 'trouser']),
    outDir,
    cacheDir: tempDir(),
    backbones: ['mobilenet_v2@32'],
    budgetSeconds: 30,
    trials: 1,
    epochs: 3,
    workers: 2,
    fineTune: 'false',
  };
  const stages: string[] = [];
  await assert.rejects(
    train(options, { log: { ...silentLogger, stage: (title) => (stages.push(title), () => {}) } }),
    /EEXIST|ENOTDIR|not a directory|file already exists/,
  );
  assert.ok(stages.includes('Exporting the model'), stages.join(', '));
  assert.equal(tf.memory().numTensors, before, `tensors after the failed run: ${tf.memory().numTensors}, before: ${before}`);
});

test('fitting the small CNN, fresh and warm-started, and predicting with it leave no tensors once disposed', async () => {
  const size = 16;
  const prepared = await prepareDataset(
    { datasetPath: sampleSubset(4, ['bag', 'sneaker']), split: DEFAULTS.split, seed: 1, maxPixels: 1e7, workDir: tempDir() },
    silentLogger,
  );
  const pixels = new Map<string, Uint8Array>();
  for (const image of prepared.images) pixels.set(image.sha256, await decodeToRgb(image.path, size, 1e7));
  const vectorOf = (image: (typeof prepared.images)[number]) => pixels.get(image.sha256)!;
  const dim = size * size * 3;
  const candidate: PreparedCandidate = {
    spec: parseBackboneSpec(`small_cnn@${size}`),
    displayName: 'small CNN',
    kind: 'scratch',
    featureDim: 0,
    backboneParams: 0,
    train: assemble(splitOf(prepared.images, 'train'), prepared.labels, dim, vectorOf),
    val: assemble(splitOf(prepared.images, 'val'), prepared.labels, dim, vectorOf),
    test: assemble(splitOf(prepared.images, 'test'), prepared.labels, dim, vectorOf),
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
  const context = { numClasses: 2, seed: 4, deadline: Infinity, now: () => 0 };
  const config = { ...defaultConfig('scratch', 2), epochs: 2 };

  const before = tf.memory().numTensors;
  const fresh = await fit(candidate, config, context);
  assert.ok(fresh.trunk, 'the CNN is returned, owned by the caller');
  const held = tf.memory().numTensors;
  assert.equal(held - before, fresh.trunk.weights.length, 'while it lives, only its own weights are held');
  const probabilities = predictProbabilities(fresh, candidate.test);
  assert.equal(probabilities.length, candidate.test.rows * 2);
  assert.equal(tf.memory().numTensors, held, 'predicting holds nothing');

  const warm = await fit(candidate, { ...config, learningRate: config.learningRate / 2 }, { ...context, warmStart: fresh });
  assert.equal(tf.memory().numTensors, held + warm.trunk!.weights.length, 'a warm start copies the weights, leaking none');
  disposeFitted(warm);
  disposeFitted(fresh);
  assert.equal(tf.memory().numTensors, before);
});
