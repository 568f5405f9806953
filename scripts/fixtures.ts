/**
 * The report's test fixtures, from real runs: trains on sample-dataset as the CLI does (the
 * pull request's run) and on a copy with half of one label's images missing (the baseline:
 * the base branch before those images were added), with small budgets, sharing one embedding
 * cache as a runner restoring its cache would; and, for the report's mistakes, a deliberately
 * weak run on the same images (the chosen model gets the sample's test images all right). The
 * pull request's run also scores a folder of images from elsewhere (--eval): images of the
 * sample's labels from Fashion-MNIST's official test set, which the sample (drawn from its
 * training set) never holds; they need Debian's dataset-fashion-mnist. Writes:
 *   test/fixtures/run.json, test/fixtures/baseline.json   the two RunResults
 *   test/fixtures/weak.json                               the weak run
 *   test/fixtures/schema-stamp.json                       the schema they were written with
 *   docs/example-report/                                  the report of run.json against baseline.json
 *
 *   npm run fixtures                  the three trainings (a few minutes) and everything above
 *   npm run fixtures -- --report-only docs/example-report only, from the committed fixtures
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { command as train } from '../src/cli/commands/train.js';
import { writeFileAtomic } from '../src/core/atomic.js';
import { parseRunResult, type RunResult } from '../src/core/result.js';
import { FIXTURES, schemaStamp, writeExampleReport } from '../test/fixtures/run-results.js';
import { FASHION_LABELS, readFashionMnist } from './fashion-mnist.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'sample-dataset');
/** Small enough for a laptop, large enough for a bake-off, a few trials and a final fit. */
const TRAIN_ARGS = ['--budget', '90', '--trials', '6', '--epochs', '25', '--workers', '2', '--seed', '7', '--augment', 'auto'];
/** A small CNN trained from scratch for a few epochs: a real run that gets test images wrong. */
const WEAK_ARGS = ['--backbones', 'small_cnn@16', '--budget', '30', '--trials', '1', '--epochs', '3', '--workers', '1', '--seed', '7', '--review', 'false'];
/** The pull request's run's folder to evaluate on: this many images of each sample label from Fashion-MNIST's test set. */
const EVAL_PER_LABEL = 25;
const EVAL_FOLDER = 'fashion-mnist-test';

/** The --eval folder in `work`: the first EVAL_PER_LABEL test-set images of each sample label, as 28×28 PNGs like the sample's. */
async function writeEvalFolder(work: string): Promise<void> {
  const set = readFashionMnist('t10k');
  for (const label of readdirSync(SAMPLE).sort()) {
    const index = FASHION_LABELS.indexOf(label);
    mkdirSync(join(work, EVAL_FOLDER, label), { recursive: true });
    let written = 0;
    for (let i = 0; i < set.count && written < EVAL_PER_LABEL; i++) {
      if (set.labels[i] !== index) continue;
      await sharp(Buffer.from(set.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(work, EVAL_FOLDER, label, `t10k-${String(i).padStart(5, '0')}.png`));
      written++;
    }
  }
}

/** The label the baseline has fewer images of, and how many of them it keeps. */
const GROWN_LABEL = 'bag';
const BASELINE_KEEPS = 0.5;

/**
 * Trains on `dataset` (a folder copied into a fresh work folder, so result.json names it
 * `sample-dataset` and the model `model`, as a user's relative paths would) and returns the result.
 */
async function trainOn(
  work: string,
  cacheDir: string,
  keep: (label: string, file: string, index: number, count: number) => boolean,
  args: string[] = TRAIN_ARGS,
): Promise<RunResult> {
  const dataset = join(work, 'sample-dataset');
  for (const label of readdirSync(SAMPLE).sort()) {
    const files = readdirSync(join(SAMPLE, label)).sort();
    mkdirSync(join(dataset, label), { recursive: true });
    files.forEach((file, i) => keep(label, file, i, files.length) && cpSync(join(SAMPLE, label, file), join(dataset, label, file)));
  }
  const cwd = process.cwd();
  process.chdir(work);
  try {
    const code = await train.run(['sample-dataset', '--out', '.', '--cache-dir', cacheDir, ...args]);
    if (code !== 0) throw new Error(`train exited with ${code}`);
  } finally {
    process.chdir(cwd);
  }
  return parseRunResult(JSON.parse(readFileSync(join(work, 'result.json'), 'utf8')), join(work, 'result.json'));
}

async function main(): Promise<void> {
  if (!process.argv.includes('--report-only')) {
    const scratch = mkdtempSync(join(tmpdir(), 'cci-fixtures-'));
    try {
      const cache = join(scratch, 'cache');
      const baseline = await trainOn(join(scratch, 'base'), cache, (label, _file, i, n) => label !== GROWN_LABEL || i < Math.round(n * BASELINE_KEEPS));
      await writeEvalFolder(join(scratch, 'pr'));
      const run = await trainOn(join(scratch, 'pr'), cache, () => true, [...TRAIN_ARGS, '--eval', EVAL_FOLDER]);
      if (!run.elsewhere) throw new Error(`the pull request's run has no score on ${EVAL_FOLDER}: see its log`);
      const weak = await trainOn(join(scratch, 'weak'), cache, () => true, WEAK_ARGS);
      if (!weak.test.mistakes.length) throw new Error(`the weak run (${WEAK_ARGS.join(' ')}) made no mistakes: weaken it`);
      await writeFileAtomic(FIXTURES.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
      await writeFileAtomic(FIXTURES.run, `${JSON.stringify(run, null, 2)}\n`);
      await writeFileAtomic(FIXTURES.weak, `${JSON.stringify(weak, null, 2)}\n`);
      await writeFileAtomic(FIXTURES.stamp, `${JSON.stringify(schemaStamp(), null, 2)}\n`);
      console.log(`Wrote ${FIXTURES.run}, ${FIXTURES.baseline}, ${FIXTURES.weak} and ${FIXTURES.stamp}`);
      console.log('The snapshots follow the fixtures: UPDATE_SNAPSHOTS=1 node --import tsx --test test/report-markdown.test.ts, then read the diff.');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const dir = await writeExampleReport();
  console.log(`Wrote ${dir}`);
}

await main();
