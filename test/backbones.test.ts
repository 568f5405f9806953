import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { loadBackbone, parseBackboneSpec, BACKBONE_NAMES } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { tempDir } from './helpers/datasets.js';
import { saveNsfwjsGraphModel, saveTinyConvModel } from './helpers/models.js';
import sharp from 'sharp';

await ensureBackend();

test('backbone specs: sizes, ranges, and errors that list the valid names', () => {
  assert.equal(parseBackboneSpec('mobilenet_v2').id, 'mobilenet_v2@224');
  assert.equal(parseBackboneSpec('MobileNet_V2@96').inputSize, 96);
  assert.equal(parseBackboneSpec('small_cnn').id, 'small_cnn@32');
  assert.deepEqual(parseBackboneSpec('https://h/m/model.json@128,range=-1:1').range, [-1, 1]);
  assert.throws(
    () => parseBackboneSpec('resnet9000'),
    (e: unknown) => e instanceof InputError && BACKBONE_NAMES.every((n) => e.message.includes(n)),
  );
  assert.throws(() => parseBackboneSpec('https://h/m/model.json'), /say the model's input size/);
  assert.throws(() => parseBackboneSpec('ftp://h/model.json@1'), /only https:\/\/ URLs are supported/);
  assert.throws(() => parseBackboneSpec('inception_v3@40'), /between 75 and 1024/);
});

test('the built-in MobileNetV2 loads from memory, cut at pooled features, at any input size', async () => {
  const before = tf.memory().numTensors;
  const backbone = await loadBackbone(parseBackboneSpec('mobilenet_v2@64'), { cacheDir: tempDir() });
  assert.equal(backbone.featureDim, 1280);
  assert.ok(backbone.params > 2_000_000 && backbone.params < 2_400_000, `params ${backbone.params}`);
  const pixels = new Uint8Array(2 * 64 * 64 * 3).map((_, i) => (i * 7) % 256);
  const mid = tf.memory().numTensors;
  const vectors = backbone.embed(pixels, 2);
  assert.equal(tf.memory().numTensors, mid, 'embed leaks no tensors');
  assert.equal(vectors.length, 2 * 1280);
  assert.ok(vectors.some((v) => v > 0));
  backbone.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('the built-in InceptionV3 loads from memory at its smallest input (75), cut at 2048 pooled features, and leaks nothing', async () => {
  const before = tf.memory().numTensors;
  const backbone = await loadBackbone(parseBackboneSpec('inception_v3@75'), { cacheDir: tempDir() });
  try {
    assert.equal(backbone.featureDim, 2048);
    // Keras' InceptionV3 without its classifier has 21,802,784 parameters.
    assert.ok(backbone.params > 21_700_000 && backbone.params < 21_900_000, `params ${backbone.params}`);
    assert.equal(backbone.cacheKey, `nsfwjs-inception_v3-v1|75|0:1|fill|libvips-${sharp.versions.vips}`);
    assert.deepEqual(backbone.layersModel!.inputs[0].shape, [null, 75, 75, 3]);
    const pixels = new Uint8Array(2 * 75 * 75 * 3).map((_, i) => (i < 75 * 75 * 3 ? (i * 7) % 256 : (i * 13) % 199));
    const mid = tf.memory().numTensors;
    const vectors = backbone.embed(pixels, 2);
    assert.equal(tf.memory().numTensors, mid, 'embed leaks no tensors');
    assert.equal(vectors.length, 2 * 2048);
    assert.ok(
      vectors.every((v) => Number.isFinite(v) && v >= 0),
      'pooled ReLU features: finite, non-negative',
    );
    const [a, b] = [vectors.subarray(0, 2048), vectors.subarray(2048)];
    assert.ok(
      a.some((v, i) => Math.abs(v - b[i]) > 1e-3),
      'two different images, two different embeddings',
    );
    // An image's embedding does not depend on the batch it is in.
    const alone = backbone.embed(pixels.subarray(75 * 75 * 3), 1);
    assert.ok(
      alone.every((v, i) => Math.abs(v - b[i]) <= 1e-4 * Math.max(1, Math.abs(v))),
      'same embedding alone as in a batch',
    );
  } finally {
    backbone.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'dispose frees every weight');
});

// The same models over HTTPS, and what a hostile host can try: test/security-url-backbones.test.ts.
test('a local model.json: feature maps are pooled to a vector', async () => {
  const root = tempDir();
  await saveTinyConvModel(join(root, 'tiny'));
  const local = await loadBackbone(parseBackboneSpec(`${join(root, 'tiny', 'model.json')}@16`), { cacheDir: tempDir() });
  assert.equal(local.featureDim, 4);
  local.dispose();
});

test('a TF Hub-style graph model embeds images', async () => {
  const root = tempDir();
  saveNsfwjsGraphModel(join(root, 'mid'));
  const backbone = await loadBackbone(parseBackboneSpec(`${join(root, 'mid', 'model.json')}@224`), { cacheDir: tempDir() });
  const vector = backbone.embed(new Uint8Array(224 * 224 * 3).fill(90), 1);
  assert.equal(vector.length, backbone.featureDim);
  assert.ok(vector.every(Number.isFinite));
  backbone.dispose();
});

test('unreachable or broken backbone URLs name the URL and the offline alternatives', async () => {
  await assert.rejects(
    loadBackbone(parseBackboneSpec('https://127.0.0.1:9/model.json@16'), { cacheDir: tempDir() }),
    (e: unknown) => e instanceof InputError && /127\.0\.0\.1:9\/model\.json \(ECONNREFUSED\)/.test(e.message) && /built-in backbone/.test(e.message),
  );
  await assert.rejects(
    loadBackbone(parseBackboneSpec('./no/such/model.json@16'), { cacheDir: tempDir() }),
    (e: unknown) => e instanceof InputError && /was not found/.test(e.message),
  );
});

test('auto sizes the backbones to the data; on TF.js MobileNetV2 is read at its middle depths', async () => {
  const { autoBackbones } = await import('../src/core/backbones/zoo.js');
  assert.deepEqual(autoBackbones(false, 28), ['mobilenet_v2@96+mid', 'hog@28', 'small_cnn@28']);
  assert.deepEqual(autoBackbones(false, 30), ['mobilenet_v2@96+mid', 'hog@28', 'small_cnn@30'], 'HOG cells are 4 pixels: a multiple of 4');
  assert.deepEqual(autoBackbones(false, 640), ['mobilenet_v2@224+mid', 'hog@64', 'small_cnn@32']);
  assert.deepEqual(autoBackbones(false, 10), ['mobilenet_v2@96+mid', 'hog@16', 'small_cnn@16']);
  assert.deepEqual(autoBackbones(false, null), ['mobilenet_v2@224+mid', 'hog@32', 'small_cnn@32']);
  assert.deepEqual(autoBackbones(true, 150), ['mobilenet_v2@160+mid', 'inception_v3@160', 'hog@64', 'small_cnn@32']);
  const { typicalImageSide } = await import('../src/core/dataset/image-sizes.js');
  const { SAMPLE } = await import('./helpers/datasets.js');
  const { readdirSync } = await import('node:fs');
  const paths = readdirSync(join(SAMPLE, 'bag')).map((f) => join(SAMPLE, 'bag', f));
  assert.equal(await typicalImageSide(paths), 28);
  assert.equal(await typicalImageSide([join(SAMPLE, 'missing.png')]), null);
});

test('backbone URLs: credentials are refused, sizes are range-checked, one-slash URLs are caught', () => {
  assert.throws(
    () => parseBackboneSpec('https://user:secret@host/m/model.json@224'),
    (e: unknown) => e instanceof InputError && /contains credentials/.test(e.message) && !e.message.includes('secret'),
  );
  assert.throws(() => parseBackboneSpec('https://host/m/model.json@0'), /between 8 and 1024 pixels, got 0/);
  assert.throws(() => parseBackboneSpec('./m/model.json@99999'), /between 8 and 1024 pixels, got 99999/);
  assert.throws(() => parseBackboneSpec('https:/host/model.json@224'), /write it as https:\/\/host\/path\/model\.json/);
  assert.equal(parseBackboneSpec('https://host/m/model.json@224').source, 'https://host/m/model.json');
});

test('a winner that cannot be fused (here a non-Keras layers model) is exported as backbone + head and predicts the same', async () => {
  const { train } = await import('../src/core/pipeline.js');
  const { DEFAULTS } = await import('../src/core/options.js');
  const { silentLogger } = await import('../src/core/ports.js');
  const { loadClassifier } = await import('../src/core/model/classifier.js');
  const { sampleSubset } = await import('./helpers/datasets.js');
  const { readFileSync } = await import('node:fs');
  const root = tempDir();
  await saveTinyConvModel(join(root, 'tiny'));
  const out = join(tempDir(), 'run');
  const dataset = sampleSubset(8, ['bag', 'trouser']);
  const result = await train(
    {
      ...DEFAULTS,
      datasetPath: dataset,
      outDir: out,
      cacheDir: tempDir(),
      backbones: [`${join(root, 'tiny', 'model.json')}@16`],
      budgetSeconds: 30,
      trials: 2,
      epochs: 5,
      workers: 1,
    },
    { log: silentLogger },
  );
  assert.ok(result.model.files.some((f) => f.name === 'backbone/model.json'));
  assert.equal(JSON.parse(readFileSync(join(out, 'model', 'preprocessing.json'), 'utf8')).format, 'classifier-ci/backbone-and-head-v1');
  const classifier = await loadClassifier(join(out, 'model'));
  let correct = 0;
  const { prepareDataset } = await import('../src/core/dataset/prepare.js');
  const prepared = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
  const tests = prepared.images.filter((i) => i.split === 'test');
  for (const image of tests) if ((await classifier.classify(image.path)).label === image.label) correct++;
  assert.equal(correct / tests.length, result.test.accuracy);
  await classifier.dispose();
});
