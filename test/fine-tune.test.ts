/**
 * Fine-tuning the top block on cached activations: the split is exact, batch norm stays
 * frozen, and the exported model carries the fine-tuned weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { splitForFineTune } from '../src/core/backbones/fine-tune-split.js';
import { loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { exportModel } from '../src/core/model/export.js';
import { foldStandardisation } from '../src/core/model/standardise.js';
import { predictProbabilities, type FittedModel, type PreparedCandidate } from '../src/core/training/candidates.js';
import { trainHead, type Examples } from '../src/core/training/head.js';
import { evaluate } from '../src/core/evaluate.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';
import { readdirSync } from 'node:fs';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { fineTuneTop } from '../src/core/training/fine-tune.js';

await ensureBackend();
const SIZE = 64;
const labels = ['bag', 'trouser'];
const files = labels.flatMap((label, y) =>
  readdirSync(join(SAMPLE, label))
    .sort()
    .slice(0, 8)
    .map((f) => ({ path: join(SAMPLE, label, f), y })),
);
const pixels = new Uint8Array(files.length * SIZE * SIZE * 3);
for (const [i, f] of files.entries()) pixels.set(await decodeToRgb(f.path, SIZE, 1e7), i * SIZE * SIZE * 3);

test('top(base(x)) equals the backbone features, and training the top leaves batch norm frozen', async () => {
  const extractor = await loadBackbone(parseBackboneSpec(`mobilenet_v2@${SIZE}`), { cacheDir: tempDir() });
  const split = await splitForFineTune(extractor);
  assert.equal(split.cutLayer, 'block_15_add');
  assert.deepEqual(split.cutShape, [2, 2, 160]);
  const features = extractor.embed(pixels, files.length);
  const activations = split.base.embed(pixels, files.length);
  assert.equal(activations.length, files.length * split.base.featureDim);
  const viaTop = tf.tidy(() => (split.top.predict(tf.tensor(activations, [files.length, ...split.cutShape])) as tf.Tensor).dataSync());
  let maxDiff = 0;
  for (let i = 0; i < features.length; i++) maxDiff = Math.max(maxDiff, Math.abs(features[i] - viaTop[i]));
  assert.ok(maxDiff < 1e-3, `max diff ${maxDiff}`);

  const trainable = split.top.trainableWeights.map((w) => w.originalName);
  assert.ok(trainable.includes('block_16_expand/kernel') && trainable.includes('Conv_1/kernel'));
  assert.ok(!trainable.some((n) => n.includes('_BN') || n.includes('_bn')), 'batch norm weights are not trained');
  const bnBefore = split.top
    .getLayer('Conv_1_bn')
    .getWeights()
    .map((w) => w.dataSync().slice());
  const convBefore = split.top.getLayer('Conv_1').getWeights()[0].dataSync().slice();

  const examples: Examples = { x: activations, y: Int32Array.from(files.map((f) => f.y)), rows: files.length };
  const config = { solver: 'adam' as const, learningRate: 1e-3, batchSize: 8, hiddenUnits: [], dropout: 0, weightDecay: 0, labelSmoothing: 0, epochs: 3 };
  const head = await trainHead(examples, examples, {
    numClasses: 2,
    config,
    seed: 1,
    deadline: Infinity,
    now: () => 0,
    trunk: { model: split.top, inputShape: split.cutShape, training: false },
  });
  const bnAfter = split.top
    .getLayer('Conv_1_bn')
    .getWeights()
    .map((w) => w.dataSync());
  bnBefore.forEach((before, i) => assert.deepEqual([...bnAfter[i]], [...before], 'moving statistics and gamma/beta unchanged'));
  assert.notDeepEqual([...split.top.getLayer('Conv_1').getWeights()[0].dataSync()], [...convBefore], 'convolutions were trained');

  // The fused export carries the fine-tuned top: its predictions equal the in-memory ones.
  const fitted = { head, trunk: split.top, trunkRole: 'top' as const, config, seconds: 0 };
  const prepared = { spec: extractor.spec, extractor, kind: 'frozen' } as PreparedCandidate;
  const inMemory = predictProbabilities(fitted, examples);
  const dir = join(tempDir(), 'model');
  const metrics = evaluate(
    labels,
    files.map((f, i) => ({ file: `${i}`, sha256: `${i}`, label: f.y })),
    inMemory,
  );
  await exportModel({ dir, displayDir: dir, prepared, fitted, labels, metrics });
  const classifier = await loadClassifier(dir);
  const exported = await classifier.classifyPixels(pixels, files.length);
  for (let i = 0; i < inMemory.length; i++) assert.ok(Math.abs(inMemory[i] - exported[i]) < 1e-3, `${inMemory[i]} vs ${exported[i]}`);
  await classifier.dispose();
  split.top.dispose();
  extractor.dispose();
});

test('the fine-tuning starts from the tuned head: before any step it predicts what the head predicts', async () => {
  const extractor = await loadBackbone(parseBackboneSpec(`mobilenet_v2@${SIZE}`), { cacheDir: tempDir() });
  const features = extractor.embed(pixels, files.length);
  const examples: Examples = { x: features, y: Int32Array.from(files.map((f) => f.y)), rows: files.length };
  const config = { solver: 'adam' as const, learningRate: 1e-3, batchSize: 8, hiddenUnits: [16], dropout: 0, weightDecay: 0, labelSmoothing: 0, epochs: 5 };
  const tuned = await trainHead(examples, examples, { numClasses: 2, config, seed: 2, deadline: Infinity, now: () => 0 });
  const folded = foldStandardisation(tuned.weights);
  const split = await splitForFineTune(extractor);
  const activations = split.base.embed(pixels, files.length);
  const zeroLr = await trainHead(
    { ...examples, x: activations },
    { ...examples, x: activations },
    {
      numClasses: 2,
      config: { ...config, learningRate: 1e-12, epochs: 1 },
      seed: 2,
      deadline: Infinity,
      now: () => 0,
      trunk: { model: split.top, inputShape: split.cutShape, training: false },
      initialDense: folded,
    },
  );
  assert.equal(zeroLr.valAccuracy, tuned.valAccuracy);
  assert.ok(Math.abs(zeroLr.valLoss - tuned.valLoss) < 1e-3, `${zeroLr.valLoss} vs ${tuned.valLoss}`);
  split.top.dispose();
  extractor.dispose();
});

test("the small CNN's seed trial continues the bake-off network instead of starting over", async () => {
  const { fit, defaultConfig } = await import('../src/core/training/candidates.js');
  const { parseBackboneSpec: parse } = await import('../src/core/backbones/zoo.js');
  const size = 16;
  const small = new Uint8Array(files.length * size * size * 3);
  for (const [i, f] of files.entries()) small.set(await decodeToRgb(f.path, size, 1e7), i * size * size * 3);
  const examples: Examples = { x: Float32Array.from(small), y: Int32Array.from(files.map((f) => f.y)), rows: files.length };
  const candidate = {
    spec: parse(`small_cnn@${size}`),
    displayName: 'cnn',
    kind: 'scratch',
    featureDim: 0,
    backboneParams: 0,
    train: examples,
    val: examples,
    test: examples,
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  } as PreparedCandidate;
  const context = { numClasses: 2, seed: 3, deadline: Infinity, now: () => 0 };
  const bakeOff = await fit(candidate, { ...defaultConfig('scratch', 4), epochs: 4 }, context);
  const frozenLr = { ...bakeOff.config, learningRate: 1e-12, epochs: 1 };
  const continued = await fit(candidate, frozenLr, { ...context, warmStart: bakeOff });
  const fresh = await fit(candidate, frozenLr, context);
  // Only batch norm's moving statistics move at a zero learning rate.
  assert.ok(Math.abs(continued.head.valLoss - bakeOff.head.valLoss) < 0.02, `continued ${continued.head.valLoss} vs bake-off ${bakeOff.head.valLoss}`);
  assert.ok(Math.abs(fresh.head.valLoss - bakeOff.head.valLoss) > 0.05, `a fresh start (${fresh.head.valLoss}) does not reproduce the trained network`);
  for (const m of [bakeOff, continued, fresh]) m.trunk!.dispose();
});

test('caching the activations keeps to the fine-tune deadline: nothing new starts after it, and fine-tuning is skipped', async () => {
  const dataset = await prepareDataset({ datasetPath: sampleSubset(4), split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
  const extractor = await loadBackbone(parseBackboneSpec(`mobilenet_v2@${SIZE}`), { cacheDir: tempDir() });
  const prepared = { spec: extractor.spec, extractor, kind: 'frozen', displayName: extractor.displayName } as PreparedCandidate;
  const tuned = { config: { solver: 'lbfgs', learningRate: 1e-3, epochs: 10 } } as FittedModel;
  const cacheDir = tempDir();
  // The clock is already past the deadline when the caching would start.
  const outcome = await fineTuneTop(prepared, tuned, { dataset, cacheDir, maxPixels: 1e7, seed: 1, deadline: 10, now: () => 20, log: silentLogger });
  assert.equal(outcome.decision.applied, false);
  assert.match(outcome.decision.reason, /^the budget ran out while caching activations at block_15_add \(0 of \d+ images\); the next run reuses them$/);
  const split = await splitForFineTune(extractor);
  const store = openEmbeddingStore(cacheDir, split.base.cacheKey, split.base.featureDim);
  const cached = await Promise.all(dataset.images.map((image) => store.get(image.sha256)));
  assert.deepEqual(cached.filter(Boolean), [], 'no activation was computed after the deadline');
  split.top.dispose();
  extractor.dispose();
});
