import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSplits, splitPoint } from '../src/core/dataset/split.js';
import { createHash } from 'node:crypto';
import type { ImageRecord } from '../src/core/dataset/scan.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULT_SPLIT, parseSplit } from '../src/core/options.js';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { silentLogger } from '../src/core/ports.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';

function fakeImages(label: string, count: number, start = 0): ImageRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const sha256 = createHash('sha256')
      .update(`${label}-${start + i}`)
      .digest('hex');
    return { path: `/x/${label}/${start + i}.png`, file: `${label}/${start + i}.png`, label, sha256, bytes: 10 };
  });
}

test('adding images never moves existing images between splits', () => {
  const before = [...fakeImages('cat', 40), ...fakeImages('dog', 40)];
  const after = [...before, ...fakeImages('cat', 25, 40), ...fakeImages('dog', 30, 40), ...fakeImages('bird', 20)];
  const first = new Map(assignSplits(before, DEFAULT_SPLIT, 7, 'dataset').map((i) => [i.file, i.split]));
  const second = new Map(assignSplits(after, DEFAULT_SPLIT, 7, 'dataset').map((i) => [i.file, i.split]));
  for (const [file, split] of first) assert.equal(second.get(file), split, `${file} moved`);
});

test('splits are stratified per label and follow the ratios roughly', () => {
  const images = [...fakeImages('a', 400), ...fakeImages('b', 200)];
  const split = assignSplits(images, DEFAULT_SPLIT, 1, 'dataset');
  for (const label of ['a', 'b']) {
    const mine = split.filter((i) => i.label === label);
    const share = (s: string) => mine.filter((i) => i.split === s).length / mine.length;
    assert.ok(Math.abs(share('train') - 0.7) < 0.08, `${label} train share ${share('train')}`);
    assert.ok(Math.abs(share('val') - 0.15) < 0.06, `${label} val share ${share('val')}`);
    assert.ok(Math.abs(share('test') - 0.15) < 0.06, `${label} test share ${share('test')}`);
  }
});

test('the seed changes the split; the same seed reproduces it', () => {
  const images = fakeImages('a', 100);
  const a = assignSplits(images, DEFAULT_SPLIT, 1, 'dataset')
    .map((i) => i.split)
    .join();
  const b = assignSplits(images, DEFAULT_SPLIT, 1, 'dataset')
    .map((i) => i.split)
    .join();
  const c = assignSplits(images, DEFAULT_SPLIT, 2, 'dataset')
    .map((i) => i.split)
    .join();
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.ok(splitPoint('ab', 1) >= 0 && splitPoint('ab', 1) < 1);
});

test('tiny labels still get one validation and one test image', () => {
  const split = assignSplits(fakeImages('few', 3), DEFAULT_SPLIT, 3, 'dataset');
  assert.deepEqual(split.map((i) => i.split).sort(), ['test', 'train', 'val']);
});

test('a label with too few images is an error naming the label, the count needed and its real folder', () => {
  assert.throws(
    () => assignSplits([...fakeImages('ok', 30), ...fakeImages('lonely', 2)], DEFAULT_SPLIT, 1, '/data/photos/'),
    (error: unknown) =>
      error instanceof InputError &&
      /"lonely" has 2 images/.test(error.message) &&
      /at least 3/.test(error.message) &&
      error.message.includes('Add images to /data/photos/lonely/ or') &&
      !error.message.includes('dataset/'),
  );
  assert.throws(() => assignSplits(fakeImages('lonely', 1), DEFAULT_SPLIT, 1, 'uploads/photos.zip'), /Add images to lonely\/ in uploads\/photos\.zip or/);
});

test('split ratios: fractions, percentages, and clear errors', () => {
  assert.deepEqual(parseSplit('70/15/15'), { train: 0.7, val: 0.15, test: 0.15 });
  assert.deepEqual(parseSplit('0.8,0.1,0.1'), { train: 0.8, val: 0.1, test: 0.1 });
  assert.throws(() => parseSplit('0.5,0.2,0.2'), /sums to 0.9/);
  assert.throws(() => parseSplit('1,0,0'), /each be above zero/);
  assert.throws(() => parseSplit('a,b'), /three non-negative numbers/);
});

test('an explicit train/ val/ test/ layout is honoured exactly: every image lands in the split its folder names', async () => {
  const root = join(tempDir(), 'dataset');
  const want = new Map<string, { split: string; label: string }>(); // by file, relative to root
  const per = { train: 3, val: 1, test: 5 }; // far from 70/15/15, so a hash split could not produce it
  for (const label of ['bag', 'trouser']) {
    const files = readdirSync(join(SAMPLE, label)).sort();
    let k = 0;
    for (const split of ['train', 'val', 'test'] as const) {
      for (let i = 0; i < per[split]; i++, k++) {
        // One image per split sits in a nested folder below its label, which must not change its label.
        const rel = i === 0 ? `${split}/${label}/nested/deeper/${files[k]}` : `${split}/${label}/${files[k]}`;
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        cpSync(join(SAMPLE, label, files[k]), join(root, rel));
        want.set(rel, { split, label });
      }
    }
  }
  const prepared = await prepareDataset({ datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
  assert.equal(prepared.summary.splitMode, 'explicit');
  assert.deepEqual(prepared.labels, ['bag', 'trouser']);
  assert.equal(prepared.images.length, want.size);
  for (const image of prepared.images) {
    assert.deepEqual({ split: image.split, label: image.label }, want.get(image.file), image.file);
  }
  for (const count of prepared.summary.counts) assert.deepEqual([count.train, count.val, count.test], [3, 1, 5], count.label);
  assert.deepEqual(prepared.summary.splitCounts, { train: 6, val: 2, test: 10 });
});

test('an explicit layout missing a split for a label names that folder under the real dataset path', async () => {
  const root = join(tempDir(), 'photos');
  const files = readdirSync(join(SAMPLE, 'bag')).sort();
  for (const [i, rel] of ['train/bag', 'train/bag', 'val/bag', 'train/coat', 'val/coat', 'test/coat'].entries()) {
    mkdirSync(join(root, rel), { recursive: true });
    cpSync(join(SAMPLE, 'bag', files[i]), join(root, rel, `${i}.png`));
  }
  await assert.rejects(
    prepareDataset({ datasetPath: root, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger),
    (error: unknown) => error instanceof InputError && error.message.includes(`no images in ${root}/test/bag/`),
  );
});

test('the split counts are the per-label totals, not the ratios', async () => {
  const prepared = await prepareDataset({ datasetPath: SAMPLE, split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger);
  const sum = (key: 'train' | 'val' | 'test') => prepared.summary.counts.reduce((n, c) => n + c[key], 0);
  assert.deepEqual(prepared.summary.splitCounts, { train: sum('train'), val: sum('val'), test: sum('test') });
  assert.equal(prepared.summary.splitCounts.train + prepared.summary.splitCounts.val + prepared.summary.splitCounts.test, prepared.summary.images);
  assert.ok(prepared.summary.splitCounts.val > 1 && prepared.summary.splitCounts.test > 1, 'counts, not fractions');
});
