/**
 * Multi-depth variants (`name@size+taps`, `name@size+mid`, `name@size+grid`): the spec syntax;
 * one ONNX Runtime pass embeds every tap (pooled by standard deviation), the grid tap and the
 * plain cut (by the mean), each cached under its own key, so the `+mid`, `+grid` and plain
 * candidates after it compute nothing; the ORT vectors match the TF.js multi-tap models; the
 * winner exports as one fused model whose model.json (≤ 1e-4) and model.onnx (≤ 1e-3) give
 * the probabilities the run computed.
 */
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { atInputSize, loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch } from '../src/core/embeddings/batches.js';
import { extractEmbeddings } from '../src/core/embeddings/extract.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone } from '../src/core/engine/onnx-backbone.js';
import { InputError } from '../src/core/errors.js';
import { evaluate } from '../src/core/evaluate.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { exportModel } from '../src/core/model/export.js';
import { DEFAULTS } from '../src/core/options.js';
import { silentLogger } from '../src/core/ports.js';
import { runBakeOff, splitOf } from '../src/core/training/bakeoff.js';
import { disposeFitted } from '../src/core/training/candidates.js';
import { predictHead } from '../src/core/training/head.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const tfjsBackend = await ensureBackend();
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

/** Three labels of the sample dataset, prepared, and a bake-off context on ONNX Runtime with a fresh cache. */
async function bakeOffOnOrt() {
  const data = await prepareDataset(
    {
      datasetPath: sampleSubset(6, ['bag', 'sneaker', 'trouser']),
      split: DEFAULTS.split,
      seed: DEFAULTS.seed,
      maxPixels: DEFAULTS.maxPixels,
      workDir: tempDir(),
    },
    silentLogger,
  );
  const cacheDir = tempDir();
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: tfjsBackend, tfjsWorkers: 1, cacheDir });
  const ctx = {
    dataset: data,
    cacheDir,
    maxPixels: DEFAULTS.maxPixels,
    engine,
    maxEpochs: 4,
    seed: 3,
    deadline: Infinity,
    now: () => performance.now(),
    log: silentLogger,
  };
  return { data, cacheDir, engine, ctx };
}

test('+taps: the multi-depth variant of a built-in, its default size, and a clear refusal elsewhere', () => {
  const spec = parseBackboneSpec('mobilenet_v2@96+taps');
  assert.equal(spec.id, 'mobilenet_v2@96+taps');
  assert.deepEqual(spec.taps, ['block_13_expand_relu', 'block_16_expand_relu', 'out_relu']);
  assert.equal(spec.inputSize, 96);
  assert.equal(parseBackboneSpec('MobileNet_V2+taps').id, 'mobilenet_v2@224+taps');
  assert.deepEqual(parseBackboneSpec('inception_v3+taps').taps, ['mixed7', 'mixed9', 'mixed10']);
  assert.equal(parseBackboneSpec('mobilenet_v2@96').taps, undefined);
  for (const bad of ['hog@32+taps', 'small_cnn+taps', './model.json@32+taps', 'mobilenet_v2+taps+taps', 'mobilenet_v2+mid+taps']) {
    assert.throws(
      () => parseBackboneSpec(bad),
      (e: unknown) =>
        e instanceof InputError &&
        /\+taps \(features from several depths, each pooled by its standard deviation over the image, the last block included\) is for the pretrained built-ins: mobilenet_v2\+taps, inception_v3\+taps\./.test(
          e.message,
        ),
      bad,
    );
  }
});

test('+mid: the middle taps only, the last block left out', () => {
  const spec = parseBackboneSpec('mobilenet_v2@96+mid');
  assert.equal(spec.id, 'mobilenet_v2@96+mid');
  assert.deepEqual(spec.taps, ['block_13_expand_relu', 'block_16_expand_relu']);
  assert.equal(spec.variant, '+mid');
  assert.deepEqual(parseBackboneSpec('inception_v3+MID').taps, ['mixed7', 'mixed9']);
  assert.equal(atInputSize(spec, 160).id, 'mobilenet_v2@160+mid', 'a size change keeps the variant');
  assert.equal(atInputSize(parseBackboneSpec('mobilenet_v2+taps'), 96).id, 'mobilenet_v2@96+taps');
  assert.throws(
    () => parseBackboneSpec('hog@32+mid'),
    (e: unknown) =>
      e instanceof InputError &&
      /\+mid \(features from the middle depths, each pooled by its standard deviation over the image, without the last block\) is for the pretrained built-ins: mobilenet_v2\+mid, inception_v3\+mid\./.test(
        e.message,
      ),
  );
});

