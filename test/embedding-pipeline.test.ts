/**
 * The in-process embedding loop (embeddings/batches.ts runPipelined): batch k+1 is decoded
 * while batch k runs, and batch k is written while batch k+1 runs, in order, one write at a
 * time. Driven step by step with promises the test settles itself (no clock), then end to end
 * on ONNX Runtime: the vectors and the cache equal those of running each batch on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { embedderOf, parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { decodeBatch, runPipelined } from '../src/core/embeddings/batches.js';
import { openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { viewEmbedder } from '../src/core/embeddings/views.js';
import { extractEmbeddings, TFJS_BATCH_PIXELS, tfjsBatchSize, type EmbeddableImage } from '../src/core/embeddings/extract.js';
import { chooseInferenceEngine } from '../src/core/engine/choose.js';
import { loadRunBackbone, ORT_BATCH_PIXELS, ortBatchSize } from '../src/core/engine/onnx-backbone.js';
import { silentLogger } from '../src/core/ports.js';
import { SAMPLE, tempDir } from './helpers/datasets.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (no timers, no I/O). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The first `perLabel` images of each sample-dataset label, sorted. */
function sampleImages(perLabel: number): EmbeddableImage[] {
  return readdirSync(SAMPLE)
    .sort()
    .flatMap((label) =>
      readdirSync(join(SAMPLE, label))
        .sort()
        .slice(0, perLabel)
        .map((file) => join(SAMPLE, label, file)),
    )
    .map((path) => ({ path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }));
}

/** A loop over `count` batches whose every step waits for the test; records what started when. */
function scripted(count: number, stopAfter = Infinity) {
  const events: string[] = [];
  const steps = {
    decode: Array.from({ length: count }, () => deferred<Uint8Array>()),
    embed: Array.from({ length: count }, () => deferred<string>()),
    save: Array.from({ length: count }, () => deferred<void>()),
  };
  let embedded = 0;
  const done = runPipelined(count, {
    decode: (k) => (events.push(`decode ${k}`), steps.decode[k].promise),
    embed: (k) => (events.push(`embed ${k}`), embedded++, steps.embed[k].promise),
    save: (k, result) => (events.push(`save ${k} ${result}`), steps.save[k].promise),
    shouldStop: () => embedded >= stopAfter,
  });
  return { events, steps, done };
}

test('TF.js batches hold about the same pixels at every input size, from 1 to 16 images', () => {
  assert.deepEqual([28, 96, 112, 160, 224, 299, 448, 1024].map(tfjsBatchSize), [16, 16, 16, 7, 4, 2, 1, 1]);
  for (const size of [64, 96, 160, 224, 299]) assert.ok(tfjsBatchSize(size) * size * size <= TFJS_BATCH_PIXELS, `${size} px`);
});

test('ONNX Runtime batches hold about 8 images at 224 px, from 1 to 32, and every ORT embedder of a backbone embeds in them', async () => {
  assert.deepEqual([28, 64, 96, 112, 160, 224, 299, 448, 1024].map(ortBatchSize), [32, 32, 32, 32, 15, 8, 4, 2, 1]);
  for (const size of [160, 224, 299, 448]) assert.ok(ortBatchSize(size) * size * size <= ORT_BATCH_PIXELS, `${size} px`);

  const images = sampleImages(3); // 12 images: a batch of 8 and one of 4 at 224 px
  const cacheDir = tempDir();
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: await ensureBackend(), tfjsWorkers: 1, cacheDir });
  assert.equal(engine.engine, 'onnxruntime', 'ONNX Runtime runs here');
  for (const text of ['mobilenet_v2@224', 'mobilenet_v2@224+taps']) {
    const extractor = await loadRunBackbone(parseBackboneSpec(text), engine, { cacheDir });
    try {
      const embedders = [embedderOf(extractor), extractor.ort!.fineTuneCut?.embedder].filter((e) => e !== undefined);
      for (const embedder of embedders) {
        assert.equal(embedder.batchSize, 8, `${embedder.displayName}`);
        assert.equal(viewEmbedder(embedder, 'crop').batchSize, 8, `${embedder.displayName}: its augmented views too`);
        const sizes: number[] = [];
        const counting = { ...embedder, embed: (pixels: Uint8Array, n: number) => (sizes.push(n), embedder.embed(pixels, n)) };
        // A pass that also stores byproducts (the plain cut beside a multi-depth variant) embeds through them.
        if (embedder.byproducts) counting.byproducts = { ...embedder.byproducts, embed: (pixels, n) => (sizes.push(n), embedder.byproducts!.embed(pixels, n)) };
        const run = await extractEmbeddings(counting, images, { cacheDir: tempDir(), maxPixels: 1e8, log: silentLogger, now: () => 0 });
        assert.equal(run.computed, images.length);
        assert.deepEqual(sizes, [8, 4], `${embedder.displayName}: batches of its own size when the caller names none`);
      }
    } finally {
      extractor.dispose();
    }
  }
});

