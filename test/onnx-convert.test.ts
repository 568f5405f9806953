/**
 * The Keras → ONNX converter against TF.js on real images: for each built-in backbone and
 * each tap, ONNX Runtime's output and TF.js's agree within a relative difference of 1e-3,
 * where relative difference = max |ort − tfjs| / max |tfjs| over the whole batch (a
 * per-element ratio would blow up on activations that are zero after a ReLU).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { HALF_SCALE_PREFIX, isHalfScale } from '../src/core/backbones/half-scale.js';
import { ancestorsOf, appendLayer, GRID_POOL_SIDE, inputTopology, STD_POOL_EPSILON } from '../src/core/backbones/keras-topology.js';
import { loadBackbone, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch } from '../src/core/embeddings/extract.js';
import { InputError } from '../src/core/errors.js';
import { ensureBuiltinOnnx } from '../src/core/onnx/builtin.js';
import { checkOnnxFile } from '../src/core/onnx/checker.js';
import { convertKerasToOnnx } from '../src/core/onnx/convert.js';
import { loadOnnxBackbone, type OnnxTap } from '../src/core/onnx/extractor.js';
import { KerasWeights } from '../src/core/onnx/keras-weights.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';

await ensureBackend();

const cacheDir = tempDir();

/** The first `perLabel` sample images of each label, decoded and resized as extract.ts does. */
async function sampleImages(count: number, size: number): Promise<Uint8Array> {
  const labels = readdirSync(SAMPLE).sort();
  const paths = Array.from({ length: count }, (_, i) => {
    const label = labels[i % labels.length];
    return { path: join(SAMPLE, label, readdirSync(join(SAMPLE, label)).sort()[Math.floor(i / labels.length)]) };
  });
  return decodeBatch(paths, size, 100_000_000);
}

function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  assert.ok(scale > 0, 'reference activations are not all zero');
  return worst / scale;
}

/**
 * TF.js's value at each tap: the layer's output pooled over height and width by the mean or
 * by the standard deviation (computed here from tf.moments, as keras-topology.ts defines it:
 * σ²/√(σ² + ε)), or raw (NHWC). A half-scale tap (`half_…`) is its layer in the plain model on
 * the image averaged 2 × 2, and its copied layers count their parameters again.
 */