test('+grid: one middle depth kept on a grid at two scales, for MobileNetV2 only', () => {
  const spec = parseBackboneSpec('mobilenet_v2@96+grid');
  assert.equal(spec.id, 'mobilenet_v2@96+grid');
  assert.deepEqual(spec.taps, ['block_9_add', 'half_block_9_add']);
  assert.equal(spec.variant, '+grid');
  assert.equal(atInputSize(spec, 160).id, 'mobilenet_v2@160+grid');
  for (const bad of ['inception_v3+grid', 'hog@32+grid', 'mobilenet_v2+mid+grid']) {
    assert.throws(
      () => parseBackboneSpec(bad),
      (e: unknown) =>
        e instanceof InputError &&
        /\+grid \(features from a middle depth kept on a grid over the image, so where each one is counts, at the image size and at half of it\) is for the pretrained built-ins: mobilenet_v2\+grid\.$/.test(
          e.message,
        ),
      bad,
    );
  }
});

test('one ONNX Runtime pass caches every tap: the +mid, +grid and plain candidates after it compute nothing, and the vectors match the TF.js multi-tap models', async () => {
  const { data, cacheDir, engine, ctx } = await bakeOffOnOrt();
  assert.equal(engine.engine, 'onnxruntime');
  const outcome = await runBakeOff(['mobilenet_v2@96+taps', 'mobilenet_v2@96+mid', 'mobilenet_v2@96', 'mobilenet_v2@96+grid'].map(parseBackboneSpec), ctx);
  try {
    const [taps, mid, plain, grid] = outcome.rows;
    const distinct = new Set(data.images.map((i) => i.sha256)).size;
    assert.equal(taps.backbone, 'mobilenet_v2@96+taps');
    assert.equal(taps.featureDim, 576 + 960 + 1280, 'block_13_expand_relu, block_16_expand_relu and out_relu side by side');
    assert.equal(taps.embeddingsComputed, distinct);
    assert.equal(mid.backbone, 'mobilenet_v2@96+mid');
    assert.equal(mid.displayName, 'MobileNetV2 @96, 2 middle depths');
    assert.equal(mid.featureDim, 576 + 960);
    assert.deepEqual([mid.embeddingsComputed, mid.embeddingsCached], [0, distinct], 'the middle taps are cached by the +taps pass');
    assert.equal(plain.backbone, 'mobilenet_v2@96');
    assert.equal(plain.featureDim, 1280);
    assert.deepEqual(
      [plain.embeddingsComputed, plain.embeddingsCached],
      [0, distinct],
      'the plain cut (out_relu pooled by the mean) comes from the same pass, as a byproduct',
    );
    assert.equal(grid.displayName, 'MobileNetV2 @96, a middle depth on a grid at two scales');
    assert.equal(
      grid.featureDim,
      3 * 3 * 64 + 2 * 2 * 64,
      'block_9_add is 6 × 6 × 64 at 96 px and 3 × 3 × 64 at 48 px, each averaged over 2 × 2 neighbourhoods (a partial one at the edge)',
    );
    assert.deepEqual([grid.embeddingsComputed, grid.embeddingsCached], [0, distinct], 'the grid tap is a byproduct of the same pass too');
  } finally {
    disposeFitted(outcome.winner.fitted);
    outcome.winner.prepared.extractor?.dispose();
  }

  const images = data.images.slice(0, 4);
  const pixels = await decodeBatch(images, 96, DEFAULTS.maxPixels);
  // The plain cut's cached vectors (the byproduct of the +taps pass) are what the plain backbone computes.
  const plainSpec = parseBackboneSpec('mobilenet_v2@96');
  const plain = await loadRunBackbone(plainSpec, engine, { cacheDir });
  try {
    const cached = await extractEmbeddings(plain.ort!, images, { cacheDir, maxPixels: DEFAULTS.maxPixels, log: silentLogger, now: () => performance.now() });
    assert.equal(cached.computed, 0);
    const fresh = await plain.ort!.embed(pixels, images.length);
    const stored = new Float32Array(images.flatMap((image) => Array.from(cached.vectors.get(image.sha256)!)));
    assert.ok(maxDifference(stored, fresh) === 0, 'the byproduct is the plain cut, image by image');
  } finally {
    plain.dispose();
  }
  for (const text of ['mobilenet_v2@96+taps', 'mobilenet_v2@96+mid', 'mobilenet_v2@96+grid']) {
    const spec = parseBackboneSpec(text);
    const onOrt = await loadRunBackbone(spec, engine, { cacheDir });
    const tfjs = await loadBackbone(spec, { cacheDir });
    try {
      const fromOrt = await onOrt.ort!.embed(pixels, images.length);
      const fromTfjs = tfjs.embed(pixels, images.length);
      assert.equal(fromOrt.length, fromTfjs.length, text);
      const scale = Math.max(...Array.from(fromTfjs, Math.abs));
      assert.ok(maxDifference(fromOrt, fromTfjs) <= 1e-3 * scale, `${text}: ORT and TF.js differ by ${maxDifference(fromOrt, fromTfjs)} (scale ${scale})`);
      assert.equal(onOrt.ort!.fineTuneCut, null, `${text}: a multi-depth variant is not fine-tuned`);
    } finally {
      onOrt.dispose();
      tfjs.dispose();
    }
  }
});