test('batch k+1 is decoded while k runs, and k is written while k+1 runs; writes one at a time, in order', async () => {
  const { events, steps, done } = scripted(3);
  await settle();
  assert.deepEqual(events, ['decode 0']);
  steps.decode[0].resolve(new Uint8Array(1));
  await settle();
  assert.deepEqual(events, ['decode 0', 'decode 1', 'embed 0'], 'the next batch decodes while this one runs');
  steps.embed[0].resolve('a');
  steps.decode[1].resolve(new Uint8Array(1));
  await settle();
  assert.deepEqual(events.slice(3), ['save 0 a', 'decode 2', 'embed 1'], 'batch 0 is written while batch 1 runs');
  // Batch 1 finishes before batch 0's write: its write waits for that one.
  steps.embed[1].resolve('b');
  steps.decode[2].resolve(new Uint8Array(1));
  await settle();
  assert.deepEqual(events.slice(6), [], 'no second write, and no next batch, while a write is in progress');
  steps.save[0].resolve();
  await settle();
  assert.deepEqual(events.slice(6), ['save 1 b', 'embed 2']);
  steps.embed[2].resolve('c');
  await settle();
  assert.deepEqual(events.slice(8), []);
  steps.save[1].resolve();
  await settle();
  assert.deepEqual(events.slice(8), ['save 2 c']);
  let finished = false;
  void done.then(() => (finished = true));
  await settle();
  assert.equal(finished, false, 'the call waits for the last write');
  steps.save[2].resolve();
  await done;
});

test('once told to stop, no further batch runs; the batch in hand is still written', async () => {
  const { events, steps, done } = scripted(3, 1);
  steps.decode[0].resolve(new Uint8Array(1));
  await settle();
  steps.embed[0].resolve('a');
  await settle();
  steps.save[0].resolve();
  steps.decode[1].resolve(new Uint8Array(1));
  await done;
  assert.deepEqual(events, ['decode 0', 'decode 1', 'embed 0', 'save 0 a']);
});

test('a failed write stops the loop at the next batch and is thrown; a failed network step waits for the write in progress', async () => {
  const failedWrite = scripted(3);
  failedWrite.steps.decode[0].resolve(new Uint8Array(1));
  failedWrite.steps.decode[1].resolve(new Uint8Array(1));
  failedWrite.steps.embed[0].resolve('a');
  await settle();
  failedWrite.steps.save[0].reject(new Error('disk full'));
  await settle(); // rejected while nobody awaits it yet: must not be an unhandled rejection
  failedWrite.steps.embed[1].resolve('b');
  await assert.rejects(failedWrite.done, /disk full/);
  assert.ok(!failedWrite.events.includes('save 1 b'), 'nothing is written after a failed write');

  const failedEmbed = scripted(3);
  failedEmbed.steps.decode[0].resolve(new Uint8Array(1));
  failedEmbed.steps.decode[1].resolve(new Uint8Array(1));
  failedEmbed.steps.embed[0].resolve('a');
  await settle();
  failedEmbed.steps.embed[1].reject(new Error('out of memory'));
  let settled = false;
  void failedEmbed.done.catch(() => (settled = true));
  await settle();
  assert.equal(settled, false, 'batch 0 is still being written');
  failedEmbed.steps.save[0].resolve();
  await assert.rejects(failedEmbed.done, /out of memory/);
});

test('on ONNX Runtime, the overlapped loop gives the vectors and the cache of running each batch on its own', async () => {
  const images = sampleImages(5);
  const cacheDir = tempDir();
  const engine = await chooseInferenceEngine({ engine: 'onnx', device: 'cpu', tfjs: await ensureBackend(), tfjsWorkers: 1, cacheDir });
  assert.equal(engine.engine, 'onnxruntime', 'ONNX Runtime runs here');
  const extractor = await loadRunBackbone(parseBackboneSpec('mobilenet_v2@64'), engine, { cacheDir });
  try {
    const embedder = embedderOf(extractor);
    const batchSize = 6;
    const run = await extractEmbeddings(embedder, images, { cacheDir, maxPixels: 1e8, batchSize, log: silentLogger, now: () => 0 });
    assert.equal(run.computed, images.length);
    const store = openEmbeddingStore(cacheDir, embedder.cacheKey, embedder.featureDim);
    for (let from = 0; from < images.length; from += batchSize) {
      const batch = images.slice(from, from + batchSize);
      const alone = await embedder.embed(await decodeBatch(batch, 64, 1e8), batch.length);
      for (const [i, image] of batch.entries()) {
        const expected = Buffer.from(alone.buffer, alone.byteOffset + i * embedder.featureDim * 4, embedder.featureDim * 4);
        const got = run.vectors.get(image.sha256)!;
        assert.ok(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(expected), `${image.path}: same vector`);
        const cached = (await store.get(image.sha256))!;
        assert.ok(Buffer.from(cached.buffer, cached.byteOffset, cached.byteLength).equals(expected), `${image.path}: same cache entry`);
      }
    }
  } finally {
    extractor.dispose();
  }
});
