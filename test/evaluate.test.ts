/**
 * `classifier-ci evaluate` as a user runs it: a real model trained by the CLI, scored on
 * folders of real images it did not train on, checked against what `predict` answers for the
 * same files.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';

const ENTRY = join(import.meta.dirname, '..', 'src', 'cli', 'index.ts');
const LABELS = ['bag', 't-shirt', 'trouser'];

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

// Made at the top level, so they are removed when the file ends (tempDir's `after`), not after the `before`.
const run = join(tempDir(), 'run');
const model = join(run, 'model');
const training = sampleSubset(8, LABELS);
const cache = join(tempDir(), 'cache');

/** `train` on the training folder with a small, quick search (a 48-px MobileNetV2, two trials), into `out`. */
const trainTiny = (out: string) => [
  'train',
  training,
  '--out',
  out,
  '--backbones',
  'mobilenet_v2@48',
  '--trials',
  '2',
  '--epochs',
  '5',
  '--budget',
  '30',
  '--cache-dir',
  cache,
];

before(() => {
  const trained = cli(...trainTiny(run));
  assert.equal(trained.code, 0, trained.err);
});

/** Images the model never saw: the next ten of each label, and three trousers filed under bag/, so some answers are wrong. */
function unseenFolder(): string {
  const folder = sampleSubset(10, LABELS, 8);
  for (const file of readdirSync(join(SAMPLE, 'trouser')).sort().slice(30, 33))
    cpSync(join(SAMPLE, 'trouser', file), join(folder, 'bag', `filed-wrong-${file}`));
  return folder;
}

interface Prediction {
  file: string;
  label: string;
  confidence: number;
}

test('evaluate scores a folder as predict answers it: accuracy, per label, confusions and mistakes', () => {
  const folder = unseenFolder();
  const json = cli('evaluate', model, folder, '--json');
  assert.equal(json.code, 0, json.err);
  const result = JSON.parse(json.out);
  const predictions: Prediction[] = cli('predict', model, folder, '--json')
    .out.trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const truth = (p: Prediction) => p.file.split('/').at(-2)!;
  const wrong = predictions.filter((p) => p.label !== truth(p));

  assert.equal(result.images, 33);
  assert.equal(predictions.length, 33);
  assert.ok(wrong.length > 0, 'the trousers filed under bag/ are answered trouser');
  assert.equal(result.accuracy, (33 - wrong.length) / 33);
  for (const label of LABELS) {
    const mine = predictions.filter((p) => truth(p) === label);
    const row = result.perLabel.find((l: { label: string }) => l.label === label);
    assert.equal(row.support, mine.length, label);
    assert.equal(row.recall, mine.filter((p) => p.label === label).length / mine.length, label);
  }
  const matrix: number[][] = result.confusion.matrix;
  for (const p of predictions) matrix[LABELS.indexOf(truth(p))][LABELS.indexOf(p.label)]--;
  assert.ok(
    matrix.every((row) => row.every((count) => count === 0)),
    'the confusion matrix counts exactly what predict answered',
  );
  // The test split at training, from the model folder's metrics.json, and the gap to it.
  const atTraining = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
  assert.deepEqual(result.atTraining, { images: atTraining.images, accuracy: atTraining.accuracy });
  assert.ok(Math.abs(result.gap.mean - (result.accuracy - atTraining.accuracy)) < 1e-12);
  assert.ok(result.gap.low <= result.gap.mean && result.gap.mean <= result.gap.high);
  assert.deepEqual(result.seen, [], 'none of these images was trained on');

  const text = cli('evaluate', model, folder);
  assert.equal(text.code, 0, text.err);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  assert.match(text.out, new RegExp(`: ${pct(result.accuracy).replace('.', '\\.')} right of 33 images \\(95% interval `));
  assert.match(text.out, new RegExp(`Test split at training: ${pct(atTraining.accuracy).replace('.', '\\.')} of ${atTraining.images}\\.`));
  // The most confident mistake first, as predict scored it.
  const worst = wrong.sort((a, b) => b.confidence - a.confidence)[0];
  const listed = text.out.split('Most confident mistakes\n')[1].split('\n')[0];
  assert.equal(listed, `  ${relative(folder, resolve(worst.file))}: ${truth(worst)}, answered ${worst.label} at ${pct(worst.confidence)}`);
  // Each confusion listed counts what predict answered, most frequent first.
  const confusions = [
    ...text.out
      .split('Most frequent confusions\n')[1]
      .split('\n\n')[0]
      .matchAll(/^ {2}(\S+) answered as (\S+): (\d+) images?$/gm),
  ];
  assert.ok(confusions.length > 0);
  const counts = confusions.map(([, truthLabel, answer, count]) => {
    assert.equal(Number(count), wrong.filter((p) => truth(p) === truthLabel && p.label === answer).length, `${truthLabel} → ${answer}`);
    return Number(count);
  });
  assert.deepEqual(
    counts,
    [...counts].sort((a, b) => b - a),
  );
});

