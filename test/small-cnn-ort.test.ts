import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { buildSmallCnnGraphs } from '../src/core/onnx/small-cnn-graphs.js';
import { loadOnnxRuntime, openOnnxSession } from '../src/core/onnx/session.js';
import { createRng } from '../src/core/random.js';
import { weightedCrossEntropy } from '../src/core/training/head.js';
import { initialParameters, trainSmallCnnOnOrt, transposeKernel } from '../src/core/training/small-cnn-ort.js';
import { buildSmallCnn, flipAndShift } from '../src/core/training/small-cnn.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import type { SessionFactory } from '../src/core/onnx/session.js';
import type { HeadConfig } from '../src/core/result.js';
import { scoreProbabilities } from '../src/core/training/augmentation.js';
import { defaultConfig, disposeFitted, fit, predictProbabilities, type PreparedCandidate } from '../src/core/training/candidates.js';
import type { Examples } from '../src/core/training/head.js';
import { SAMPLE } from './helpers/datasets.js';

await ensureBackend();

/** Random image bytes as floats, N×S×S×3. */
function images(n: number, size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * size * size * 3 }, () => Math.floor(rng() * 256));
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / Math.max(scale, 1e-12);
}

// An odd input side (28 → 14 → 7 → 3) so the last pooling drops a row and a column, a hidden
// layer, label smoothing and class weights: every path of the hand-written backward pass.
for (const size of [28, 16]) {
  test(`the ONNX Runtime step graph's gradients equal TF.js's autodiff of the same loss (small CNN @${size}, hidden layer, smoothing, class weights)`, async () => {
    const classes = 3;
    const hidden = [8];
    const n = 6;
    const smoothing = 0.1;
    const classWeights = [0.5, 1, 2];
    const labels = [0, 1, 2, 2, 1, 0];
    const model = buildSmallCnn(size, 11);
    const graphs = buildSmallCnnGraphs(size, hidden, classes);
    const params = initialParameters(model, graphs, {}, createRng(5));
    // Non-trivial batch norm scales and shifts, so their gradients are tested away from 1 and 0.
    const rng = createRng(9);
    for (const p of graphs.parameters)
      if (p.role === 'gamma' || p.role === 'beta')
        params.set(
          p.name,
          Float32Array.from(params.get(p.name)!, () => 0.5 + rng()),
        );
    const x = images(n, size, 3);
    const target = new Float32Array(n * classes).fill(smoothing / classes);
    labels.forEach((label, i) => (target[i * classes + label] += 1 - smoothing));

    const ort = await loadOnnxRuntime();
    const { session } = await openOnnxSession(graphs.step, { threads: 1 });
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      x: new ort.Tensor('float32', x, [n, size, size, 3]),
      target: new ort.Tensor('float32', target, [n, classes]),
      weight: new ort.Tensor(
        'float32',
        Float32Array.from(labels, (l) => classWeights[l] / n),
        [n, 1],
      ),
    };
    graphs.denseInputs.forEach((width, j) => (feeds[`mask_${j}`] = new ort.Tensor('float32', new Float32Array(n * width).fill(1), [n, width])));
    for (const p of graphs.parameters) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape);
    const out = await session.run(feeds);
    await session.release();

    // TF.js: the same network, weights and loss, differentiated by TF.js itself.
    for (const p of graphs.parameters.filter((q) => q.name.startsWith('block'))) {
      const conv = p.name.replace(/_(kernel|gamma|beta)$/, '');
      const name = p.role === 'kernel' ? `${conv}/kernel` : `${conv}_bn/${p.role}`;
      const variable = model.weights.find((w) => w.originalName === name)!;
      const values = p.role === 'kernel' ? transposeKernel(params.get(p.name)!, p.shape, true) : params.get(p.name)!;
      variable.write(tf.tensor(values, variable.shape as number[]));
    }
    const dense = [0, 1].map((j) => ({
      kernel: tf.variable(
        tf.tensor2d(params.get(`dense${j}_kernel`)!, graphs.parameters.find((p) => p.name === `dense${j}_kernel`)!.shape as [number, number]),
      ),
      bias: tf.variable(tf.tensor1d(params.get(`dense${j}_bias`)!)),
    }));
    const xb = tf.tensor4d(x, [n, size, size, 3]);
    const yb = tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D;
    const wb = tf.tensor1d(labels.map((l) => classWeights[l]));
    const trunkVariables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const features = model.apply(xb, { training: true }) as tf.Tensor2D;
      const logits = features.matMul(dense[0].kernel).add(dense[0].bias).relu().matMul(dense[1].kernel).add<tf.Tensor2D>(dense[1].bias);
      return weightedCrossEntropy(yb, logits, wb, smoothing);
    }, [...trunkVariables, ...dense.flatMap((d) => [d.kernel, d.bias])]);

    assert.ok(
      Math.abs((out.loss.data as Float32Array)[0] - value.dataSync()[0]) < 1e-4,
      `loss ${(out.loss.data as Float32Array)[0]} vs ${value.dataSync()[0]}`,
    );
    const byName = new Map(model.trainableWeights.map((w) => [w.originalName, grads[(w.read() as tf.Variable).name]]));
    for (const p of graphs.parameters) {
      const ours = out[`grad_${p.name}`].data as Float32Array;
      let theirs: Float32Array;
      if (p.name.startsWith('dense')) {
        const j = Number(p.name[5]);
        theirs = grads[(p.role === 'kernel' ? dense[j].kernel : dense[j].bias).name].dataSync() as Float32Array;
      } else {
        const conv = p.name.replace(/_(kernel|gamma|beta)$/, '');
        const raw = byName.get(p.role === 'kernel' ? `${conv}/kernel` : `${conv}_bn/${p.role}`)!.dataSync() as Float32Array;
        theirs = p.role === 'kernel' ? transposeKernel(raw, p.shape, false) : raw;
      }
      assert.equal(ours.length, theirs.length, p.name);
      const error = maxRelativeError(ours, theirs);
      assert.ok(error < 2e-3, `${p.name}: largest difference ${error.toExponential(2)} of the largest gradient`);
    }
    // The batch statistics the trainer blends into the moving ones: the first conv's, against TF.js's moments.
    const first = tf.tidy(() => {
      const z = tf.conv2d(xb.div<tf.Tensor4D>(255), model.weights.find((w) => w.originalName === 'block1_conv1/kernel')!.read() as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(z, [0, 1, 2]);
      return { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array };
    });
    assert.ok(maxRelativeError(out.block1_conv1_mean.data as Float32Array, first.mean) < 1e-4);
    assert.ok(maxRelativeError(out.block1_conv1_variance.data as Float32Array, first.variance) < 1e-4);
    tf.dispose([value, ...Object.values(grads), xb, yb, wb, ...dense.flatMap((d) => [d.kernel, d.bias])]);
    model.dispose();
  });
}