async function tfjsTaps(specText: string, taps: Pick<OnnxTap, 'layer' | 'kind'>[], pixels: Uint8Array, n: number) {
  const spec = parseBackboneSpec(specText);
  const backbone = await loadBackbone(spec, { cacheDir });
  const model = backbone.layersModel!;
  const base = (layer: string) => (isHalfScale(layer) ? layer.slice(HALF_SCALE_PREFIX.length) : layer);
  // A layer can be both a pooled tap and a raw one, and be read at both scales; tf.model wants each output once.
  const layers = [...new Set(taps.map((t) => base(t.layer)))];
  const tapsOf = (m: tf.LayersModel) => tf.model({ inputs: m.inputs, outputs: layers.map((layer) => m.getLayer(layer).output as tf.SymbolicTensor) });
  const halfTaps = taps.filter((t) => isHalfScale(t.layer)).map((t) => base(t.layer));
  const halfSize = halfTaps.length ? await loadBackbone(parseBackboneSpec(`${spec.source}@${spec.inputSize / 2}`), { cacheDir }) : null;
  const values = tf.tidy(() => {
    const x = tf
      .tensor4d(pixels, [n, spec.inputSize, spec.inputSize, 3], 'int32')
      .toFloat()
      .mul(1 / 255);
    const outputs = tapsOf(model).predict(x) as tf.Tensor[];
    const halfOutputs = halfSize ? (tapsOf(halfSize.layersModel!).predict(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')) as tf.Tensor[]) : [];
    return taps.map((tap) => {
      const y = (isHalfScale(tap.layer) ? halfOutputs : outputs)[layers.indexOf(base(tap.layer))];
      if (tap.kind === 'pooled') return y.mean([1, 2]).dataSync() as Float32Array;
      if (tap.kind === 'std') {
        const { variance } = tf.moments(y, [1, 2]);
        return variance.div(variance.add(STD_POOL_EPSILON).sqrt()).dataSync() as Float32Array;
      }
      if (tap.kind === 'grid')
        return tf
          .avgPool(y as tf.Tensor4D, GRID_POOL_SIDE, GRID_POOL_SIDE, 'same')
          .reshape([n, -1])
          .dataSync() as Float32Array;
      return y.dataSync() as Float32Array;
    });
  });
  const copied = new Set(halfTaps.flatMap((layer) => [...ancestorsOf(backbone.topology!.model_config.config.layers, layer)]));
  const params = backbone.params + [...copied].reduce((sum, layer) => sum + model.getLayer(layer).countParams(), 0);
  backbone.dispose();
  halfSize?.dispose();
  return { values, params };
}

async function compareWithTfjs(specText: string, images: number, expectedTaps: Record<string, number[]>, report: (line: string) => void) {
  const spec = parseBackboneSpec(specText);
  const pixels = await sampleImages(images, spec.inputSize);
  const onnx = await loadOnnxBackbone(spec, { cacheDir });
  try {
    assert.deepEqual(Object.fromEntries(onnx.taps.map((t) => [t.output, t.shape])), expectedTaps);
    const reference = await tfjsTaps(specText, onnx.taps, pixels, images);
    assert.equal(onnx.params, reference.params, 'parameters counted as TF.js counts them');
    const ours = await onnx.embedTaps(pixels, images);
    onnx.taps.forEach((tap, i) => {
      const difference = relativeDifference(ours[tap.output], reference.values[i]);
      report(`${tap.output}: relative difference ${difference.toExponential(2)}`);
      assert.ok(difference <= 1e-3, `${spec.id} ${tap.output}: relative difference ${difference.toExponential(2)} > 1e-3`);
    });
    const main = await onnx.embed(pixels, images);
    assert.equal(main.length, images * onnx.featureDim);
    assert.deepEqual([...main], [...ours[`pooled_${spec.source === 'mobilenet_v2' ? 'out_relu' : 'mixed10'}`]], 'embed() is the pooled cut layer');
  } finally {
    await onnx.dispose();
  }
}

test('MobileNetV2@224 in ONNX Runtime matches TF.js at every tap on real images', async (t) => {
  await compareWithTfjs(
    'mobilenet_v2@224',
    4,
    {
      pooled_out_relu: [1280],
      pooled_tap_std_block_13_expand_relu: [576],
      pooled_tap_std_block_16_expand_relu: [960],
      pooled_tap_std_out_relu: [1280],
      pooled_tap_grid_block_9_add: [7 * 7 * 64],
      pooled_tap_grid_half_block_9_add: [4 * 4 * 64],
      activations_block_15_add: [7, 7, 160],
    },
    (line) => t.diagnostic(line),
  );
});

test('one converted file serves every input size: MobileNetV2@96 matches TF.js too', async (t) => {
  await compareWithTfjs(
    'mobilenet_v2@96',
    2,
    {
      pooled_out_relu: [1280],
      pooled_tap_std_block_13_expand_relu: [576],
      pooled_tap_std_block_16_expand_relu: [960],
      pooled_tap_std_out_relu: [1280],
      pooled_tap_grid_block_9_add: [3 * 3 * 64],
      pooled_tap_grid_half_block_9_add: [2 * 2 * 64],
      activations_block_15_add: [3, 3, 160],
    },
    (line) => t.diagnostic(line),
  );
  assert.equal((await ensureBuiltinOnnx('mobilenet_v2', cacheDir)).converted, false, 'the @224 file, not a new one');
});

test('InceptionV3@299 in ONNX Runtime matches TF.js at every tap on real images', async (t) => {
  await compareWithTfjs(
    'inception_v3@299',
    2,
    {
      pooled_mixed10: [2048],
      pooled_tap_std_mixed7: [768],
      pooled_tap_std_mixed9: [2048],
      pooled_tap_std_mixed10: [2048],
      activations_mixed9: [8, 8, 2048],
    },
    (line) => t.diagnostic(line),
  );
});

test('the converted MobileNetV2 passes the ONNX checker', async (t) => {
  const { path } = await ensureBuiltinOnnx('mobilenet_v2', cacheDir);
  const check = checkOnnxFile(path);
  if (check.status === 'unavailable') return t.skip(check.detail);
  assert.equal(check.status, 'passed', check.detail);
});

test('a converted backbone is cached by content hash: the second call converts nothing and returns the same file', async () => {
  const dir = tempDir();
  const first = await ensureBuiltinOnnx('mobilenet_v2', dir);
  assert.equal(first.converted, true);
  const before = statSync(first.path);
  const bytes = readFileSync(first.path);
  const second = await ensureBuiltinOnnx('mobilenet_v2', dir);
  assert.equal(second.converted, false);
  assert.equal(second.path, first.path);
  assert.equal(statSync(second.path).mtimeMs, before.mtimeMs, 'not rewritten');
  assert.deepEqual(readFileSync(second.path), bytes);
  assert.equal(second.params, first.params);
  assert.deepEqual(readdirSync(join(dir, 'onnx')), [first.path.split('/').at(-1)], 'no temp files left behind');
});

test('a layer class the converter does not know is refused by name, and so is an unsupported setting', () => {
  const noWeights = KerasWeights.decode([], new ArrayBuffer(0));
  const lstm = appendLayer(inputTopology('m', [null, 8, 8, 3]), 'LSTM', 'memory', { units: 4 });
  assert.throws(
    () => convertKerasToOnnx(lstm, noWeights, { pooled: ['memory'] }),
    (e: unknown) =>
      e instanceof InputError && /layer "memory"/.test(e.message) && /class LSTM is not supported/.test(e.message) && /Supported: .*Conv2D/.test(e.message),
  );
  const leaky = appendLayer(inputTopology('m', [null, 8, 8, 3]), 'ReLU', 'leaky', { negative_slope: 0.1 });
  assert.throws(
    () => convertKerasToOnnx(leaky, noWeights, { pooled: ['leaky'] }),
    (e: unknown) => e instanceof InputError && /"leaky" \(ReLU\).*negative_slope 0.1/.test(e.message),
  );
  assert.throws(
    () => convertKerasToOnnx(leaky, noWeights, { pooled: ['nowhere'] }),
    (e: unknown) => e instanceof InputError && /layer "nowhere" is not in the model/.test(e.message),
  );
  const scaled = appendLayer(inputTopology('m', [null, 8, 8, 3]), 'LayerNormalization', 'norm', { axis: -1, center: true, scale: true });
  assert.throws(
    () => convertKerasToOnnx(scaled, noWeights, { pooled: ['norm'] }),
    (e: unknown) => e instanceof InputError && /"norm" \(LayerNormalization\).*without scale and offset/.test(e.message),
  );
  const overWidth = appendLayer(inputTopology('m', [null, 8, 8, 3]), 'LayerNormalization', 'norm', { axis: 2, center: false, scale: false });
  assert.throws(
    () => convertKerasToOnnx(overWidth, noWeights, { pooled: ['norm'] }),
    (e: unknown) => e instanceof InputError && /"norm" \(LayerNormalization\).*over axis 2; only height and width/.test(e.message),
  );
});
