/**
 * model.onnx, the exported classifier for ONNX Runtime: the layers the fused export adds to a
 * backbone (Rescaling, Flatten, Dense, softsign, softmax) converted against TF.js; a real
 * trained run (fine-tuned MobileNetV2) and the hog and small_cnn winners exported with
 * model.onnx that agrees with model.json on the test split; loadClassifier's engine choice
 * (auto, onnx, tfjs, ORT missing); `predict --engine` from the CLI; and the checker's veto.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { topologyOf } from '../src/core/backbones/keras-topology.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { InputError } from '../src/core/errors.js';
import { evaluate } from '../src/core/evaluate.js';
import { loadClassifier, type Classifier } from '../src/core/model/classifier.js';
import { exportModel } from '../src/core/model/export.js';
import { pythonWithOnnx } from '../src/core/onnx/checker.js';
import { buildOnnxFromFusedModel, CLASSIFIER_INPUT, CLASSIFIER_OUTPUT } from '../src/core/onnx/export-classifier.js';
import { DEFAULTS } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { runBakeOff, splitOf } from '../src/core/training/bakeoff.js';
import { disposeFitted } from '../src/core/training/candidates.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';
import { CLI_ENTRY } from './helpers/fixtures.js';
import { saveTinyConvModel } from './helpers/models.js';

await ensureBackend();

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;

async function fusedSourceOf(model: tf.LayersModel) {
  let source: Parameters<typeof buildOnnxFromFusedModel>[0] | null = null;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      source = { topology: topologyOf(model), weightSpecs: artifacts.weightSpecs!, weightData: artifacts.weightData as ArrayBuffer };
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } });
    }),
  );
  return source!;
}

async function runOnnx(bytes: Uint8Array, pixels: Uint8Array, n: number, size: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ [CLASSIFIER_INPUT]: new ort.Tensor('uint8', pixels, [n, size, size, 3]) });
    return out[CLASSIFIER_OUTPUT].data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The first sample image of a label. */
const sampleImage = (label: string) => join(SAMPLE, label, readdirSync(join(SAMPLE, label)).sort()[0]);

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

test('Rescaling, Flatten (Keras NHWC order), Dense with bias and without, softsign and softmax convert to what TF.js computes', async () => {
  const size = 8;
  let seed = 11;
  const init = () => tf.initializers.randomUniform({ minval: -0.6, maxval: 0.6, seed: seed++ });
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = apply(tf.layers.rescaling({ scale: 2 / 255, offset: -1, name: 'rescale' }), input);
  x = apply(tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(), biasInitializer: init() }), x);
  x = apply(tf.layers.activation({ name: 'soft', activation: 'softsign' }), x);
  // A flatten in the wrong (NCHW) order would scramble which weight meets which value.
  x = apply(tf.layers.flatten({ name: 'flat' }), x);
  x = apply(tf.layers.dense({ name: 'hidden', units: 7, activation: 'relu', kernelInitializer: init(), biasInitializer: init() }), x);
  x = apply(tf.layers.dense({ name: 'nobias', units: 5, useBias: false, kernelInitializer: init() }), x);
  x = apply(tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: init(), biasInitializer: init() }), x);
  const model = tf.model({ inputs: input, outputs: x });
  const n = 4;
  const pixels = Uint8Array.from({ length: n * size * size * 3 }, (_, i) => (i * 37 + (i >> 3) * 11) % 256);
  const expected = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [n, size, size, 3], 'int32').toFloat()) as tf.Tensor).dataSync() as Float32Array);
  const got = await runOnnx(buildOnnxFromFusedModel(await fusedSourceOf(model), size, ['a', 'b', 'c']), pixels, n, size);
  model.dispose();
  assert.equal(got.length, n * 3);
  assert.ok(maxDifference(got, expected) <= 1e-5, `differ by ${maxDifference(got, expected)}`);
  assert.ok(Math.max(...expected) - Math.min(...expected) > 0.05, 'the outputs are not uniform, so the comparison means something');
});

