/**
 * Test-time augmentation end to end on real images: train() measures it on validation and
 * writes the recipe into the exported model's preprocessing.json; loadClassifier({ tta: true })
 * averages each image's probabilities with its test-time view's, exactly; `predict --tta`
 * does the same through the CLI; a model without a recipe is refused with what to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ttaView, type TtaView } from '../src/core/dataset/augment.js';
import { decodeToRgb } from '../src/core/dataset/decode.js';
import { InputError } from '../src/core/errors.js';
import { loadClassifier } from '../src/core/model/classifier.js';
import { ttaNote } from '../src/core/model/tta.js';
import { DEFAULTS } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { renderMarkdown } from '../src/core/report/markdown.js';
import { silentLogger } from '../src/core/ports.js';
import type { RunResult } from '../src/core/result.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';

const ENTRY = join(import.meta.dirname, '..', 'src', 'cli', 'index.ts');
const IMAGE = join(SAMPLE, 'sneaker', readdirSync(join(SAMPLE, 'sneaker')).sort()[0]);

const out = tempDir();
const result: RunResult = await train(
  {
    ...DEFAULTS,
    datasetPath: sampleSubset(12),
    outDir: out,
    cacheDir: tempDir(),
    backbones: ['hog@28'],
    budgetSeconds: 60,
    trials: 2,
    fineTune: 'false',
    workers: 1,
    review: false,
    augment: 'auto',
  },
  { log: silentLogger },
);
const modelDir = join(out, 'model');

test('train() measures test-time augmentation on validation and writes its recipe into preprocessing.json', () => {
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner)!;
  assert.ok(winner.augment, 'the augmentation tried is in result.json');
  assert.ok(winner.tta, 'and the test-time augmentation measured');
  assert.equal(winner.augment.views, 2, 'the budget affords the most views');
  const { train: trainImages, val: valImages } = result.dataset.splitCounts;
  assert.equal(
    winner.augment.embeddingsComputed,
    2 * trainImages + (winner.augment.flipCheck?.allowed === false ? 2 : 1) * valImages,
    'two views of every training image, and the test-time view(s) of the validation images',
  );
  const preprocessing = JSON.parse(readFileSync(join(modelDir, 'preprocessing.json'), 'utf8')) as { tta?: unknown };
  assert.deepEqual(preprocessing.tta, winner.tta);
});

test('loadClassifier({ tta: true }) averages the probabilities of the image and its test-time view', async () => {
  const plain = await loadClassifier(modelDir);
  const tta = await loadClassifier(modelDir, { tta: true });
  try {
    assert.equal(tta.tta?.view, result.bakeOff.candidates[0].tta?.view);
    const pixels = await decodeToRgb(IMAGE, plain.inputSize, 1e7);
    const asIs = await plain.classifyPixels(pixels, 1);
    const viewed = await plain.classifyPixels(ttaView(pixels, plain.inputSize, tta.tta!.view), 1);
    const got = await tta.classify(IMAGE);
    const gotPlain = await plain.classify(IMAGE);
    plain.labels.forEach((label, i) => {
      assert.ok(Math.abs(got.probabilities[label] - (asIs[i] + viewed[i]) / 2) < 1e-5, label);
      assert.ok(Math.abs(gotPlain.probabilities[label] - asIs[i]) < 1e-6, label);
    });
    assert.notDeepEqual(got.probabilities, gotPlain.probabilities, 'the view changes the answer');
  } finally {
    await plain.dispose();
    await tta.dispose();
  }
});

test('predict --tta works on the exported model through the CLI; a model without a recipe is refused with the fix', async () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'predict', modelDir, IMAGE, '--tta', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(run.status, 0, run.stderr);
  const line = JSON.parse(run.stdout.trim()) as { label: string; probabilities: Record<string, number>; tta: string };
  assert.equal(line.tta, result.bakeOff.candidates[0].tta?.view);
  const tta = await loadClassifier(modelDir, { tta: true });
  const expected = await tta.classify(IMAGE);
  await tta.dispose();
  assert.equal(line.label, expected.label);
  for (const [label, p] of Object.entries(expected.probabilities)) assert.ok(Math.abs(line.probabilities[label] - p) < 1e-5, label);

  // Without --json: one line per image on stdout, and on stderr what --tta did, from the model's own recipe.
  const human = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'predict', modelDir, IMAGE, '--tta'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(human.status, 0, human.stderr);
  assert.equal(human.stdout.trim().split('\n').length, 1);
  const recipe = JSON.parse(readFileSync(join(modelDir, 'preprocessing.json'), 'utf8')).tta as {
    view: string;
    paid: boolean;
    ttaAccuracy: number;
    plainAccuracy: number;
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  assert.ok(
    human.stderr.includes(
      `Test-time augmentation: each image averaged with its ${recipe.view}; on validation it scored ${pct(recipe.ttaAccuracy)} against ${pct(recipe.plainAccuracy)} without`,
    ),
    human.stderr,
  );
  assert.equal(human.stderr.includes('did not pay there'), !recipe.paid);
  // Either way the note says so: asked for, it is used even where it did not pay.
  for (const paid of [true, false])
    assert.equal(ttaNote({ ...recipe, view: recipe.view as TtaView, paid }).includes('did not pay there (used as asked)'), !paid);

  const bare = join(tempDir(), 'model');
  cpSync(modelDir, bare, { recursive: true });
  const preprocessing = JSON.parse(readFileSync(join(bare, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;
  delete preprocessing.tta;
  writeFileSync(join(bare, 'preprocessing.json'), JSON.stringify(preprocessing));
  await assert.rejects(
    loadClassifier(bare, { tta: true }),
    (e: unknown) =>
      e instanceof InputError && /preprocessing\.json has no test-time augmentation recipe \(tta\), so --tta cannot be used with this model/.test(e.message),
  );
  const refused = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'predict', bare, IMAGE, '--tta'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /leave out --tta/);
  // What to do, for a model trained with the defaults: augmentation is off unless asked for.
  assert.match(refused.stderr, /Train again with --augment auto/);
});

test('the report lists the augmentation each head tried and whether test-time augmentation paid, from result.json alone', () => {
  const markdown = renderMarkdown(result);
  const winner = result.bakeOff.candidates.find((c) => c.backbone === result.bakeOff.winner)!;
  assert.match(markdown, /Augmentation \(auto: crop, colour and rotate; flip only when/);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  assert.ok(
    markdown.includes(
      `Test-time ${winner.tta!.view}: validation ${pct(winner.tta!.ttaAccuracy)} against ${pct(winner.tta!.plainAccuracy)} without; ${winner.tta!.paid ? 'it pays' : 'it does not pay'}`,
    ),
    markdown,
  );
  assert.ok(markdown.includes(winner.augment!.note), 'the views: how many, and whether they were kept');
});
