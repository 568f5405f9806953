/**
 * The whole engine on real Fashion-MNIST images: train → result.json → model/ → predict.
 * Small settings keep it quick; every assertion is about behaviour a user relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadClassifier } from '../src/core/model/classifier.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { parseRunResult, type RunResult } from '../src/core/result.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { addSampleImages, sampleSubset, tempDir } from './helpers/datasets.js';
import { CLI_ENTRY } from './helpers/fixtures.js';
import { execFile } from 'node:child_process';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { MIN_CALIBRATION_IMAGES } from '../src/core/training/calibration.js';
import { evaluate } from '../src/core/evaluate.js';
import { exportModel } from '../src/core/model/export.js';
import { runBakeOff, splitOf } from '../src/core/training/bakeoff.js';
import { disposeFitted, predictProbabilities } from '../src/core/training/candidates.js';
import { replaceFolder } from '../src/core/run/stages/export.js';

interface PredictLine {
  file: string;
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
}

/** `classifier-ci predict <dir> <files…> --json`, as a user runs it; one parsed line per image. */
function predictJson(dir: string, files: string[]): Promise<PredictLine[]> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI_ENTRY, 'predict', dir, ...files, '--json', '--engine', 'tfjs'],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`predict failed: ${error.message}\n${stderr}`));
        else
          done(
            stdout
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as PredictLine),
          );
      },
    );
  });
}

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
    // The TF.js engine: these tests hold the engine's numbers to the TF.js export's exactly (1e-4).
    // ONNX Runtime's runs are in engine-pipeline.test.ts.
    engine: 'tfjs',
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
  assert.deepEqual(
    result1.bakeOff.candidates.map((c) => c.backbone),
    ['mobilenet_v2@64', 'small_cnn@16'],
  );
  const mobilenet = result1.bakeOff.candidates[0];
  assert.equal(mobilenet.embeddingsComputed, 30);
  assert.equal(mobilenet.embeddingsCached, 0);
  assert.ok(mobilenet.curve.length >= 1 && mobilenet.curve.every((p) => Number.isFinite(p.valLoss)));
  assert.ok(result1.tuning.trials.length >= 1 && result1.tuning.trials[0].status === 'seed');
  assert.equal(
    result1.test.images,
    result1.dataset.counts.reduce((n, c) => n + c.test, 0),
  );
  // model.onnx, when the export writes one, is the ONNX export's own business (and tests).
  assert.deepEqual(
    result1.model.files.map((f) => f.name).filter((n) => n !== 'model.onnx'),
    ['labels.json', 'metrics.json', 'model.json', 'preprocessing.json', 'weights.bin'],
  );
  assert.equal(result1.backend.name, 'wasm');
  assert.deepEqual(result1.backend.inference, {
    engine: 'tfjs',
    provider: 'wasm',
    threads: 1,
    skipped: [{ engine: 'onnxruntime', reason: 'not asked for (engine: tfjs)' }],
  });

  const second = await train(options(join(tempDir(), 'run2')), { log: silentLogger });
  assert.equal(second.bakeOff.candidates[0].embeddingsComputed, 0, 'every embedding came from the cache');
  assert.equal(second.bakeOff.candidates[0].embeddingsCached, 30);
  // Same data, seed and backend: the same run.
  assert.deepEqual(second.test, result1.test);
  assert.deepEqual(
    second.bakeOff.candidates.map((c) => c.curve),
    result1.bakeOff.candidates.map((c) => c.curve),
  );
  assert.deepEqual(
    second.tuning.trials.map((t) => [t.config, t.valAccuracy]),
    result1.tuning.trials.map((t) => [t.config, t.valAccuracy]),
  );
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
  const prepared = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
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
  // Every metric the run reported, re-derived from the exported model's probabilities.
  const exported = new Float32Array(tests.length * classifier.labels.length);
  for (const [row, image] of tests.entries())
    exported.set(Object.values((await classifier.classify(image.path)).probabilities), row * classifier.labels.length);
  const rederived = evaluate(
    classifier.labels,
    tests.map((i) => ({ file: i.file, sha256: i.sha256, label: classifier.labels.indexOf(i.label) })),
    exported,
  );
  const { mistakes: rederivedMistakes, ...rederivedRest } = rederived;
  // The exported model's probabilities are the calibrated ones: every figure but the calibration itself re-derives from them.
  const { mistakes: reportedMistakes, calibration, calibrationSkipped, ...reportedRest } = result1.test;
  assert.deepEqual(rederivedRest, reportedRest, 'accuracy and its interval, top-k, per-label metrics and the confusion matrix');
  // Too few training and validation images here to fit a temperature on (calibration.test.ts covers a fitted one).
  assert.ok(result1.dataset.splitCounts.train + result1.dataset.splitCounts.val < MIN_CALIBRATION_IMAGES);
  assert.equal(calibration, undefined, 'no temperature from a small dataset');
  // (A head on embeddings counts training and validation images, out of fold; a fine-tuned top or the small CNN its validation images.)
  assert.match(calibrationSkipped?.reason ?? '', /^only \d+ (training and )?validation images/, 'why no temperature was fitted');
  const byFile = <M extends { file: string }>(m: M[]) => [...m].sort((a, b) => (a.file < b.file ? -1 : 1));
  assert.deepEqual(
    byFile(rederivedMistakes).map((m) => [m.file, m.predictedLabel]),
    byFile(reportedMistakes).map((m) => [m.file, m.predictedLabel]),
  );
  byFile(rederivedMistakes).forEach((m, i) => assert.ok(Math.abs(m.confidence - byFile(reportedMistakes)[i].confidence) < 1e-4, m.file));
  const pixels = await decodeToRgb(tests[0].path, classifier.inputSize, 1e6);
  const p = await classifier.classifyPixels(pixels, 1);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'probabilities sum to one');
  assert.equal(tf.memory().numTensors, before, 'classifying leaks no tensors');
  await classifier.dispose();
});

