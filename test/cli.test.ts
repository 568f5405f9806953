/** The CLI as a user runs it: a child process, its output and exit code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { sampleSubset, tempDir } from './helpers/datasets.js';

const ENTRY = join(import.meta.dirname, '..', 'src', 'cli', 'index.ts');

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

test('--help lists the commands; each command has its own help', () => {
  const top = cli('--help');
  assert.equal(top.code, 0);
  for (const name of ['train', 'predict', 'report']) assert.match(top.out, new RegExp(`^  ${name}`, 'm'));
  const train = cli('train', '--help');
  assert.equal(train.code, 0);
  assert.match(train.out, /Usage: classifier-ci train <dataset>/);
  assert.match(train.out, /--budget <seconds>/);
  assert.match(train.out, /the pretrained two also \+taps or \+mid/, 'the multi-depth variants are named');
  const predict = cli('predict', '--help');
  assert.equal(predict.code, 0);
  // Augmentation is off by default, so a default model has no test-time recipe: --tta says what it needs.
  assert.match(predict.out, /--tta[\s\S]*Needs a model\s+trained with --augment/);
});

test('bad input exits 2 with one clear line and no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['dance'], /Unknown command "dance"/],
    [['train'], /Give exactly one dataset folder/],
    [['train', 'no/such/folder'], /"no\/such\/folder" was not found/],
    [['train', 'sample-dataset', '--backbones', 'resnet9000'], /Unknown backbone "resnet9000"\. Valid backbones: mobilenet_v2, inception_v3, hog, small_cnn/],
    [['train', 'sample-dataset', '--budget=-5'], /The budget must be a positive number of seconds/],
    [['train', 'sample-dataset', '--split', '0.5,0.5,0.5'], /sums to 1\.5/],
    [['train', 'sample-dataset', '--colour', 'blue'], /Unknown option '--colour'/],
    [['predict', 'no/model', 'x.png'], /no\/model\/preprocessing\.json is missing/],
  ];
  for (const [args, message] of cases) {
    const run = cli(...args);
    assert.equal(run.code, 2, `${args.join(' ')} → exit ${run.code}: ${run.err}`);
    assert.match(run.err, message);
    assert.doesNotMatch(run.err, /\n\s+at /, 'no stack trace');
  }
});

test('a dataset with a single label is refused with what to do', () => {
  const run = cli('train', sampleSubset(5, ['bag']), '--out', join(tempDir(), 'out'));
  assert.equal(run.code, 2);
  assert.match(run.err, /only one label \("bag"\)\. A classifier needs at least two/);
});

test('train then predict --json, with an unreadable file reported but not fatal to the rest', () => {
  const out = join(tempDir(), 'run');
  const dataset = sampleSubset(6, ['bag', 'trouser']);
  const trained = cli(
    'train',
    dataset,
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
    join(tempDir(), 'cache'),
  );
  assert.equal(trained.code, 0, trained.err);
  assert.match(trained.err, /Test accuracy: +\d+\.\d%/);
  // Paths are shown relative to where the CLI was started, even for an absolute --out.
  const shown = join(relative(process.cwd(), out), 'model');
  assert.ok(!isAbsolute(shown));
  assert.match(trained.err, new RegExp(`Model: +${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  const broken = join(tempDir(), 'broken.png');
  writeFileSync(broken, 'not a png');
  const predicted = cli('predict', join(out, 'model'), join(dataset, 'bag'), broken, '--json');
  assert.equal(predicted.code, 2, 'some images failed');
  const lines = predicted.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 7);
  for (const line of lines.slice(0, 6)) {
    assert.ok(['bag', 'trouser'].includes(line.label));
    assert.ok(Math.abs(Number(line.probabilities.bag) + Number(line.probabilities.trouser) - 1) < 1e-4);
  }
  assert.match(lines[6].error, /not a readable image/);
});
