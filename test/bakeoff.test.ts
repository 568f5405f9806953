/**
 * The bake-off's ranking rule (rankCandidates, on typed rows) and how it treats a candidate
 * whose embedding the deadline cuts short (runBakeOff on a small real dataset, with a tiny
 * local backbone and the test's clock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { tfjsBatchSize } from '../src/core/embeddings/extract.js';
import { prepareDataset } from '../src/core/dataset/prepare.js';
import { DEFAULT_SPLIT } from '../src/core/options.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import type { Candidate } from '../src/core/result.js';
import { rankCandidates, runBakeOff, type BakeOffContext, type BakeOffOutcome } from '../src/core/training/bakeoff.js';
import { disposeFitted } from '../src/core/training/candidates.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { saveTinyConvModel } from './helpers/models.js';

type Row = Pick<Candidate, 'valAccuracy' | 'valLoss' | 'backboneParams' | 'error'> & { name: string };
const row = (name: string, valAccuracy: number, valLoss: number, backboneParams: number, error?: string): Row => ({
  name,
  valAccuracy,
  valLoss,
  backboneParams,
  error,
});
const names = (rows: Row[]) => rankCandidates(rows).map((r) => r.name);

test('ranking: validation accuracy first, whatever the loss or the backbone size', () => {
  assert.deepEqual(names([row('big-accurate', 0.9, 0.9, 21_000_000), row('small-less-accurate', 0.85, 0.1, 2_000_000)]), [
    'big-accurate',
    'small-less-accurate',
  ]);
});

test('ranking: on equal accuracy, the cheaper backbone (fewer parameters) wins, even with a higher loss', () => {
  assert.deepEqual(names([row('big', 0.9, 0.3, 21_000_000), row('small', 0.9, 0.4, 2_000_000), row('cnn', 0.9, 0.5, 300_000)]), ['cnn', 'small', 'big']);
});

test('ranking: on equal accuracy and backbone size, the lower validation loss wins', () => {
  assert.deepEqual(names([row('worse-loss', 0.9, 0.4, 2_000_000), row('better-loss', 0.9, 0.3, 2_000_000)]), ['better-loss', 'worse-loss']);
});

test('ranking: failed candidates come last, whatever their numbers; full ties keep their order; the input is not reordered', () => {
  const rows = [row('failed', 1, 0, 1, 'could not load'), row('first-tie', 0.5, 1, 10), row('second-tie', 0.5, 1, 10), row('worse', 0.4, 1, 10)];
  assert.deepEqual(names(rows), ['first-tie', 'second-tie', 'worse', 'failed']);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['failed', 'first-tie', 'second-tie', 'worse'],
  );
});

// ---------------------------------------------------------------------------------------

await ensureBackend();
const dataset = await prepareDataset({ datasetPath: sampleSubset(12), split: DEFAULT_SPLIT, seed: 1, maxPixels: 1e7, workDir: tempDir() }, silentLogger); // 48 images
const modelDir = join(tempDir(), 'tiny');
await saveTinyConvModel(modelDir);
// At 112 px a TF.js embedding batch holds 16 images (tfjsBatchSize): the 48 images make 3 batches.
const TINY = parseBackboneSpec(`${join(modelDir, 'model.json')}@112`);
assert.equal(tfjsBatchSize(112), 16);
const CNN = parseBackboneSpec('small_cnn@16');

/**
 * A bake-off whose clock stands still until the first embedding batch is saved, then jumps to
 * the deadline. Batch 2 is already running by then (batch k is saved while k + 1 runs), so batch 3 is the one not started.
 */
function context(cacheDir: string): BakeOffContext & { warnings: string[] } {
  let time = 0;
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m), progress: (task) => void (/^Embedding with/.test(task) && (time = 1000)) };
  return { dataset, cacheDir, maxPixels: 1e7, maxEpochs: 2, seed: 3, deadline: 1000, now: () => time, log, warnings };
}

function dispose(outcome: BakeOffOutcome) {
  disposeFitted(outcome.winner.fitted);
  outcome.winner.prepared.extractor?.dispose();
}

test('a candidate whose embedding the deadline cuts short is listed as skipped, and the next run resumes from the cache', async () => {
  const before = tf.memory().numTensors;
  const cacheDir = tempDir();
  const ctx = context(cacheDir);
  const first = await runBakeOff([CNN, TINY], ctx);
  assert.equal(first.rows.length, 2);
  assert.equal(first.rows[0].error, undefined, 'the small CNN trained');
  assert.match(
    first.rows[1].error ?? '',
    /^skipped: the bake-off ran out of budget while embedding \(16 images left; those done are cached, so a later run resumes\)$/,
  );
  assert.equal(first.winner.prepared.spec.id, CNN.id);
  assert.ok(
    ctx.warnings.some((w) => /stopped at the deadline: 32 of 48 computed/.test(w)),
    ctx.warnings.join('\n'),
  );
  dispose(first);

  const second = await runBakeOff([CNN, TINY], { ...context(cacheDir), now: () => 0 });
  const tiny = second.rows[1];
  assert.equal(tiny.error, undefined, 'with time left, it trains');
  assert.deepEqual([tiny.embeddingsCached, tiny.embeddingsComputed], [32, 16], 'only the rest is computed');
  dispose(second);
  assert.equal(tf.memory().numTensors, before, 'skipped and losing candidates leave no tensors');
});

test('the first candidate to train is never cut short: a bake-off always ends with a model', async () => {
  const outcome = await runBakeOff([TINY], context(tempDir()));
  assert.equal(outcome.rows[0].error, undefined);
  assert.deepEqual([outcome.rows[0].embeddingsComputed, outcome.rows[0].embeddingsCached], [48, 0]);
  dispose(outcome);
});

test('a candidate its share of the budget stops early says so in its estimate note, with the epochs it got', async () => {
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
  // The deadline has passed already: the first candidate still trains (a bake-off always ends
  // with a model), and stops after its first epoch.
  const start = performance.now();
  const outcome = await runBakeOff([CNN], {
    dataset,
    cacheDir: tempDir(),
    maxPixels: 1e7,
    maxEpochs: 5,
    seed: 3,
    deadline: start - 1,
    now: () => performance.now(),
    log,
  });
  const row = outcome.rows[0];
  assert.equal(row.epochs, 1);
  assert.match(
    row.cv?.note ?? '',
    /^trained end to end, too slow to cross-validate: .*; its share of the budget stopped it after 1 of 5 epochs, so its score understates it; a larger budget trains it fully$/,
  );
  assert.ok(
    warnings.some((w) => /^Small CNN \(from scratch\) @16: its share of the budget stopped it after 1 of 5 epochs/.test(w)),
    warnings.join('\n'),
  );
  dispose(outcome);

  const whole = await runBakeOff([CNN], { ...context(tempDir()), maxEpochs: 2, now: () => 0 });
  assert.doesNotMatch(whole.rows[0].cv?.note ?? '', /stopped it/, 'a candidate that trained its epochs has no such note');
  dispose(whole);
});