const POOLING_LAYERS = {
  std: { prefix: 'tap_std_', classes: ['LayerNormalization', 'Multiply', 'GlobalAveragePooling2D'] },
  grid: { prefix: 'tap_grid_', classes: ['AveragePooling2D', 'Flatten'] },
};
for (const [text, pools, pooling] of [
  ['mobilenet_v2@64+taps', 3, 'std'],
  ['mobilenet_v2@64+mid', 2, 'std'],
  ['mobilenet_v2@64+grid', 2, 'grid'],
] as const) {
  test(`a multi-depth winner (${text}) exports as one model: model.json and model.onnx give the probabilities the run computed`, async () => {
    const { data, ctx } = await bakeOffOnOrt();
    const { winner } = await runBakeOff([parseBackboneSpec(text)], ctx);
    const { prepared, fitted } = winner;
    const { labels } = data;
    const tests = splitOf(data.images, 'test');
    const expected = predictHead(fitted.head.weights, prepared.test.x, prepared.test.rows);
    const metrics = evaluate(
      labels,
      tests.map((i) => ({ file: i.file, sha256: i.sha256, label: labels.indexOf(i.label) })),
      expected,
    );
    const dir = join(tempDir(), 'model');
    try {
      const info = await exportModel({ dir, displayDir: dir, prepared, fitted, labels, metrics });
      assert.equal(info.onnx?.written, true, JSON.stringify(info.onnx));
      assert.equal(
        info.layers.some((l) => l.name === 'taps_concat' && l.className === 'Concatenate'),
        pools > 1,
        'several taps are concatenated, a single one is the output',
      );
      const { prefix, classes } = POOLING_LAYERS[pooling];
      for (const className of classes)
        assert.equal(info.layers.filter((l) => l.name.startsWith(prefix) && l.className === className).length, pools, `${className}: one per tap`);
    } finally {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
    const pixels = await decodeBatch(tests, 64, DEFAULTS.maxPixels);
    for (const [name, tolerance] of [
      ['tfjs', 1e-4],
      ['onnx', 1e-3],
    ] as const) {
      const classifier = await loadClassifier(dir, { engine: name });
      try {
        const got = await classifier.classifyPixels(pixels, tests.length);
        assert.equal(got.length, expected.length);
        assert.ok(maxDifference(got, expected) <= tolerance, `${name}: probabilities differ by ${maxDifference(got, expected)}`);
      } finally {
        await classifier.dispose();
      }
    }
  });
}

test("the grid's half-scale tap is the same network on the image averaged 2 × 2: its grid at 48 px", async () => {
  const { data, cacheDir } = await bakeOffOnOrt();
  const images = data.images.slice(0, 3);
  const pixels = await decodeBatch(images, 96, DEFAULTS.maxPixels);
  const twoScales = await loadBackbone(parseBackboneSpec('mobilenet_v2@96+grid'), { cacheDir });
  const small = await loadBackbone(parseBackboneSpec('mobilenet_v2@48+grid'), { cacheDir });
  try {
    const [fullDim, halfDim] = [3 * 3 * 64, 2 * 2 * 64];
    assert.equal(twoScales.featureDim, fullDim + halfDim);
    assert.equal(small.featureDim, halfDim + 1 * 1 * 64, 'at 48 px its own half scale is 24 px: one cell');
    // In floats (MobileNetV2 takes 0–1), so the only difference is the order of the arithmetic.
    const [both, atHalf] = tf.tidy(() => {
      const image = tf.tensor4d(pixels, [images.length, 96, 96, 3], 'float32').div(255);
      const halved = tf.avgPool(image as tf.Tensor4D, 2, 2, 'valid');
      return [
        (twoScales.layersModel!.predict(image) as tf.Tensor).arraySync() as number[][],
        (small.layersModel!.predict(halved) as tf.Tensor).arraySync() as number[][],
      ];
    });
    for (let n = 0; n < images.length; n++) {
      const [halfPart, ofSmall] = [both[n].slice(fullDim), atHalf[n].slice(0, halfDim)];
      const scale = Math.max(...ofSmall.map(Math.abs));
      assert.ok(maxDifference(halfPart, ofSmall) <= 1e-4 * scale, `image ${n}: ${maxDifference(halfPart, ofSmall)} (scale ${scale})`);
    }
  } finally {
    twoScales.dispose();
    small.dispose();
  }
});