// ---------------------------------------------------------------------------------------
// The trainer on real images: what it writes back into the TF.js model answers as it scored.

async function pixels(size: number): Promise<{ train: Examples; val: Examples; labels: string[] }> {
  const labels = readdirSync(SAMPLE).sort();
  const rows: { x: Uint8Array; y: number }[] = [];
  for (const [y, label] of labels.entries()) {
    for (const file of readdirSync(join(SAMPLE, label)).sort()) rows.push({ x: await decodeToRgb(join(SAMPLE, label, file), size, 1e7), y });
  }
  // Every fourth image validates; the rest train.
  const pick = (keep: (i: number) => boolean): Examples => {
    const chosen = rows.filter((_, i) => keep(i));
    const x = new Float32Array(chosen.length * size * size * 3);
    chosen.forEach((r, i) => x.set(r.x, i * size * size * 3));
    return { x, y: Int32Array.from(chosen, (r) => r.y), rows: chosen.length };
  };
  return { train: pick((i) => i % 4 !== 0), val: pick((i) => i % 4 === 0), labels };
}

const SIZE = 28;
const data = await pixels(SIZE);
const config: HeadConfig = { ...defaultConfig('scratch', 12), epochs: 12 };
const clock = { deadline: Infinity, now: () => 0 };

test('the small CNN trained on ONNX Runtime learns real images, and the TF.js model it writes back scores them as the trainer did', async () => {
  const model = buildSmallCnn(SIZE, 3);
  const head = await trainSmallCnnOnOrt(data.train, data.val, {
    numClasses: data.labels.length,
    config,
    seed: 3,
    ...clock,
    trunk: { model, inputShape: [SIZE, SIZE, 3], augment: flipAndShift(SIZE) },
    threads: 2,
  });
  assert.ok(head.curve.length >= 1 && head.curve.length <= 12);
  assert.ok(head.valAccuracy >= 0.75, `validation accuracy ${head.valAccuracy} on ${data.val.rows} images of ${data.labels.length} labels`);
  // The same images through TF.js (the export's model): kernels, batch norm statistics and the
  // flatten order must all have come back right for the probabilities to agree.
  const probabilities = predictProbabilities({ head, trunk: model, trunkRole: 'whole', config, seconds: 0 }, data.val);
  const scored = scoreProbabilities(probabilities, data.val.y, data.labels.length);
  assert.equal(scored.valAccuracy, head.valAccuracy);
  assert.ok(Math.abs(scored.valLoss - head.valLoss) < 1e-3, `TF.js loss ${scored.valLoss} vs ORT ${head.valLoss}`);
  model.dispose();
});

