/**
 * The dataset review inside train() and as `classifier-ci review`, on real Fashion-MNIST
 * images with a planted re-encoded copy under another label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import { silentLogger } from '../src/core/ports.js';
import { parseRunResult, type DatasetReview, type RunResult } from '../src/core/result.js';
import { withDatasetDiff } from '../src/core/review/diff.js';
import { renderReport } from '../src/core/report/index.js';
import { reviewSwitch } from '../src/cli/commands/review.js';
import { SAMPLE, sampleSubset, tempDir } from './helpers/datasets.js';
import { CLI_ENTRY } from './helpers/fixtures.js';

const dataset = sampleSubset(20, ['bag', 'sneaker', 'trouser']);
const cacheDir = tempDir();
const original = readdirSync(join(dataset, 'bag')).sort()[0];
// A copy of a bag, re-encoded as a JPEG at 90% size, filed as a sneaker: a conflict.
await sharp(join(SAMPLE, 'bag', original))
  .resize(25, 25)
  .jpeg({ quality: 70 })
  .toFile(join(dataset, 'sneaker', 'copy-of-bag.jpg'));
// A trouser filed as a bag: a label error the review should suspect.
const stray = readdirSync(join(SAMPLE, 'trouser')).sort().at(-1)!;
copyFileSync(join(SAMPLE, 'trouser', stray), join(dataset, 'bag', `stray-${stray}`));

function options(outDir: string, overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...DEFAULTS,
    datasetPath: dataset,
    outDir,
    cacheDir,
    backbones: ['hog'],
    budgetSeconds: 60,
    trials: 1,
    epochs: 10,
    workers: 1,
    engine: 'tfjs',
    ...overrides,
  };
}

let first: RunResult;

test('train reviews the dataset: the planted copy is a cross-label near-duplicate, result.json carries the review and the image list', async () => {
  const outDir = join(tempDir(), 'run');
  first = await train(options(outDir), { log: silentLogger });
  const review = first.review!;
  assert.ok(review, 'review is on by default');
  assert.equal(review.backbone, first.bakeOff.winner);
  const pair = review.nearDuplicates.find((d) => d.files.includes(`bag/${original}`) && d.files.includes('sneaker/copy-of-bag.jpg'));
  assert.ok(pair, `the copy is found: ${JSON.stringify(review.nearDuplicates)}`);
  const splitOf = (file: string) => first.dataset.files!.find((f) => f.file === file)!.split;
  assert.equal(pair.crossLabel, true);
  assert.equal(pair.crossSplit, splitOf(pair.files[0]) !== splitOf(pair.files[1]));
  assert.ok(review.labelSuspects.length <= Math.floor(first.dataset.images * 0.1), 'suspects capped at 10%');
  for (const s of review.labelSuspects) assert.notEqual(s.label, s.suggested);
  assert.equal(first.dataset.files!.length, first.dataset.images);
  assert.ok(first.timings.some((t) => t.stage === 'review'));
  assert.ok(review.leak && review.leak.testImages === first.test.images);
  // The stray trouser is suspect, with its picture and content hash for the report.
  const suspect = review.labelSuspects.find((x) => x.file === `bag/stray-${stray}`);
  assert.ok(suspect, `the stray trouser is a suspect: ${JSON.stringify(review.labelSuspects.map((x) => [x.file, x.suggested]))}`);
  assert.equal(suspect.suggested, 'trouser');
  assert.equal(suspect.sha256, first.dataset.files!.find((f) => f.file === suspect.file)!.sha256);
  assert.match(suspect.thumbnail ?? '', /^data:image\/jpeg;base64,/);
  // What was written is what was returned, and valid.
  const written = parseRunResult(JSON.parse((await import('node:fs')).readFileSync(join(outDir, 'result.json'), 'utf8')));
  assert.deepEqual(written.review, review);
});

test('the report shows each label suspect with its thumbnail: through the image host in Markdown, inline in HTML', async () => {
  const stored: string[] = [];
  const imageHost = {
    put(name: string) {
      stored.push(name);
      return Promise.resolve(`https://images.example/${name}`);
    },
  };
  const report = await renderReport(first, { imageHost });
  const suspect = first.review!.labelSuspects.find((x) => x.file === `bag/stray-${stray}`)!;
  const name = `suspect-${suspect.sha256!.slice(0, 16)}.jpg`;
  assert.ok(stored.includes(name), `uploaded: ${stored.join(', ')}`);
  const review = report.markdown.slice(report.markdown.indexOf('Dataset review'));
  assert.match(review, new RegExp(`<img src="https://images\\.example/${name}" alt="bag/stray-${stray.replace('.', '\\.')}" width="64"> \\| \`bag/stray-`));
  const html = report.html.slice(report.html.indexOf('<section id="review">'));
  assert.ok(html.includes(`<img class="thumb" src="${suspect.thumbnail}"`), 'the HTML report shows the picture inline');
  // Without an image host the comment has no picture column (GitHub strips data: images).
  const plain = await renderReport(first);
  assert.doesNotMatch(plain.markdown, /images\.example|data:image/);
});

test('review: false skips the review; --review takes only true or false', async () => {
  const off = await train(options(join(tempDir(), 'off'), { review: false }), { log: silentLogger });
  assert.equal(off.review, undefined);
  assert.ok(!off.timings.some((t) => t.stage === 'review'));
  assert.equal(reviewSwitch(undefined), true);
  assert.equal(reviewSwitch('false'), false);
  assert.throws(() => reviewSwitch('no'), /--review must be true or false, got "no"/);
});

function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      done({ stdout, stderr, code: error ? Number(error.code) : 0 }),
    );
  });
}

test('classifier-ci review prints the same lists, and what changed since a baseline run', async () => {
  const baselinePath = join(tempDir(), 'baseline.json');
  writeFileSync(baselinePath, JSON.stringify(first));
  // Relabel one trouser as a bag, add one sneaker.
  const trouser = readdirSync(join(dataset, 'trouser')).sort()[0];
  renameSync(join(dataset, 'trouser', trouser), join(dataset, 'bag', trouser));
  const extra = readdirSync(join(SAMPLE, 'sneaker')).sort().at(-1)!;
  writeFileSync(join(dataset, 'sneaker', extra), (await import('node:fs')).readFileSync(join(SAMPLE, 'sneaker', extra)));

  const { stdout, code, stderr } = await cli([
    'review',
    dataset,
    '--backbone',
    'hog',
    '--cache-dir',
    cacheDir,
    '--baseline',
    baselinePath,
    '--json',
    '--quiet',
  ]);
  assert.equal(code, 0, stderr);
  const review = JSON.parse(stdout) as DatasetReview;
  assert.deepEqual(review.diff, {
    added: [{ file: `sneaker/${extra}`, label: 'sneaker' }],
    removed: [],
    relabelled: [{ file: `bag/${trouser}`, from: 'trouser', to: 'bag' }],
  });
  assert.ok(review.nearDuplicates.some((d) => d.files.includes('sneaker/copy-of-bag.jpg') && d.crossLabel));
  // The same diff as the pure function gives on the two runs' lists.
  assert.deepEqual(withDatasetDiff(first, first).review!.diff, { added: [], removed: [], relabelled: [] });

  const text = await cli(['review', dataset, '--backbone', 'hog', '--cache-dir', cacheDir, '--quiet']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Near-duplicates: \d+\n/);
  assert.match(text.stdout, /^ {2}\S+ ~ \S+: similarity 0\.\d{3}.*across labels \((sneaker \/ bag|bag \/ sneaker)\)$/m);
  assert.match(text.stdout, /copy-of-bag\.jpg ~ bag\/|bag\/\S+ ~ sneaker\/copy-of-bag\.jpg/);
  assert.match(text.stdout, /Method: label suspects: given label below 5% probability out of fold/);

  const bad = await cli(['review', join(dataset, 'missing')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /was not found/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'no stack trace');
});