test('the converter refuses what it cannot express, by layer: softmax on feature maps, a Dense layer on maps', async () => {
  const input = tf.input({ shape: [4, 4, 3], name: 'input' });
  const mapsSoftmax = tf.model({ inputs: input, outputs: apply(tf.layers.activation({ name: 'map_softmax', activation: 'softmax' }), input) });
  assert.throws(
    () => buildOnnxFromFusedModel(topologyOnly(mapsSoftmax), 4, ['a', 'b', 'c']),
    (e: Error) => e instanceof InputError && /"map_softmax".*softmax is supported on vectors only/.test(e.message),
  );
  const mapsDense = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ name: 'map_dense', units: 3 }), input) });
  const source = await fusedSourceOf(mapsDense);
  assert.throws(
    () => buildOnnxFromFusedModel(source, 4, ['a', 'b', 'c']),
    (e: Error) => e instanceof InputError && /"map_dense".*feature map/.test(e.message),
  );
  mapsSoftmax.dispose();
  mapsDense.dispose();
});

function topologyOnly(model: tf.LayersModel): Parameters<typeof buildOnnxFromFusedModel>[0] {
  return { topology: topologyOf(model), weightSpecs: [], weightData: new ArrayBuffer(0) };
}

/** The test split's images, as the run split them. */
async function testImages(dataset: string) {
  const prepared = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
  return prepared.images.filter((i) => i.split === 'test');
}

