/**
 * The classifier as one model.onnx (RGB bytes in, probabilities out) against the same
 * backbone in TF.js with the same head computed by hand, on real images: same label, and
 * probabilities within 1e-3. The ONNX checker runs on the file where python3-onnx is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch } from '../src/core/embeddings/extract.js';
import type { DenseWeights } from '../src/core/model/fitted.js';
import { checkOnnxFile } from '../src/core/onnx/checker.js';
import {
  buildOnnxClassifier,
  builtinClassifierBackbone,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  writeOnnxClassifier,
} from '../src/core/onnx/export-classifier.js';
import { createRng } from '../src/core/random.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';

await ensureBackend();

function randomDense(inDim: number, outDim: number, scale: number, random: () => number): DenseWeights {
  return {
    inDim,
    outDim,
    kernel: Float32Array.from({ length: inDim * outDim }, () => (random() * 2 - 1) * scale),
    bias: Float32Array.from({ length: outDim }, () => (random() * 2 - 1) * scale),
  };
}

/** The head by hand, in double precision: ReLU between dense layers, softmax last. */
function headProbabilities(features: Float32Array, rows: number, dense: DenseWeights[]): number[][] {
  return Array.from({ length: rows }, (_, r) => {
    let x = Array.from(features.subarray(r * dense[0].inDim, (r + 1) * dense[0].inDim));
    dense.forEach((layer, i) => {
      const y = Array.from(layer.bias, Number);
      for (let a = 0; a < layer.inDim; a++) for (let b = 0; b < layer.outDim; b++) y[b] += x[a] * layer.kernel[a * layer.outDim + b];
      x = i === dense.length - 1 ? y : y.map((v) => Math.max(0, v));
    });
    const top = Math.max(...x);
    const e = x.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

const argmax = (values: ArrayLike<number>) => Array.prototype.indexOf.call(values, Math.max(...Array.from(values)));

test('model.onnx (MobileNetV2@224 + head) gives the labels and probabilities (≤ 1e-3) TF.js gives, from RGB bytes', async () => {
  const labels = readdirSync(SAMPLE).sort();
  const images = labels.flatMap((label) =>
    readdirSync(join(SAMPLE, label))
      .sort()
      .slice(0, 2)
      .map((file) => ({ path: join(SAMPLE, label, file) })),
  );
  const spec = parseBackboneSpec('mobilenet_v2@224');
  const pixels = await decodeBatch(images, spec.inputSize, 100_000_000);

  const tfjs = await loadBackbone(spec, { cacheDir: tempDir() });
  const features = tfjs.embed(pixels, images.length);
  tfjs.dispose();
  const random = createRng(7);
  const dense = [randomDense(1280, 16, 0.08, random), randomDense(16, labels.length, 0.8, random)];
  const expected = headProbabilities(features, images.length, dense);

  const path = join(tempDir(), 'model.onnx');
  await writeOnnxClassifier(path, { ...builtinClassifierBackbone('mobilenet_v2'), inputSize: 224, range: spec.range, dense, labels });
  const session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'all' });
  try {
    const output = await session.run({ [CLASSIFIER_INPUT]: new ort.Tensor('uint8', pixels, [images.length, 224, 224, 3]) });
    const probabilities = output[CLASSIFIER_OUTPUT].data as Float32Array;
    assert.equal(probabilities.length, images.length * labels.length);
    let worst = 0;
    expected.forEach((row, r) => {
      const got = probabilities.subarray(r * labels.length, (r + 1) * labels.length);
      assert.equal(argmax(got), argmax(row), `image ${r}: same label`);
      row.forEach((p, c) => (worst = Math.max(worst, Math.abs(got[c] - p))));
    });
    assert.ok(worst <= 1e-3, `probabilities differ by up to ${worst.toExponential(2)}`);
    assert.ok(Math.max(...expected.flat()) - Math.min(...expected.flat()) > 0.1, 'the head is not trivially uniform, so the comparison means something');
  } finally {
    await session.release();
  }
  const check = checkOnnxFile(path);
  assert.notEqual(check.status, 'failed', check.detail);
});

test('the ONNX checker: passed on a good file, failed with its words on a broken one, unavailable without Python', (t) => {
  const dir = tempDir();
  const broken = join(dir, 'broken.onnx');
  writeFileSync(broken, 'not a protobuf at all');
  assert.equal(checkOnnxFile(broken, ['/nonexistent/python3']).status, 'unavailable');
  const failed = checkOnnxFile(broken);
  if (failed.status === 'unavailable') return t.skip(failed.detail);
  assert.equal(failed.status, 'failed');
  assert.match(failed.detail, /\w/, 'the checker says what is wrong');
  const good = join(dir, 'head-only.onnx');
  const labels = ['a', 'b'];
  // A head on a one-layer backbone is enough for a well-formed file.
  const random = createRng(3);
  const { source } = builtinClassifierBackbone('mobilenet_v2');
  writeFileSync(good, buildOnnxClassifier({ source, cutLayer: 'Conv1_relu', inputSize: 32, range: [0, 1], dense: [randomDense(32, 2, 0.1, random)], labels }));
  assert.equal(checkOnnxFile(good).status, 'passed');
});