test('golden: every probability of the exported model, through loadClassifier and predict --json, equals the in-memory prediction', async () => {
  // The engine's own path from a trained candidate to its predictions and its export, as
  // train() takes it (bake-off → predictProbabilities → exportModel), for frozen backbones
  // (their embeddings from the cache: a pretrained CNN and HOG) and for the small CNN; then the exported files alone.
  const data = await prepareDataset(
    { datasetPath: dataset, split: DEFAULTS.split, seed: DEFAULTS.seed, maxPixels: DEFAULTS.maxPixels, workDir: tempDir() },
    silentLogger,
  );
  const { labels } = data;
  // Every image, not only the test split: more probabilities to compare.
  const images = (['train', 'val', 'test'] as const).flatMap((split) => splitOf(data.images, split));
  const exports: { backbone: string; dir: string; inMemory: Float32Array }[] = [];
  for (const backbone of ['mobilenet_v2@64', 'hog@28', 'small_cnn@16']) {
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
    try {
      const inMemory = Float32Array.from([
        ...predictProbabilities(fitted, prepared.train),
        ...predictProbabilities(fitted, prepared.val),
        ...predictProbabilities(fitted, prepared.test),
      ]);
      const testRows = splitOf(data.images, 'test');
      const metrics = evaluate(
        labels,
        testRows.map((i) => ({ file: i.file, sha256: i.sha256, label: labels.indexOf(i.label) })),
        inMemory.subarray(inMemory.length - testRows.length * labels.length),
      );
      const dir = join(tempDir(), backbone, 'model');
      await exportModel({ dir, displayDir: dir, prepared, fitted, labels, metrics });
      exports.push({ backbone, dir, inMemory });
    } finally {
      disposeFitted(fitted);
      prepared.extractor?.dispose();
    }
  }
  const TOLERANCE = 1e-4;
  const compare = (backbone: string, file: string, got: Record<string, number>, want: Float32Array) => {
    assert.deepEqual(Object.keys(got), labels, `${backbone} ${file}: a probability per label, in labels.json order`);
    labels.forEach((label, j) =>
      assert.ok(Math.abs(got[label] - want[j]) <= TOLERANCE, `${backbone} ${file} ${label}: exported ${got[label]} vs in-memory ${want[j]}`),
    );
  };
  const predicted = await Promise.all(
    exports.map(({ dir }) =>
      predictJson(
        dir,
        images.map((i) => i.path),
      ),
    ),
  );
  for (const [e, { backbone, dir, inMemory }] of exports.entries()) {
    const want = (row: number) => inMemory.subarray(row * labels.length, (row + 1) * labels.length);
    // model.json, pinned here to 1e-4; model.onnx agrees within 1e-3 (onnx-classifier.test.ts).
    const classifier = await loadClassifier(dir, { engine: 'tfjs' });
    try {
      for (const [row, image] of images.entries()) compare(backbone, image.file, (await classifier.classify(image.path)).probabilities, want(row));
    } finally {
      await classifier.dispose();
    }
    const lines = predicted[e];
    assert.equal(lines.length, images.length, `${backbone}: one line per image`);
    for (const [row, image] of images.entries()) {
      const line = lines.find((l) => resolve(l.file) === resolve(image.path));
      assert.ok(line, `${backbone}: predict printed ${image.file}`);
      compare(backbone, image.file, line.probabilities, want(row));
      assert.equal(line.label, labels[want(row).indexOf(Math.max(...want(row)))], `${backbone} ${image.file}: the label is the most probable one`);
      assert.equal(line.confidence, Math.max(...Object.values(line.probabilities)));
    }
  }
});