test('the same seed trains the same small CNN on ONNX Runtime', async () => {
  const run = async () => {
    const model = buildSmallCnn(SIZE, 5);
    const head = await trainSmallCnnOnOrt(data.train, data.val, {
      numClasses: data.labels.length,
      config: { ...config, epochs: 3 },
      seed: 5,
      ...clock,
      trunk: { model, inputShape: [SIZE, SIZE, 3], augment: flipAndShift(SIZE) },
      threads: 2,
    });
    model.dispose();
    return head.curve;
  };
  assert.deepEqual(await run(), await run());
});

test('fit trains a scratch candidate on ONNX Runtime when the candidate says so, else on TF.js', async () => {
  const candidate = (cnnTrainer?: PreparedCandidate['cnnTrainer']): PreparedCandidate => ({
    spec: parseBackboneSpec(`small_cnn@${SIZE}`),
    displayName: 'Small CNN',
    kind: 'scratch',
    featureDim: 0,
    backboneParams: 0,
    train: data.train,
    val: data.val,
    test: data.val,
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    ...(cnnTrainer ? { cnnTrainer } : {}),
  });
  const sessions: string[] = [];
  const runtime = await loadOnnxRuntime();
  const createSession: SessionFactory = (model, options) => {
    sessions.push(typeof model);
    return runtime.InferenceSession.create(model as Uint8Array, options);
  };
  const context = { numClasses: data.labels.length, seed: 4, ...clock };
  const onOrt = await fit(candidate({ engine: 'onnxruntime', threads: 2, createSession }), { ...config, epochs: 2 }, context);
  assert.deepEqual(sessions, ['object', 'object'], 'the step and inference graphs, opened from memory');
  const onTfjs = await fit(candidate(), { ...config, epochs: 2 }, context);
  assert.equal(sessions.length, 2, 'TF.js training opens no ORT session');
  assert.equal(onOrt.head.curve.length, 2);
  assert.equal(onTfjs.head.curve.length, 2);
  disposeFitted(onOrt);
  disposeFitted(onTfjs);
});

test('on ONNX Runtime too, a cosine schedule changes the rate after the first epoch and runs every epoch', async () => {
  const train = async (c: HeadConfig) => {
    const model = buildSmallCnn(SIZE, 6);
    const head = await trainSmallCnnOnOrt(data.train, data.val, {
      numClasses: data.labels.length,
      config: c,
      seed: 6,
      ...clock,
      patience: 1,
      trunk: { model, inputShape: [SIZE, SIZE, 3] },
      threads: 2,
    });
    model.dispose();
    return head.curve;
  };
  const cosine: HeadConfig = { ...config, epochs: 4, schedule: 'cosine' };
  const [scheduled, constant] = [await train(cosine), await train({ ...cosine, schedule: 'constant' })];
  assert.equal(scheduled.length, 4);
  assert.deepEqual(scheduled[0], constant[0]);
  assert.notDeepEqual(scheduled[1], constant[1]);
});