test('images the model trained on are left out, and the output says how many', () => {
  const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
  const counts = result.dataset.splitCounts;
  const json = cli('evaluate', model, training, '--json');
  assert.equal(json.code, 0, json.err);
  const scored = JSON.parse(json.out);
  assert.equal(scored.seen.length, counts.train + counts.val);
  assert.equal(scored.images, counts.test, 'only the test split is left to score');
  const text = cli('evaluate', model, training);
  assert.match(text.out, new RegExp(`Left out ${counts.train + counts.val} images the model trained on`));
});

test('a label folder the model does not know is refused, with the labels it knows', () => {
  const folder = unseenFolder();
  mkdirSync(join(folder, 'sneaker'));
  cpSync(join(SAMPLE, 'sneaker', readdirSync(join(SAMPLE, 'sneaker'))[0]), join(folder, 'sneaker', 'one.png'));
  const refused = cli('evaluate', model, folder);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /sneaker\/: the model has no label "sneaker"; it knows "bag", "t-shirt", "trouser"\. Rename that folder/);
  assert.doesNotMatch(refused.err, /\n\s+at /, 'no stack trace');
});

test('an unreadable image is left out, named on one safe line, and the exit code says so', () => {
  const folder = unseenFolder();
  writeFileSync(join(folder, 'bag', 'broken\n::error::x.png'), 'not a png');
  const scored = cli('evaluate', model, folder);
  assert.equal(scored.code, 2, 'exit 2 after scoring the rest');
  assert.match(scored.out, /right of 33 images/);
  assert.match(scored.out, /Left out, unreadable \(1\)\n {2}.*broken.*not a readable image/);
  assert.doesNotMatch(scored.out, /^::/m, 'a file name cannot start a workflow command');
});

test('evaluate has its own help, and the command list names it', () => {
  const help = cli('evaluate', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: classifier-ci evaluate <model dir> <dataset>/);
  assert.match(cli('--help').out, /^ {2}evaluate +score a trained model on a labelled folder from another source$/m);
  const missing = cli('evaluate', model);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /Give a model folder and one labelled dataset folder/);
});

test('train --eval scores the exported model on the folder as evaluate does, and the report has its section', () => {
  const folder = unseenFolder();
  const out = join(tempDir(), 'run');
  const trained = cli(...trainTiny(out), '--eval', folder);
  assert.equal(trained.code, 0, trained.err);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const standalone = JSON.parse(cli('evaluate', join(out, 'model'), folder, '--json').out);
  const elsewhere = result.elsewhere;
  assert.equal(elsewhere.dataset, folder);
  assert.deepEqual(
    [elsewhere.metrics.images, elsewhere.metrics.accuracy, elsewhere.metrics.confusion, elsewhere.seen, elsewhere.gap.mean],
    [standalone.images, standalone.accuracy, standalone.confusion, standalone.seen.length, standalone.gap.mean],
    'the same figures as classifier-ci evaluate on the same model and folder',
  );
  assert.ok(result.timings.some((t: { stage: string }) => t.stage === 'elsewhere'));
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  const section = report.split('### Images from elsewhere')[1]?.split('\n### ')[0];
  assert.ok(section, 'report.md has the section');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  assert.match(section, new RegExp(`33 labelled images the model did not train on[^\\n]*accuracy ${pct(elsewhere.metrics.accuracy).replace('.', '\\.')}`));
  assert.match(section, new RegExp(`Test set: ${pct(result.test.accuracy).replace('.', '\\.')} of ${result.test.images}\\.`));
  assert.ok(!readFileSync(join(run, 'report.md'), 'utf8').includes('Images from elsewhere'), 'no section without --eval');
});