/** ONNX and TF.js on the same images: the share of equal labels, and the largest probability difference (logged). */
async function agreement(onnx: Classifier, tfjs: Classifier, paths: string[], log: (text: string) => void) {
  let same = 0;
  let worst = 0;
  for (const path of paths) {
    const [a, b] = [await onnx.classify(path), await tfjs.classify(path)];
    if (a.label === b.label) same++;
    worst = Math.max(worst, maxDifference(Object.values(a.probabilities), Object.values(b.probabilities)));
  }
  log(`ONNX vs TF.js on ${paths.length} images: same label on ${same}, probabilities within ${worst.toExponential(1)}`);
  return { share: same / paths.length, worst };
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('a trained run (fine-tuned MobileNetV2) ships model.onnx that agrees with model.json on the test split; predict --engine onnx|tfjs; the engine choice', async (t) => {
  const outDir = join(tempDir(), 'run');
  const result = await train(
    {
      ...DEFAULTS,
      datasetPath: SAMPLE,
      outDir,
      cacheDir: tempDir(),
      backbones: ['mobilenet_v2@64'],
      budgetSeconds: 60,
      trials: 2,
      epochs: 8,
      fineTune: 'true',
      workers: 1,
    },
    { log: silentLogger },
  );
  const dir = join(outDir, 'model');
  assert.ok(
    result.timings.some((t) => t.stage === 'fineTune'),
    'the winner was fine-tuned: model.onnx carries the tuned top block',
  );
  assert.equal(result.model.onnx?.written, true, JSON.stringify(result.model.onnx));
  assert.equal(result.model.onnx?.checker, pythonWithOnnx() ? 'passed' : 'unavailable', 'the ONNX checker ran where python3-onnx is installed');
  const listed = result.model.files.find((f) => f.name === 'model.onnx');
  assert.equal(
    listed?.bytes,
    readFileSync(join(dir, 'model.onnx')).length,
    `model.onnx is listed with its size: ${JSON.stringify(result.model.files.map((f) => f.name))}`,
  );

  const onnx = await loadClassifier(dir, { engine: 'onnx' });
  const tfjs = await loadClassifier(dir, { engine: 'tfjs' });
  const auto = await loadClassifier(dir);
  try {
    assert.equal(onnx.engine, 'onnx');
    assert.equal(tfjs.engine, 'tfjs');
    assert.equal(auto.engine, 'onnx', 'auto prefers model.onnx when ONNX Runtime loads');
    const tests = await testImages(SAMPLE);
    assert.ok(tests.length >= 15, `${tests.length} test images`);
    const { share, worst } = await agreement(
      onnx,
      tfjs,
      tests.map((i) => i.path),
      (text) => t.diagnostic(text),
    );
    assert.ok(share >= 0.99, `same label on ${(share * 100).toFixed(1)}% of the test split`);
    assert.ok(worst <= 1e-3, `probabilities differ by up to ${worst}`);
    // A batch through classifyPixels: the same rows as one by one.
    const pixels = new Uint8Array(2 * 64 * 64 * 3);
    for (const [k, image] of tests.slice(0, 2).entries()) pixels.set(await decodeToRgb(image.path, 64, DEFAULTS.maxPixels), k * 64 * 64 * 3);
    const batch = await onnx.classifyPixels(pixels, 2);
    assert.ok(maxDifference(batch.subarray(4, 8), Object.values((await onnx.classify(tests[1].path)).probabilities)) <= 1e-5);
  } finally {
    for (const c of [onnx, tfjs, auto]) await c.dispose();
  }
  // Disposed: its session is released; a second dispose is harmless; classifying says what to do.
  await onnx.dispose();
  await assert.rejects(onnx.classify(sampleImage('bag')), /This classifier was disposed; load the model again with loadClassifier/);

  // ORT cannot load: auto runs TF.js; onnx says what happened and what to do.
  const broken = () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file'));
  const fallback = await loadClassifier(dir, { engine: 'auto', loadRuntime: broken });
  assert.equal(fallback.engine, 'tfjs');
  assert.equal(typeof (await fallback.classify(sampleImage('bag'))).probabilities.bag, 'number');
  await fallback.dispose();
  await assert.rejects(
    loadClassifier(dir, { engine: 'onnx', loadRuntime: broken }),
    (e: Error) => e instanceof InputError && /onnxruntime-node did not load \(libonnxruntime.*--engine tfjs/.test(e.message),
  );

  // From the CLI: both engines, named in every --json line.
  const image = sampleImage('sneaker');
  const [viaOnnx, viaTfjs] = await Promise.all(['onnx', 'tfjs'].map((engine) => cli(['predict', dir, image, '--json', '--engine', engine])));
  const lines = [viaOnnx, viaTfjs].map((run) => {
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout.trim()) as { engine: string; label: string; probabilities: Record<string, number> };
  });
  assert.deepEqual(
    lines.map((l) => l.engine),
    ['onnx', 'tfjs'],
  );
  assert.equal(lines[0].label, lines[1].label);
  assert.ok(maxDifference(Object.values(lines[0].probabilities), Object.values(lines[1].probabilities)) <= 1e-3);

  // README's Node example, as printed there, on this model: the label and the raw probability model.onnx gives for decodeToRgb's pixels.
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const example = /### Use model\.onnx[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.ok(example.includes("'runs/mine/model'") && example.includes("'photo.jpg'"), 'the README has the Node example');
  const printed = await new Promise<string>((done, fail) =>
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', example.replace("'runs/mine/model'", JSON.stringify(dir)).replace("'photo.jpg'", JSON.stringify(image))],
      { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' },
      (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout.trim())),
    ),
  );
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const raw = (await session.run({ image: new ort.Tensor('uint8', await decodeToRgb(image, 64, DEFAULTS.maxPixels), [1, 64, 64, 3]) })).probabilities
    .data as Float32Array;
  await session.release();
  const [label, probability] = printed.split(' ');
  assert.equal(label, lines[0].label, printed);
  assert.ok(Math.abs(Number(probability) - Math.max(...raw)) <= 1e-6, `${printed} vs ${Math.max(...raw)}`);

  // A model folder without model.onnx: --engine onnx names the file and the way out; auto uses TF.js.
  const bare = join(tempDir(), 'model');
  cpSync(dir, bare, { recursive: true });
  rmSync(join(bare, 'model.onnx'));
  const missing = await cli(['predict', bare, image, '--engine', 'onnx']);
  assert.equal(missing.code, 2, 'bad input: exit code 2');
  assert.match(missing.stderr, /model\.onnx is missing: this model was exported without ONNX.*Use --engine tfjs/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  const autoBare = await cli(['predict', bare, image, '--json']);
  assert.equal(JSON.parse(autoBare.stdout).engine, 'tfjs');
  const wrong = await cli(['predict', bare, image, '--engine', 'gpu']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--engine must be one of auto, onnx, tfjs; got "gpu"/);
  assert.match((await cli(['predict', '--help'])).stdout, /--engine <e>/);
});

test('hog and small_cnn winners export model.onnx that agrees with model.json; a checker that fails keeps model.onnx out', async (t) => {
  const data = await prepareDataset(
    { datasetPath: SAMPLE, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
  const { labels } = data;
  const tests = splitOf(data.images, 'test');
  const cacheDir = tempDir();
  for (const backbone of ['hog@28', 'small_cnn@16']) {
    const { winner } = await runBakeOff([parseBackboneSpec(backbone)], {
      dataset: data,
      cacheDir,
      maxPixels: DEFAULTS.maxPixels,
      workers: 1,
      maxEpochs: 4,
      seed: 5,
      deadline: Infinity,
      now: () => 0,
      log: silentLogger,
    });
    const { prepared, fitted } = winner;
    // The metrics file is not what this test reads; any honest metrics will do.
    const metrics = evaluate(
      labels,
      tests.map((i) => ({ file: i.file, sha256: i.sha256, label: labels.indexOf(i.label) })),
      new Float32Array(tests.length * labels.length).fill(1 / labels.length),
    );
    try {
      const dir = join(tempDir(), 'model');
      const info = await exportModel({ dir, displayDir: dir, prepared, fitted, labels, metrics });
      assert.equal(info.onnx?.written, true, `${backbone}: ${JSON.stringify(info.onnx)}`);
      const onnx = await loadClassifier(dir, { engine: 'onnx' });
      const tfjs = await loadClassifier(dir, { engine: 'tfjs' });
      const { share, worst } = await agreement(
        onnx,
        tfjs,
        tests.map((i) => i.path),
        (text) => t.diagnostic(`${backbone}: ${text}`),
      );
      await onnx.dispose();
      await tfjs.dispose();
      assert.ok(share >= 0.99, `${backbone}: same label on ${(share * 100).toFixed(1)}%`);
      assert.ok(worst <= 1e-3, `${backbone}: probabilities differ by up to ${worst}`);

      const vetoed = join(tempDir(), 'model');
      const refused = await exportModel({
        dir: vetoed,
        displayDir: vetoed,
        prepared,
        fitted,
        labels,
        metrics,
        checkOnnx: () => ({ status: 'failed', detail: 'ValidationError: made up' }),
      });
      assert.deepEqual(refused.onnx, { written: false, reason: 'the ONNX checker rejected it (ValidationError: made up)', checker: 'failed' });
      assert.equal(existsSync(join(vetoed, 'model.onnx')), false, 'a file the checker rejects is not shipped');
      assert.ok(!refused.files.some((f) => f.name === 'model.onnx'));
    } finally {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
  }
});

/** A small functional Keras model (model_config, as Keras writes it) saved as dir/model.json; `activation` on its second conv. */
async function saveKerasConvModel(dir: string, activation: 'relu' | 'elu'): Promise<string> {
  const input = tf.input({ shape: [16, 16, 3], name: 'img' });
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  let x = apply(tf.layers.conv2d({ name: 'user_conv1', filters: 6, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }), input);
  x = apply(tf.layers.batchNormalization({ name: 'user_bn' }), x);
  x = apply(tf.layers.conv2d({ name: 'user_conv2', filters: 8, kernelSize: 3, strides: 2, activation, kernelInitializer: init(2) }), x);
  const model = tf.model({ inputs: input, outputs: x });
  mkdirSync(dir, { recursive: true });
  const source = await fusedSourceOf(model);
  writeFileSync(join(dir, 'weights.bin'), Buffer.from(source.weightData));
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({ format: 'layers-model', modelTopology: source.topology, weightsManifest: [{ paths: ['weights.bin'], weights: source.weightSpecs }] }),
  );
  model.dispose();
  return join(dir, 'model.json');
}

test('a user TF.js backbone: model.onnx when the converter covers its layers; otherwise the reason names the layer', async (t) => {
  const data = await prepareDataset(
    { datasetPath: sampleSubset(8, ['bag', 'trouser']), split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
  const { labels } = data;
  const tests = splitOf(data.images, 'test');
  const metrics = evaluate(
    labels,
    tests.map((i) => ({ file: i.file, sha256: i.sha256, label: labels.indexOf(i.label) })),
    new Float32Array(tests.length * labels.length).fill(1 / labels.length),
  );
  const root = tempDir();
  // Not one Keras graph (no model_config): exported in two parts, which have no ONNX form.
  await saveTinyConvModel(join(root, 'two-part'));
  {
    const { winner } = await runBakeOff([parseBackboneSpec(`${join(root, 'two-part', 'model.json')}@16`)], {
      dataset: data,
      cacheDir: tempDir(),
      maxPixels: DEFAULTS.maxPixels,
      workers: 1,
      maxEpochs: 2,
      seed: 5,
      deadline: Infinity,
      now: () => 0,
      log: silentLogger,
    });
    const dir = join(tempDir(), 'model');
    try {
      const info = await exportModel({ dir, displayDir: dir, prepared: winner.prepared, fitted: winner.fitted, labels, metrics });
      assert.equal(info.onnx?.written, false);
      assert.match(info.onnx?.reason ?? '', /exported in two parts/);
    } finally {
      disposeFitted(winner.fitted);
      winner.prepared.extractor?.dispose();
    }
    await assert.rejects(
      loadClassifier(dir, { engine: 'onnx' }),
      (e: Error) => e instanceof InputError && /two-part model .* no model\.onnx\. Use --engine tfjs/.test(e.message),
    );
  }
  for (const activation of ['relu', 'elu'] as const) {
    const path = await saveKerasConvModel(join(root, activation), activation);
    const { winner } = await runBakeOff([parseBackboneSpec(`${path}@16`)], {
      dataset: data,
      cacheDir: tempDir(),
      maxPixels: DEFAULTS.maxPixels,
      workers: 1,
      maxEpochs: 4,
      seed: 5,
      deadline: Infinity,
      now: () => 0,
      log: silentLogger,
    });
    const { prepared, fitted } = winner;
    try {
      const dir = join(tempDir(), 'model');
      const info = await exportModel({ dir, displayDir: dir, prepared, fitted, labels, metrics });
      assert.equal(
        JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')).format,
        'classifier-ci/fused-layers-v1',
        'a functional Keras model is fused',
      );
      if (activation === 'elu') {
        assert.equal(info.onnx?.written, false);
        assert.match(info.onnx?.reason ?? '', /"user_conv2".*activation "elu" is not supported/);
        assert.equal(existsSync(join(dir, 'model.onnx')), false);
        const auto = await loadClassifier(dir);
        assert.equal(auto.engine, 'tfjs', 'auto runs model.json when there is no model.onnx');
        await auto.dispose();
        continue;
      }
      assert.equal(info.onnx?.written, true, JSON.stringify(info.onnx));
      const onnx = await loadClassifier(dir, { engine: 'onnx' });
      const tfjs = await loadClassifier(dir, { engine: 'tfjs' });
      const { share, worst } = await agreement(
        onnx,
        tfjs,
        data.images.map((i) => i.path),
        (text) => t.diagnostic(text),
      );
      await onnx.dispose();
      await tfjs.dispose();
      assert.ok(share >= 0.99 && worst <= 1e-3, `same label on ${share}, probabilities within ${worst}`);
    } finally {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
  }
});
