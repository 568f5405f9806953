import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandInputs, globToRegExp } from '../src/cli/commands/predict.js';
import { InputError } from '../src/core/errors.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { evaluate } from '../src/core/evaluate.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { exportModel } from '../src/core/model/export.js';
import type { Examples, FittedModel, PreparedCandidate } from '../src/core/model/fitted.js';
import { createRng } from '../src/core/random.js';
import { applyTemperature } from '../src/core/model/temperature.js';
import { buildSmallCnn } from '../src/core/training/small-cnn.js';
import { tempDir } from './helpers/datasets.js';

test('globs: * and ? stay within a folder, ** crosses folders', () => {
  assert.ok(globToRegExp('photos/*.jpg').test('photos/a.jpg'));
  assert.ok(!globToRegExp('photos/*.jpg').test('photos/x/a.jpg'));
  assert.ok(globToRegExp('photos/**/*.jpg').test('photos/x/y/a.jpg'));
  assert.ok(globToRegExp('photos/**/*.jpg').test('photos/a.jpg'));
  assert.ok(globToRegExp('img-?.png').test('img-1.png') && !globToRegExp('img-?.png').test('img-12.png'));
  assert.ok(!globToRegExp('a.b').test('axb'), 'dots are literal');
});

test('predict inputs: files, folders (recursively, images only) and quoted globs, each once', async () => {
  const folder = await expandInputs(['sample-dataset/bag']);
  assert.equal(folder.length, 36);
  assert.ok(folder.every((f) => f.startsWith('sample-dataset/bag/') && f.endsWith('.png')));
  const globbed = await expandInputs(['sample-dataset/**/train-0*.png']);
  assert.ok(globbed.length > 4 && globbed.every((f) => /\/train-0[^/]*\.png$/.test(f)));
  assert.ok(new Set(globbed.map((f) => f.split('/')[1])).size > 1, 'the glob crossed label folders');
  const both = await expandInputs(['sample-dataset/bag', folder[0]]);
  assert.equal(both.length, 36, 'a file named twice is classified once');
  await assert.rejects(expandInputs(['nothing/*.jpg']), (e: unknown) => e instanceof InputError && /No images match/.test(e.message));
  await assert.rejects(expandInputs(['missing.png']), (e: unknown) => e instanceof InputError && /was not found/.test(e.message));
});

/** A model folder as train writes it: a small CNN with a seeded random head over two labels, with `temperature`. */
async function writeModel(dir: string, temperature?: number): Promise<void> {
  await ensureBackend();
  const trunk = buildSmallCnn(16, 5);
  const featureDim = trunk.outputs[0].shape[1] as number;
  const rng = createRng(8);
  const kernel = Float32Array.from({ length: featureDim * 2 }, () => (rng() * 2 - 1) * 3);
  const fitted: FittedModel = {
    head: {
      weights: {
        mean: new Float32Array(featureDim),
        std: new Float32Array(featureDim).fill(1),
        dense: [{ kernel, bias: new Float32Array(2), inDim: featureDim, outDim: 2 }],
      },
      curve: [],
      bestEpoch: 1,
      valAccuracy: 0,
      valLoss: 0,
      stoppedByDeadline: false,
    },
    trunk,
    trunkRole: 'whole',
    config: { solver: 'adam', learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0, weightDecay: 0, labelSmoothing: 0, epochs: 1 },
    seconds: 0,
  };
  const none: Examples = { x: new Float32Array(0), y: new Int32Array(0), rows: 0 };
  const prepared: PreparedCandidate = {
    spec: parseBackboneSpec('small_cnn@16'),
    displayName: 'Small CNN',
    kind: 'scratch',
    featureDim: 0,
    backboneParams: 0,
    train: none,
    val: none,
    test: none,
    embedSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
  };
  const metrics = evaluate(['bag', 'trouser'], [], new Float32Array(0));
  await exportModel({ dir, displayDir: dir, prepared, fitted, labels: ['bag', 'trouser'], metrics, temperature });
  trunk.dispose();
}

const ENTRY = join(import.meta.dirname, '..', 'src', 'cli', 'index.ts');
const predict = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'predict', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

test('predict --min-confidence: "unknown" below the threshold, in text and in --json; bad values refused', async () => {
  const model = join(tempDir(), 'model');
  await writeModel(model);
  const images = 'sample-dataset/bag';
  const plain = predict(model, images, '--json');
  assert.equal(plain.code, 0, plain.err);
  const records = plain.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; label: string; confidence: number });
  const confidences = records.map((r) => r.confidence).sort((a, b) => a - b);
  assert.ok(confidences[0] < confidences.at(-1)!, 'confidences differ between images');
  const threshold = (confidences[Math.floor(confidences.length / 2)] + confidences[Math.floor(confidences.length / 2) - 1]) / 2;
  const gated = predict(model, images, '--json', '--min-confidence', String(threshold));
  assert.equal(gated.code, 0, gated.err);
  const gatedRecords = gated.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; label: string; unknown?: boolean; bestGuess?: string; confidence: number });
  let unknowns = 0;
  gatedRecords.forEach((r, i) => {
    const below = records[i].confidence < threshold;
    assert.equal(r.label, below ? 'unknown' : records[i].label, r.file);
    if (below) {
      unknowns++;
      assert.equal(r.unknown, true);
      assert.equal(r.bestGuess, records[i].label);
    } else assert.equal(r.unknown, undefined);
  });
  assert.ok(unknowns > 0 && unknowns < records.length);
  const text = predict(model, images, '--min-confidence', String(threshold));
  const lines = text.out.trim().split('\n');
  assert.equal(lines.filter((l) => /: unknown \(best guess (bag|trouser) \d+\.\d%, below \d+(\.\d)?%\)$/.test(l)).length, unknowns);
  for (const bad of ['1.5', '-0.1', 'high', '']) {
    const refused = predict(model, images, `--min-confidence=${bad}`);
    assert.equal(refused.code, 2, bad);
    assert.match(refused.err, /--min-confidence must be a probability from 0 to 1, e\.g\. 0\.6/);
    assert.doesNotMatch(refused.err, /\n\s+at /);
  }
});

test("loadClassifier applies the model's temperature: the same ranking, softened probabilities", async () => {
  const dir = tempDir();
  await writeModel(join(dir, 'plain'));
  await writeModel(join(dir, 'calibrated'), 4);
  assert.equal((JSON.parse(readFileSync(join(dir, 'calibrated', 'preprocessing.json'), 'utf8')) as { temperature?: number }).temperature, 4);
  const plain = await loadClassifier(join(dir, 'plain'));
  const calibrated = await loadClassifier(join(dir, 'calibrated'));
  const image = 'sample-dataset/bag/train-00421.png';
  const a = await plain.classify(image);
  const b = await calibrated.classify(image);
  assert.equal(b.label, a.label);
  const expected = applyTemperature(Float32Array.from(Object.values(a.probabilities)), 2, 4);
  Object.values(b.probabilities).forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-5));
  assert.ok(b.confidence < a.confidence);
  await plain.dispose();
  await calibrated.dispose();
  // A broken temperature is refused by name.
  const broken = join(dir, 'calibrated', 'preprocessing.json');
  writeFileSync(broken, JSON.stringify({ ...JSON.parse(readFileSync(broken, 'utf8')), temperature: -1 }));
  await assert.rejects(
    loadClassifier(join(dir, 'calibrated')),
    (e: unknown) => e instanceof InputError && /temperature -1; it must be a positive number/.test(e.message),
  );
});
