/**
 * The whole engine on real Fashion-MNIST images: train → result.json → model/ → predict.
 * Small settings keep it quick; every assertion is about behaviour a user relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClassifier } from '../src/core/model/classifier.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { parseRunResult, type RunResult } from '../src/core/result.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { addSampleImages, sampleSubset, tempDir } from './helpers/datasets.js';

const dataset = sampleSubset(10, ['bag', 'sneaker', 'trouser']);
const cacheDir = tempDir();

function options(outDir: string, overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...DEFAULTS,
    datasetPath: dataset,
    outDir,
    cacheDir,
    backbones: ['mobilenet_v2@64', 'small_cnn@16'],
    budgetSeconds: 60,
    trials: 3,
    epochs: 12,
    workers: 1,
    ...overrides,
  };
}

const first = join(tempDir(), 'run1');
let result1: RunResult;

test('train writes a valid result.json and a model; a second run computes no embeddings', async () => {
  result1 = await train(options(first), { log: silentLogger });
  const onDisk = parseRunResult(JSON.parse(readFileSync(join(first, 'result.json'), 'utf8')));
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(result1)));
  assert.equal(result1.dataset.images, 30);
  assert.deepEqual(result1.dataset.labels, ['bag', 'sneaker', 'trouser']);
  assert.deepEqual(result1.bakeOff.candidates.map((c) => c.backbone), ['mobilenet_v2@64', 'small_cnn@16']);
  const mobilenet = result1.bakeOff.candidates[0]!;
  assert.equal(mobilenet.embeddingsComputed, 30);
  assert.equal(mobilenet.embeddingsCached, 0);
  assert.ok(mobilenet.curve.length >= 1 && mobilenet.curve.every((p) => Number.isFinite(p.valLoss)));
  assert.ok(result1.tuning.trials.length >= 1 && result1.tuning.trials[0]!.status === 'seed');
  assert.equal(result1.test.images, result1.dataset.counts.reduce((n, c) => n + c.test, 0));
  assert.deepEqual(result1.model.files.map((f) => f.name), ['labels.json', 'metrics.json', 'model.json', 'preprocessing.json', 'weights.bin']);
  assert.equal(result1.backend.name, 'wasm');

  const second = await train(options(join(tempDir(), 'run2')), { log: silentLogger });
  assert.equal(second.bakeOff.candidates[0]!.embeddingsComputed, 0, 'every embedding came from the cache');
  assert.equal(second.bakeOff.candidates[0]!.embeddingsCached, 30);
  // Same data, seed and backend: the same run.
  assert.deepEqual(second.test, result1.test);
  assert.deepEqual(second.bakeOff.candidates.map((c) => c.curve), result1.bakeOff.candidates.map((c) => c.curve));
  assert.deepEqual(second.tuning.trials.map((t) => [t.config, t.valAccuracy]), result1.tuning.trials.map((t) => [t.config, t.valAccuracy]));
  assert.equal(second.dataset.fingerprint, result1.dataset.fingerprint);
});

test('the exported model predicts exactly what the engine measured', async () => {
  const classifier = await loadClassifier(join(first, 'model'));
  assert.deepEqual(classifier.labels, result1.dataset.labels);
  const before = tf.memory().numTensors;
  const metrics = JSON.parse(readFileSync(join(first, 'model', 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics, JSON.parse(JSON.stringify(result1.test)));
  // Re-derive test accuracy and every listed mistake from the exported files alone.
  let correct = 0;
  const testFiles = result1.dataset.counts.reduce((n, c) => n + c.test, 0);
  const { prepareDataset } = await import('../src/core/dataset/prepare.js');
  const prepared = await prepareDataset({ datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() }, silentLogger);
  const tests = prepared.images.filter((i) => i.split === 'test');
  assert.equal(tests.length, testFiles);
  for (const image of tests) {
    const out = await classifier.classify(image.path);
    if (out.label === image.label) correct++;
    const mistake = result1.test.mistakes.find((m) => m.file === image.file);
    if (mistake) {
      assert.equal(out.label, mistake.predictedLabel);
      assert.ok(Math.abs(out.confidence - mistake.confidence) < 1e-4, `${out.confidence} vs ${mistake.confidence}`);
    }
  }
  assert.equal(correct / tests.length, result1.test.accuracy);
  const pixels = await decodeToRgb(tests[0]!.path, classifier.inputSize, 1e6);
  const p = classifier.classifyPixels(pixels, 1);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'probabilities sum to one');
  assert.equal(tf.memory().numTensors, before, 'classifying leaks no tensors');
  classifier.dispose();
});

test('adding N images computes exactly N new embeddings and keeps earlier splits', async () => {
  const added = addSampleImages(dataset, 10, 12);
  const third = await train(options(join(tempDir(), 'run3'), { backbones: ['mobilenet_v2@64'], trials: 1 }), { log: silentLogger });
  assert.equal(third.bakeOff.candidates[0]!.embeddingsComputed, added);
  assert.equal(third.bakeOff.candidates[0]!.embeddingsCached, 30);
  assert.notEqual(third.dataset.fingerprint, result1.dataset.fingerprint);
});

test('fine-tune: auto skips when the budget is spent and says so; true fine-tunes anyway', async () => {
  // A clock that runs fast: every reading is 2 s later, so the small budget is soon spent.
  const fastClock = () => {
    let t = 0;
    return { now: () => (t += 2000) };
  };
  const base = options(join(tempDir(), 'auto'), { backbones: ['mobilenet_v2@64'], trials: 2, budgetSeconds: 30 });
  const auto = await train(base, { log: silentLogger, clock: fastClock() });
  assert.equal(auto.tuning.fineTune.applied, false);
  assert.match(auto.tuning.fineTune.reason, /not enough of the budget left/);
  assert.ok(!auto.timings.some((t) => t.stage === 'fineTune'));
  const forced = await train({ ...base, outDir: join(tempDir(), 'true'), fineTune: 'true' }, { log: silentLogger, clock: fastClock() });
  assert.doesNotMatch(forced.tuning.fineTune.reason, /not enough of the budget/);
  assert.ok(forced.timings.some((t) => t.stage === 'fineTune'));
  const off = await train({ ...base, outDir: join(tempDir(), 'false'), fineTune: 'false' }, { log: silentLogger });
  assert.deepEqual(off.tuning.fineTune, { applied: false, reason: 'switched off (fine-tune: false)' });
});

test('when the bake-off runs out of budget, later candidates are skipped and listed, and the run still ends with a model', async () => {
  let t = 0;
  const clock = { now: () => (t += 5000) };
  const result = await train(options(join(tempDir(), 'skip'), { backbones: ['mobilenet_v2@64', 'small_cnn@16'], budgetSeconds: 20, trials: 1 }), { log: silentLogger, clock });
  const [first, second] = result.bakeOff.candidates;
  assert.equal(first!.error, undefined);
  assert.match(second!.error ?? '', /ran out of budget before this candidate/);
  assert.equal(result.bakeOff.winner, 'mobilenet_v2@64');
  assert.ok(result.model.files.some((f) => f.name === 'model.json'));
});
