import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { loadBackbone, parseBackboneSpec, type FeatureExtractor } from '../src/core/backbones/zoo.js';
import { decodeEmbedding, encodeEmbedding, openEmbeddingStore, openPartedStore } from '../src/core/embeddings/cache.js';
import { extractEmbeddings, type EmbeddableImage } from '../src/core/embeddings/extract.js';
import { embedInWorkers } from '../src/core/embeddings/parallel.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { saveTinyConvModel } from './helpers/models.js';

function imagesIn(root: string): EmbeddableImage[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((path) => ({ path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }));
}

const vector = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i));

test('entries round-trip exactly', () => {
  assert.deepEqual([...decodeEmbedding(encodeEmbedding(vector))!], [...vector]);
});

test('truncated, corrupted or mismatched entries are rejected, never trusted', () => {
  const bytes = encodeEmbedding(vector);
  assert.equal(decodeEmbedding(bytes.subarray(0, bytes.length - 1)), null, 'truncated');
  const flipped = bytes.slice();
  flipped[40] ^= 0x10;
  assert.equal(decodeEmbedding(flipped), null, 'bit flip');
  assert.equal(decodeEmbedding(bytes, 64), null, 'wrong dimension for this backbone');
  assert.equal(decodeEmbedding(new TextEncoder().encode('not an embedding at all')), null);
});

test('the store recomputes damaged entries and counts them', async () => {
  const dir = tempDir();
  const store = openEmbeddingStore(dir, 'backbone-key', 32);
  await store.put('ab'.repeat(32), vector);
  assert.deepEqual([...(await store.get('ab'.repeat(32)))!], [...vector]);
  assert.equal(await store.get('cd'.repeat(32)), null);
  const file = join(dir, 'embeddings', readdirSync(join(dir, 'embeddings'))[0], 'ab', `${'ab'.repeat(32)}.emb`);
  writeFileSync(file, readFileSync(file).subarray(0, 20));
  const reopened = openEmbeddingStore(dir, 'backbone-key', 32);
  assert.equal(await reopened.get('ab'.repeat(32)), null);
  assert.equal(reopened.corrupt, 1);
  assert.deepEqual(
    readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp files left behind',
  );
});

test('adopt takes entries as files (parted stores part by part); neither store can change the other afterwards', async () => {
  const [chunk, target] = [tempDir(), tempDir()];
  const parts = [
    { cacheKey: 'taps-a', dim: 12 },
    { cacheKey: 'taps-b', dim: 20 },
  ];
  const from = openPartedStore(chunk, parts);
  const into = openPartedStore(target, parts);
  const [sha, other] = ['12'.repeat(32), '34'.repeat(32)];
  await from.put(sha, vector);
  await into.adopt(sha, from.files(sha));
  assert.deepEqual([...(await into.get(sha))!], [...vector], 'the adopted entry reads back whole');
  assert.deepEqual(
    into.files(sha).map((f) => readFileSync(f)),
    from.files(sha).map((f) => readFileSync(f)),
    'byte for byte',
  );
  // Writes replace files (rename), so a later put into the target leaves the chunk's entry as it was, linked or not.
  await into.put(
    sha,
    vector.map((v) => v + 1),
  );
  assert.deepEqual([...(await from.get(sha))!], [...vector]);
  rmSync(chunk, { recursive: true });
  assert.deepEqual([...(await into.get(sha))!], [...vector.map((v) => v + 1)], 'the target keeps its entry when the chunk is deleted');
  await assert.rejects(into.adopt(other, from.files(other)), /no such file|ENOENT/, 'a missing source entry is an error, not an empty entry');
  await assert.rejects(into.adopt(other, [from.files(other)[0]]), /Cannot adopt an entry of 1 files into a store of 2/);
  assert.equal(await into.get(other), null);
});

test('different backbone keys never share entries', async () => {
  const dir = tempDir();
  await openEmbeddingStore(dir, 'mobilenet@224', 32).put('ef'.repeat(32), vector);
  assert.equal(await openEmbeddingStore(dir, 'mobilenet@160', 32).get('ef'.repeat(32)), null);
});

// ---------------------------------------------------------------------------------------
// Extraction with a deadline: the clock is the test's, moved past the deadline when a batch
// has run (in this thread: the extractor's own call; with workers: the progress call), so
// "mid-way" is exact.