test('train --eval refuses a folder with a label the dataset lacks before any training', () => {
  const folder = unseenFolder();
  mkdirSync(join(folder, 'sneaker'));
  cpSync(join(SAMPLE, 'sneaker', readdirSync(join(SAMPLE, 'sneaker'))[0]), join(folder, 'sneaker', 'one.png'));
  const refused = cli(...trainTiny(join(tempDir(), 'run')), '--eval', folder);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /sneaker\/: the model has no label "sneaker"; it knows "bag", "t-shirt", "trouser"/);
  assert.doesNotMatch(refused.err, /Bake-off|validation accuracy/, 'refused before the bake-off');
});

test('evaluate --min-confidence counts the answers predict --min-confidence gives, and how many are right', () => {
  const folder = unseenFolder();
  const threshold = '0.9';
  const predictions: { file: string; label: string }[] = cli('predict', model, folder, '--json', '--min-confidence', threshold)
    .out.trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const answered = predictions.filter((p) => p.label !== 'unknown');
  const right = answered.filter((p) => p.file.split('/').at(-2) === p.label);
  const scored = JSON.parse(cli('evaluate', model, folder, '--json', '--min-confidence', threshold).out);
  assert.deepEqual(scored.atMinConfidence, { threshold: 0.9, answered: answered.length, right: right.length });
  const text = cli('evaluate', model, folder, '--min-confidence', threshold).out;
  const unknown = predictions.length - answered.length;
  assert.match(
    text,
    answered.length
      ? new RegExp(
          `At --min-confidence 0\\.9: ${answered.length} of 33 images answered \\([\\d.]+%\\), [\\d.]+% of them right; ${unknown ? `the other ${unknown} answered "unknown"` : 'none "unknown"'}\\.`,
        )
      : /At --min-confidence 0\.9: no image answered/,
  );
  const refused = cli('evaluate', model, folder, '--min-confidence', '2');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--min-confidence must be a probability from 0 to 1/);
});

/** A .zip of `folder`'s `<label>/<image>` files, as a user would zip the folder. */
function zipOf(folder: string): string {
  const files: Zippable = {};
  for (const label of readdirSync(folder))
    for (const file of readdirSync(join(folder, label))) files[`${label}/${file}`] = readFileSync(join(folder, label, file));
  const path = join(tempDir(), 'from-the-shop.zip');
  writeFileSync(path, zipSync(files));
  return path;
}

test('evaluate takes a .zip of the folder as train does, with the same figures, and names its folders inside it', () => {
  const folder = unseenFolder();
  const asFolder = cli('evaluate', model, folder, '--json');
  const zip = zipOf(folder);
  const asZip = cli('evaluate', model, zip, '--json', '--cache-dir', join(tempDir(), 'extract'));
  assert.equal(asZip.code, 0, asZip.err);
  const [a, b] = [JSON.parse(asFolder.out), JSON.parse(asZip.out)];
  for (const key of ['images', 'accuracy', 'perLabel', 'confusion', 'mistakes', 'ece', 'gap']) assert.deepEqual(b[key], a[key], key);

  mkdirSync(join(folder, 'sneaker'));
  cpSync(join(SAMPLE, 'sneaker', readdirSync(join(SAMPLE, 'sneaker'))[0]), join(folder, 'sneaker', 'one.png'));
  const refused = cli('evaluate', model, zipOf(folder), '--cache-dir', join(tempDir(), 'extract'));
  assert.equal(refused.code, 2);
  assert.match(refused.err, /sneaker\/ in \S+from-the-shop\.zip: the model has no label "sneaker"/);
});
