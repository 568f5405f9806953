/**
 * Every handler of the Keras → ONNX converter on a small model built for it (random weights),
 * against TF.js: the settings the built-in backbones do not use (bias, stride-2 'same' padding
 * on even sizes, where the one padded pixel goes after, depth multiplier, batch norm that
 * cannot be folded, three-way Add, uneven zero padding, 'same' pooling, sigmoid/tanh, a
 * GlobalAveragePooling2D layer, layer normalisation over positions and over channels, a
 * three-way Multiply).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { ensureBackend } from '../src/core/backend/select.js';
import { topologyOf } from '../src/core/backbones/keras-topology.js';
import { activationsOutputName, convertKerasToOnnx, pooledOutputName } from '../src/core/onnx/convert.js';
import { KerasWeights } from '../src/core/onnx/keras-weights.js';

await ensureBackend();

const SIZE = 16;
let seed = 1;
const uniform = (minval: number, maxval: number) => tf.initializers.randomUniform({ minval, maxval, seed: seed++ });
const batchNorm = (name: string) =>
  tf.layers.batchNormalization({
    name,
    gammaInitializer: uniform(0.5, 1.5),
    betaInitializer: uniform(-0.5, 0.5),
    movingMeanInitializer: uniform(-0.5, 0.5),
    movingVarianceInitializer: uniform(0.5, 1.5),
  });
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

function buildModel(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3], name: 'img' });
  const conv = { kernelInitializer: uniform(-0.5, 0.5), biasInitializer: uniform(-0.2, 0.2) };
  // Stride 2, 'same' on an even size: one pixel of padding, which TensorFlow puts after (SAME_UPPER).
  const c1 = apply(tf.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', ...conv }), input);
  const bnAfterActivation = apply(batchNorm('bn_after_activation'), c1);
  const dw = apply(
    tf.layers.depthwiseConv2d({
      name: 'dw',
      kernelSize: 3,
      depthMultiplier: 2,
      padding: 'same',
      useBias: true,
      depthwiseInitializer: uniform(-0.5, 0.5),
      biasInitializer: uniform(-0.2, 0.2),
    }),
    bnAfterActivation,
  );
  const bnFolded = apply(batchNorm('bn_folded'), dw);
  const relu6 = apply(tf.layers.reLU({ name: 'relu6', maxValue: 6 }), bnFolded);
  // An even kernel with 'same' at stride 1: one pixel of padding, after.
  const c2 = apply(tf.layers.conv2d({ name: 'c2', filters: 12, kernelSize: 2, padding: 'same', useBias: false, kernelInitializer: uniform(-0.5, 0.5) }), relu6);
  // c2's output also feeds the Add: its batch norm cannot fold into it.
  const bnShared = apply(batchNorm('bn_shared'), c2);
  const sum = apply(tf.layers.add({ name: 'sum3' }), [relu6, bnShared, c2]);
  const padded = apply(
    tf.layers.zeroPadding2d({
      name: 'zp',
      padding: [
        [2, 0],
        [0, 2],
      ],
    }),
    sum,
  );
  const maxPool = apply(tf.layers.maxPooling2d({ name: 'mp', poolSize: 3, strides: 2, padding: 'same' }), padded);
  const avgPool = apply(tf.layers.averagePooling2d({ name: 'ap', poolSize: 3, strides: 2, padding: 'same' }), padded);
  const joined = apply(tf.layers.concatenate({ name: 'cat' }), [maxPool, avgPool]);
  const squashed = apply(tf.layers.activation({ name: 'sig', activation: 'sigmoid' }), joined);
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), squashed);
  // Layer normalisation over height and width and over the channels, and a three-way product.
  const overPositions = apply(tf.layers.layerNormalization({ name: 'ln_hw', axis: [1, 2], epsilon: 1e-5, center: false, scale: false }), joined);
  const overChannels = apply(tf.layers.layerNormalization({ name: 'ln_c', axis: -1, center: false, scale: false }), joined);
  const product = apply(tf.layers.multiply({ name: 'product3' }), [joined, overPositions, overChannels]);
  return tf.model({ inputs: input, outputs: [sum, joined, squashed, pooled, product] });
}

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  return saved!;
}

test('every layer handler matches TF.js on a model that uses all of them (relative difference ≤ 1e-4)', async () => {
  const model = buildModel();
  const artifacts = await artifactsOf(model);
  const weights = KerasWeights.decode(artifacts.weightSpecs!, artifacts.weightData as ArrayBuffer);
  const converted = convertKerasToOnnx(topologyOf(model), weights, { pooled: ['sum3', 'sig', 'gap'], activations: ['cat', 'product3'] });

  const nodes = onnxProto.onnx.ModelProto.decode(converted.bytes).graph!.node!;
  const ops = nodes.map((n) => n.opType);
  assert.equal(
    nodes.filter((n) => n.opType === 'Mul' && n.name!.startsWith('bn_')).length,
    2,
    'the two batch norms that cannot fold become Mul + Add; the one after dw folds',
  );
  assert.ok(ops.includes('Sum'), 'a three-way Add is a Sum');
  assert.equal(converted.kerasParams, model.countParams(), 'parameters counted as TF.js counts them');

  const n = 3;
  const pixels = Float32Array.from({ length: n * SIZE * SIZE * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const expected = tf.tidy(() =>
    (model.predict(tf.tensor4d(pixels, [n, SIZE, SIZE, 3])) as tf.Tensor[]).map((t, i) => (i === 0 || i === 2 ? t.mean([1, 2]) : t).dataSync() as Float32Array),
  );
  const session = await ort.InferenceSession.create(converted.bytes, { graphOptimizationLevel: 'all' });
  const actual = await session.run({ input: new ort.Tensor('float32', pixels, [n, SIZE, SIZE, 3]) });
  const outputs = [pooledOutputName('sum3'), activationsOutputName('cat'), pooledOutputName('sig'), pooledOutputName('gap'), activationsOutputName('product3')];
  assert.deepEqual(actual[activationsOutputName('cat')].dims, [n, 5, 5, 24], 'raw activations in NHWC (16 → 8 after c1, padded to 10 × 10, pooled to 5 × 5)');
  outputs.forEach((output, i) => {
    const got = actual[output].data as Float32Array;
    const want = expected[i];
    assert.equal(got.length, want.length, output);
    const scale = Math.max(...want.map(Math.abs));
    const worst = Math.max(...want.map((w, j) => Math.abs(got[j] - w)));
    assert.ok(worst / scale <= 1e-4, `${output}: relative difference ${(worst / scale).toExponential(2)}`);
  });
  await session.release();
  model.dispose();
});