describe('extraction with a deadline', async () => {
  await ensureBackend();
  const modelDir = join(tempDir(), 'tiny');
  await saveTinyConvModel(modelDir);
  const tiny = await loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() });
  after(() => tiny.dispose());
  const images = imagesIn(sampleSubset(6)); // 24 real images: 6 batches of 4
  const BATCH = 4;

  /** A clock that jumps past `deadline` once `batches` batches have run through the extractor (in this thread; it writes one while running the next). */
  function stopAfter(batches: number, deadline = 1000) {
    let time = 0;
    let ran = 0;
    const extractor: FeatureExtractor = {
      ...tiny,
      embed: (pixels, n) => {
        const flat = tiny.embed(pixels, n);
        if (++ran >= batches) time = deadline;
        return flat;
      },
    };
    return { extractor, now: () => time, deadline };
  }

  test('stops at the deadline, caches what it did, and the next call computes only the rest', async () => {
    const cacheDir = tempDir();
    const clock = stopAfter(1);
    const cut = await extractEmbeddings(clock.extractor, images, {
      cacheDir,
      maxPixels: 1e7,
      batchSize: BATCH,
      workers: 1,
      log: silentLogger,
      now: clock.now,
      deadline: clock.deadline,
    });
    assert.deepEqual([cut.computed, cut.cached, cut.remaining, cut.complete], [BATCH, 0, 20, false], 'one batch, then the deadline');
    assert.equal(cut.vectors.size, BATCH, 'only finished embeddings are returned');

    const store = openEmbeddingStore(cacheDir, tiny.cacheKey, tiny.featureDim);
    for (const sha of cut.vectors.keys()) assert.ok(await store.get(sha), 'each finished embedding is in the cache');

    const rest = await extractEmbeddings(tiny, images, {
      cacheDir,
      maxPixels: 1e7,
      batchSize: BATCH,
      workers: 1,
      log: silentLogger,
      now: () => 0,
      deadline: 1000,
    });
    assert.deepEqual([rest.computed, rest.cached, rest.remaining, rest.complete], [20, BATCH, 0, true], 'resumes: computes only what was left');
    assert.equal(rest.vectors.size, images.length);
    for (const [sha, vector] of cut.vectors) assert.deepEqual([...rest.vectors.get(sha)!], [...vector], 'the cut run’s embeddings are the ones reused');

    const third = await extractEmbeddings(tiny, images, { cacheDir, maxPixels: 1e7, batchSize: BATCH, workers: 1, log: silentLogger, now: () => 0 });
    assert.deepEqual([third.computed, third.cached, third.complete], [0, 24, true], 'everything is cached now');
  });

  test('a deadline already passed computes nothing, and says so', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    for (const workers of [1, 2]) {
      const run = await extractEmbeddings(tiny, images, { cacheDir: tempDir(), maxPixels: 1e7, batchSize: BATCH, workers, log, now: () => 5, deadline: 5 });
      assert.deepEqual([run.computed, run.remaining, run.complete, run.vectors.size], [0, 24, false, 0], `workers: ${workers}`);
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /stopped at the deadline: 0 of 24 computed .* 24 left/);
  });

  test('with worker threads: nothing is sent once the deadline passes (here while they start), and nothing hangs', async () => {
    let time = 0;
    // The line logged just before the workers start: the deadline passes while they load.
    const log: Logger = { ...silentLogger, info: (m) => void (/worker threads/.test(m) && (time = 1000)) };
    const run = await extractEmbeddings(tiny, images, {
      cacheDir: tempDir(),
      maxPixels: 1e7,
      batchSize: BATCH,
      workers: 2,
      log,
      now: () => time,
      deadline: 1000,
    });
    assert.equal(time, 1000, 'the workers were started');
    assert.deepEqual([run.computed, run.remaining, run.complete], [0, 24, false]);
  });

  test('embedInWorkers sends no batch once shouldStop says so, passes on the ones in flight, and resolves', async () => {
    let stop = false;
    const delivered: number[] = [];
    const batches = images.map((image) => [image]); // 24 batches of one
    await embedInWorkers(tiny, batches, { workers: 2, cacheDir: tempDir(), maxPixels: 1e7, log: silentLogger, shouldStop: () => stop }, async (index) => {
      delivered.push(index);
      stop = true; // the deadline passes as the first batch is passed on
    });
    // Before the first result is passed on, each worker holds at most 2 batches, and the result
    // that frees a place sends one more: 5 at most, whatever the timing.
    assert.ok(delivered.length >= 1 && delivered.length <= 5, `passed on ${delivered.length} of 24`);
    assert.deepEqual(
      delivered,
      delivered.map((_, i) => i),
      'in batch order, none lost',
    );
  });

  test('with worker threads: what was embedded before the deadline is cached, and the next call computes only the rest', async () => {
    const cacheDir = tempDir();
    let time = 0;
    const log: Logger = { ...silentLogger, progress: () => void (time = 1000) };
    const cut = await extractEmbeddings(tiny, images, { cacheDir, maxPixels: 1e7, batchSize: 1, workers: 2, log, now: () => time, deadline: 1000 });
    // How many were in flight when the first was saved depends on timing; embedInWorkers' bound is tested above.
    assert.ok(cut.computed >= 1);
    assert.equal(cut.computed + cut.remaining, images.length);
    assert.equal(cut.complete, cut.remaining === 0);
    assert.equal(cut.vectors.size, cut.computed);

    const rest = await extractEmbeddings(tiny, images, { cacheDir, maxPixels: 1e7, batchSize: 1, workers: 1, log: silentLogger, now: () => 0, deadline: 1000 });
    assert.deepEqual([rest.computed, rest.cached, rest.complete], [cut.remaining, cut.computed, true]);
    const reference = await extractEmbeddings(tiny, images, { cacheDir: tempDir(), maxPixels: 1e7, batchSize: 1, workers: 1, log: silentLogger, now: () => 0 });
    for (const image of images)
      assert.deepEqual([...rest.vectors.get(image.sha256)!], [...reference.vectors.get(image.sha256)!], 'same embeddings as one uncut run');
  });
});