test('adding N images computes exactly N new embeddings and keeps earlier splits', async () => {
  const added = addSampleImages(dataset, 10, 12);
  const third = await train(options(join(tempDir(), 'run3'), { backbones: ['mobilenet_v2@64'], trials: 1 }), { log: silentLogger });
  assert.equal(third.bakeOff.candidates[0].embeddingsComputed, added);
  assert.equal(third.bakeOff.candidates[0].embeddingsCached, 30);
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

test('a missing or unreachable user backbone fails before the dataset is read', async () => {
  for (const backbone of ['http://127.0.0.1:9/model.json@16', './no/such/model.json@16']) {
    const stages: string[] = [];
    const log = { ...silentLogger, stage: (title: string) => (stages.push(title), () => {}) };
    await assert.rejects(train(options(join(tempDir(), 'early'), { backbones: ['hog@28', backbone] }), { log }), (e: unknown) => e instanceof InputError);
    assert.deepEqual(stages, [], `${backbone}: no stage started`);
  }
});

test('a HOG winner: no fine-tuning stage (the reason says why), the final fit runs, and the log says both', async () => {
  const lines: string[] = [];
  const log = { ...silentLogger, info: (m: string) => lines.push(m) };
  const result = await train(options(join(tempDir(), 'hog'), { backbones: ['hog@28'], trials: 2 }), { log });
  assert.deepEqual(result.tuning.fineTune, { applied: false, reason: 'hog@28 has no learned weights to fine-tune' });
  assert.ok(!result.timings.some((t) => t.stage === 'fineTune'), 'no fine-tuning stage was entered');
  assert.ok(result.timings.some((t) => t.stage === 'refit'));
  const trainRows = result.dataset.counts.reduce((n, c) => n + c.train, 0);
  const valRows = result.dataset.counts.reduce((n, c) => n + c.val, 0);
  assert.equal(result.tuning.refit?.applied, true, result.tuning.refit?.reason);
  assert.equal(result.tuning.refit?.images, trainRows + valRows);
  assert.equal(result.tuning.best.epochs, result.tuning.refit?.epochs, "the exported config carries the final fit's epochs");
  assert.ok(lines.includes('Fine-tuning: skipped, hog@28 has no learned weights to fine-tune'), lines.join('\n'));
  assert.ok(lines.some((l) => /^Final fit: retrained on train \+ validation \(\d+ images\)/.test(l)));
});

test('a multi-depth winner: fine-tuning is not offered, and the reason names what it reads', async () => {
  const result = await train(options(join(tempDir(), 'grid'), { backbones: ['mobilenet_v2@64+grid'], trials: 1 }), { log: silentLogger });
  assert.deepEqual(result.tuning.fineTune, {
    applied: false,
    reason: 'the winner reads its backbone at a middle depth on a grid at two scales, and fine-tuning trains only the top block, so it is not offered',
  });
});

test('when the bake-off runs out of budget, later candidates are skipped and listed, and the run still ends with a model', async () => {
  let t = 0;
  const clock = { now: () => (t += 5000) };
  const result = await train(options(join(tempDir(), 'skip'), { backbones: ['mobilenet_v2@64', 'small_cnn@16'], budgetSeconds: 20, trials: 1 }), {
    log: silentLogger,
    clock,
  });
  const [first, second] = result.bakeOff.candidates;
  assert.equal(first.error, undefined);
  assert.match(second.error ?? '', /ran out of budget before this candidate/);
  assert.equal(result.bakeOff.winner, 'mobilenet_v2@64');
  assert.ok(result.model.files.some((f) => f.name === 'model.json'));
});

test('result.json names the model folder relative to itself, and the folder is written fresh: files of an earlier run are gone', async () => {
  const out = join(tempDir(), 'fresh');
  mkdirSync(join(out, 'model', 'backbone'), { recursive: true });
  writeFileSync(join(out, 'model', 'stale.txt'), 'from an earlier run');
  writeFileSync(join(out, 'model', 'backbone', 'model.json'), '{}');
  const result = await train(options(out, { backbones: ['hog@28'], trials: 1 }), { log: silentLogger });
  assert.equal(result.model.dir, 'model');
  assert.deepEqual(readdirSync(join(out, 'model')).sort(), result.model.files.map((f) => f.name).sort(), 'exactly the files the run wrote');
  assert.deepEqual(readdirSync(out).sort(), ['model', 'result.json'], 'no temporary folder left beside it');
});

test('an export that fails leaves the previous model folder as it was, and no temporary folder', async () => {
  const out = tempDir();
  const dir = join(out, 'model');
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), 'previous');
  await assert.rejects(
    replaceFolder(dir, async (fresh) => {
      writeFileSync(join(fresh, 'model.json'), 'half written');
      throw new Error('interrupted');
    }),
    /interrupted/,
  );
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'previous');
  assert.deepEqual(readdirSync(out), ['model']);
  // And one that succeeds replaces it whole.
  await replaceFolder(dir, async (fresh) => writeFileSync(join(fresh, 'labels.json'), '[]'));
  assert.deepEqual(readdirSync(dir), ['labels.json']);
  assert.deepEqual(readdirSync(out), ['model']);
});

test('with 2 workers, one warm pool serves the bake-off and fine-tuning, and the run equals the one-thread run', async () => {
  const infos: string[] = [];
  const log = { ...silentLogger, info: (m: string) => infos.push(m) };
  const base = options(join(tempDir(), 'one-thread'), { backbones: ['mobilenet_v2@64'], trials: 1, fineTune: 'true', cacheDir: tempDir() });
  const oneThread = await train(base, { log: silentLogger });
  const pooled = await train({ ...base, outDir: join(tempDir(), 'pooled'), cacheDir: tempDir(), workers: 2 }, { log });
  assert.deepEqual(
    infos.filter((m) => /^Embedding workers:/.test(m)),
    ['Embedding workers: 2 threads, started once for the whole run', 'Embedding workers: loading mobilenet_v2@64 while the images are checked'],
  );
  assert.ok(infos.includes('Inference engine: TF.js (wasm) in 2 worker threads; skipped onnxruntime: not asked for (engine: tfjs)'), infos.join('\n'));
  const calls = infos.filter((m) => /^Embedding .* worker threads/.test(m));
  assert.equal(calls.length, 2, calls.join('\n'));
  assert.match(calls[0], /with MobileNetV2.* in 2 worker threads/);
  assert.match(calls[1], /\(up to .*\) in 2 worker threads/, 'the fine-tuning activations went through the pool too');
  assert.equal(pooled.bakeOff.candidates[0].embeddingsComputed, pooled.dataset.images, 'a fresh cache: every image embedded');
  assert.deepEqual(pooled.tuning.fineTune, oneThread.tuning.fineTune);
  assert.deepEqual(pooled.test, oneThread.test, 'same embeddings, same seeds: the same model');
});