// ---------------------------------------------------------------------------------------
// An engine that answers asynchronously (ONNX Runtime): awaited batch by batch, never sent to
// TF.js worker threads, and a failure that ends the call leaves no stray promise behind.

test('an asynchronous embedder (as ONNX Runtime is) fills the cache in this thread, whatever `workers` says', async () => {
  const images = imagesIn(sampleSubset(3, ['bag', 'trouser']));
  const cacheDir = tempDir();
  const batchSizes: number[] = [];
  const embedder = {
    spec: parseBackboneSpec('mobilenet_v2@32'),
    displayName: 'async stand-in',
    featureDim: 2,
    cacheKey: 'async-stand-in|v1',
    // The mean byte and the batch row, per image: checks each vector lands on its own image.
    embed: async (pixels: Uint8Array, n: number) => {
      batchSizes.push(n);
      await Promise.resolve();
      const per = pixels.length / n;
      return Float32Array.from({ length: n * 2 }, (_, k) =>
        k % 2 ? Math.floor(k / 2) : pixels.subarray(Math.floor(k / 2) * per, (Math.floor(k / 2) + 1) * per).reduce((a, b) => a + b, 0) / per,
      );
    },
  };
  const infos: string[] = [];
  const log: Logger = { ...silentLogger, info: (m) => void infos.push(m) };
  const run = await extractEmbeddings(embedder, images, { cacheDir, maxPixels: 1e8, workers: 2, batchSize: 4, log, now: () => 0 });
  assert.deepEqual(batchSizes, [4, 2]);
  assert.equal(run.computed, 6);
  assert.deepEqual(
    infos.filter((m) => /worker threads/.test(m)),
    [],
    'no TF.js workers for an engine that is not TF.js',
  );
  const again = await extractEmbeddings(embedder, images, { cacheDir, maxPixels: 1e8, log, now: () => 0 });
  assert.deepEqual([again.computed, again.cached], [0, 6]);
  for (const image of images) assert.deepEqual(again.vectors.get(image.sha256), run.vectors.get(image.sha256));
  assert.deepEqual(new Set(images.map((i) => run.vectors.get(i.sha256)![1])), new Set([0, 1, 2, 3]), 'batch rows 0–3, then 0–1');
});

test('an embedder that fails ends the call with its error, and the batch decoded ahead is not left as an unhandled rejection', async () => {
  // The second batch cannot be decoded: its rejection, decoded ahead while the first batch fails, must be handled.
  const broken = join(tempDir(), 'broken.png');
  writeFileSync(broken, 'not an image');
  const images = [...imagesIn(sampleSubset(1, ['bag', 'trouser'])), { path: broken, sha256: 'b'.repeat(64) }];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const embedder = {
      spec: parseBackboneSpec('mobilenet_v2@32'),
      displayName: 'failing',
      featureDim: 2,
      cacheKey: 'failing|v1',
      embed: () => Promise.reject(new Error('ORT: out of memory')),
    };
    await assert.rejects(
      extractEmbeddings(embedder, images, { cacheDir: tempDir(), maxPixels: 1e8, batchSize: 2, log: silentLogger, now: () => 0 }),
      /ORT: out of memory/,
    );
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
