import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ensureBackend } from '../src/core/backend/select.js';
import { loadBackbone, parseBackboneSpec, type FeatureExtractor } from '../src/core/backbones/zoo.js';
import { openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { extractEmbeddings, type EmbeddableImage, type ExtractOptions } from '../src/core/embeddings/extract.js';
import { embedInWorkers, EmbeddingPool, WorkerLoadError } from '../src/core/embeddings/parallel.js';
import { splitForFineTune } from '../src/core/backbones/fine-tune-split.js';
import { InputError } from '../src/core/errors.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { addSampleImages, sampleSubset, tempDir } from './helpers/datasets.js';
import { saveTinyConvModel } from './helpers/models.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = 'mobilenet_v2@96';

function imagesIn(root: string): EmbeddableImage[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((path) => ({ path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }));
}

/** A logger that keeps what it was told. */
function recordingLogger(): Logger & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { ...silentLogger, infos, warnings, info: (m) => infos.push(m), warn: (m) => warnings.push(m) };
}

function options(cacheDir: string, workers: number, log: Logger = silentLogger): ExtractOptions {
  return { cacheDir, maxPixels: 10_000_000, batchSize: 8, workers, log, now: () => performance.now() };
}

function bytesOf(vectors: Map<string, Float32Array>, images: EmbeddableImage[]): Buffer {
  return Buffer.concat(images.map((i) => Buffer.from(vectors.get(i.sha256)!.buffer, vectors.get(i.sha256)!.byteOffset, vectors.get(i.sha256)!.byteLength)));
}

const workerLines = (log: { infos: string[] }) => log.infos.filter((m) => /worker threads/.test(m));

/** Runs `node args…` and resolves with its exit code and output; a child that does not exit by itself fails the test. */
function runChild(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A guard against hanging the suite, not a timing assertion: a child whose workers keep it alive never exits.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child process did not exit by itself (workers left running?)\n${stderr}`));
    }, 90_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What the child processes run: one extraction with 2 workers, then one whose workers fail; prints the results. */
function childScript(modules: { select: string; zoo: string; extract: string }, datasetDir: string, cacheDir: string): string {
  return `
    import { createHash } from 'node:crypto';
    import { readdirSync, readFileSync } from 'node:fs';
    import { join } from 'node:path';
    const { ensureBackend } = await import(${JSON.stringify(modules.select)});
    const { loadBackbone, parseBackboneSpec } = await import(${JSON.stringify(modules.zoo)});
    const { extractEmbeddings } = await import(${JSON.stringify(modules.extract)});
    const images = readdirSync(${JSON.stringify(datasetDir)}, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort()
      .map((path) => ({ path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }));
    await ensureBackend();
    const extractor = await loadBackbone(parseBackboneSpec(${JSON.stringify(SPEC)}), { cacheDir: ${JSON.stringify(cacheDir)} });
    const infos = [];
    const log = { info: (m) => infos.push(m), warn: () => {}, stage: () => () => {}, progress: () => {} };
    const run = await extractEmbeddings(extractor, images, { cacheDir: ${JSON.stringify(cacheDir)}, maxPixels: 1e7, batchSize: 8, workers: 2, log, now: () => performance.now() });
    const hash = createHash('sha256');
    for (const image of images) hash.update(run.vectors.get(image.sha256));
    const broken = { ...extractor, spec: { ...extractor.spec, id: 'no_such_backbone@96', source: 'no_such_backbone' } };
    const failure = await extractEmbeddings(broken, images, { cacheDir: ${JSON.stringify(join(cacheDir, 'other'))}, maxPixels: 1e7, batchSize: 8, workers: 2, log, now: () => performance.now(), fillWhileStarting: false }).then(() => 'no error', (e) => e.message);
    extractor.dispose();
    console.log(JSON.stringify({ computed: run.computed, hash: hash.digest('hex'), usedWorkers: infos.some((m) => /worker threads/.test(m)), failure }));
    // No process.exit: the process must end on its own once the workers are gone.
  `;
}

const sha = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

await ensureBackend();
const extractor = await loadBackbone(parseBackboneSpec(SPEC), { cacheDir: tempDir() });
const dataset = sampleSubset(12); // 48 real images: 6 batches of 8
const images = imagesIn(dataset);
let reference: Buffer; // the in-process embeddings of `images`

test('2 workers give bit-identical embeddings to 1, and the cache counts are right', async () => {
  const inProcessLog = recordingLogger();
  const one = await extractEmbeddings(extractor, images, options(tempDir(), 1, inProcessLog));
  assert.deepEqual([one.computed, one.cached], [48, 0]);
  assert.deepEqual(workerLines(inProcessLog), [], 'workers: 1 embeds in this thread');
  reference = bytesOf(one.vectors, images);

  const cacheDir = tempDir();
  const log = recordingLogger();
  const two = await extractEmbeddings(extractor, images, options(cacheDir, 2, log));
  assert.equal(workerLines(log).length, 1, 'the batches went to worker threads');
  assert.match(workerLines(log)[0], /6 batches .* 2 worker threads/);
  assert.deepEqual([two.computed, two.cached, two.corrupt], [48, 0, 0]);
  assert.deepEqual([...two.vectors.keys()], [...one.vectors.keys()], 'merged in the same order');
  assert.ok(bytesOf(two.vectors, images).equals(reference), 'bit-identical embeddings');

  // The main thread wrote every worker result to the cache, intact.
  const store = openEmbeddingStore(cacheDir, extractor.cacheKey, extractor.featureDim);
  const stored = new Map<string, Float32Array>();
  for (const image of images) stored.set(image.sha256, (await store.get(image.sha256))!);
  assert.ok(bytesOf(stored, images).equals(reference), 'cache entries hold the same embeddings');

  // A second run reads the 48 from the cache and computes only the 16 new images (2 batches, 2 workers).
  const added = addSampleImages(dataset, 12, 16);
  assert.equal(added, 16);
  const grown = imagesIn(dataset);
  const againLog = recordingLogger();
  const again = await extractEmbeddings(extractor, grown, options(cacheDir, 2, againLog));
  assert.deepEqual([again.computed, again.cached], [16, 48]);
  assert.equal(workerLines(againLog).length, 1);
  const fresh = grown.filter((i) => !images.some((j) => j.sha256 === i.sha256));
  const freshInProcess = await extractEmbeddings(extractor, fresh, options(tempDir(), 1));
  assert.ok(bytesOf(again.vectors, fresh).equals(bytesOf(freshInProcess.vectors, fresh)), 'new images: same as in-process');
  assert.ok(bytesOf(again.vectors, images).equals(reference), 'cached images: same as before');
});

test('while the workers start, this thread embeds batches itself; the batches still arrive in order and bit-identical', async () => {
  const batches = [0, 1, 2, 3, 4, 5].map((b) => images.slice(b * 8, (b + 1) * 8));
  const run = async (fillWhileStarting: boolean) => {
    const order: number[] = [];
    const parts: Buffer[] = [];
    const stats = await embedInWorkers(
      extractor,
      batches,
      { workers: 2, cacheDir: tempDir(), maxPixels: 1e7, log: silentLogger, fillWhileStarting },
      async (index, embeddings) => {
        order.push(index);
        parts.push(Buffer.from(embeddings.buffer, embeddings.byteOffset, embeddings.byteLength));
      },
    );
    return { stats, order, bytes: Buffer.concat(parts) };
  };
  const filled = await run(true);
  const workersOnly = await run(false);
  // A worker needs seconds to start (backend, weights); this thread has the backbone already.
  assert.ok(filled.stats.inMainThread >= 1, `this thread embedded ${filled.stats.inMainThread} batches`);
  assert.equal(workersOnly.stats.inMainThread, 0);
  for (const { order, bytes } of [filled, workersOnly]) {
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5], 'passed on in batch order');
    assert.ok(bytes.equals(reference), 'bit-identical to in-process');
  }
});

test('a worker that cannot load the backbone fails the extraction with its reason, without hanging', async () => {
  const broken: FeatureExtractor = { ...extractor, spec: { ...extractor.spec, id: 'no_such_backbone@96', source: 'no_such_backbone' } };
  const batches = [images.slice(0, 8), images.slice(8, 16)];
  await assert.rejects(
    embedInWorkers(broken, batches, { workers: 2, cacheDir: tempDir(), maxPixels: 1e7, log: silentLogger, fillWhileStarting: false }, async () =>
      assert.fail('no batch can succeed'),
    ),
    (error: Error) => error instanceof WorkerLoadError && /no_such_backbone/.test(error.message),
  );
  // Through extractEmbeddings it is a plain error, so the bake-off makes it the candidate's error rather than stopping the run.
  const cacheDir = tempDir();
  await assert.rejects(
    extractEmbeddings(broken, images, { ...options(cacheDir, 2), fillWhileStarting: false }),
    (error: Error) => !(error instanceof InputError) && /could not load no_such_backbone/.test(error.message),
  );
  const store = openEmbeddingStore(cacheDir, extractor.cacheKey, extractor.featureDim);
  assert.equal(await store.get(images[0].sha256), null, 'nothing cached from a failed run');
});

test('a worker that crashes (out of memory) fails the extraction, without hanging', async () => {
  const batches = [images.slice(0, 8), images.slice(8, 16), images.slice(16, 24)];
  let delivered = 0;
  await assert.rejects(
    embedInWorkers(
      extractor,
      batches,
      {
        workers: 2,
        cacheDir: tempDir(),
        maxPixels: 1e7,
        log: silentLogger,
        fillWhileStarting: false,
        resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 },
      },
      async () => {
        delivered++;
      },
    ),
    /Embedding worker \d crashed: .*memory limit/,
  );
  assert.equal(delivered, 0);
});

test('a user backbone that cannot be loaded again in a worker is embedded in this thread, with a warning', async () => {
  const modelDir = join(tempDir(), 'tiny');
  await saveTinyConvModel(modelDir);
  const tiny = await loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() });
  try {
    const reference = await extractEmbeddings(tiny, images, options(tempDir(), 1));
    rmSync(join(modelDir, 'weights.bin')); // the workers load from the spec, and now cannot
    const log = recordingLogger();
    const run = await extractEmbeddings(tiny, images, { ...options(tempDir(), 2, log), fillWhileStarting: false });
    assert.equal(workerLines(log).length, 1, 'workers were tried first');
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /cannot be loaded in a worker thread .*weights\.bin.*; embedding it on one core instead/);
    assert.equal(run.computed, 48);
    assert.ok(bytesOf(run.vectors, images).equals(bytesOf(reference.vectors, images)));
  } finally {
    tiny.dispose();
  }
});

test('workers are gone at the end: a process using them exits by itself, from source (tsx) and from the esbuild bundle', async () => {
  const small = sampleSubset(4); // 16 images: 2 batches
  const expected = sha(bytesOf((await extractEmbeddings(extractor, imagesIn(small), options(tempDir(), 1))).vectors, imagesIn(small)));

  // From source, as the tests and the benchmark run it.
  const src = (path: string) => pathToFileURL(join(ROOT, path)).href;
  const fromSource = await runChild(
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      childScript(
        { select: src('src/core/backend/select.ts'), zoo: src('src/core/backbones/zoo.ts'), extract: src('src/core/embeddings/extract.ts') },
        small,
        tempDir(),
      ),
    ],
    ROOT,
  );
  assert.equal(fromSource.code, 0, fromSource.stderr);
  const sourceResult = JSON.parse(fromSource.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual(sourceResult, { computed: 16, hash: expected, usedWorkers: true, failure: sourceResult.failure });
  assert.match(sourceResult.failure, /could not load no_such_backbone/);

  // From a bundle built the way package.json's build scripts build dist/ (worker as dist/embed-worker.js).
  // Inside node_modules/.cache so the bundle's external packages resolve from this repository.
  const outdir = join(ROOT, 'node_modules', '.cache', `cci-parallel-test-${process.pid}`);
  mkdirSync(outdir, { recursive: true });
  try {
    await build({
      entryPoints: {
        probe: join(ROOT, 'src/core/embeddings/extract.ts'),
        select: join(ROOT, 'src/core/backend/select.ts'),
        zoo: join(ROOT, 'src/core/backbones/zoo.ts'),
        'embed-worker': join(ROOT, 'src/core/embeddings/embed-worker.ts'),
      },
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    writeFileSync(join(outdir, 'package.json'), '{"type":"module"}\n');
    const out = (name: string) => pathToFileURL(join(outdir, `${name}.js`)).href;
    const fromBundle = await runChild(
      ['--input-type=module', '-e', childScript({ select: out('select'), zoo: out('zoo'), extract: out('probe') }, small, tempDir())],
      ROOT,
    );
    assert.equal(fromBundle.code, 0, fromBundle.stderr);
    const bundleResult = JSON.parse(fromBundle.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(bundleResult, { computed: 16, hash: expected, usedWorkers: true, failure: bundleResult.failure });
    assert.match(bundleResult.failure, /could not load no_such_backbone/);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('one warm pool serves several backbones and a fine-tune base in turn, starting its workers once', async () => {
  const pool = EmbeddingPool.start({ workers: 2, cacheDir: tempDir(), maxPixels: 1e7 })!;
  const modelDir = join(tempDir(), 'tiny');
  await saveTinyConvModel(modelDir);
  const tiny = await loadBackbone(parseBackboneSpec(`${join(modelDir, 'model.json')}@16`), { cacheDir: tempDir() });
  const split = await splitForFineTune(extractor);
  try {
    const pooled = (x: FeatureExtractor, extra: Partial<ExtractOptions> = {}) => {
      const log = recordingLogger();
      return extractEmbeddings(x, images, { ...options(tempDir(), 1, log), pool, fillWhileStarting: false, ...extra }).then((run) => ({ run, log }));
    };
    const first = await pooled(extractor);
    assert.equal(workerLines(first.log).length, 1, 'the pool embedded it');
    assert.ok(bytesOf(first.run.vectors, images).equals(reference), 'bit-identical to in-process');

    const tinyInProcess = await extractEmbeddings(tiny, images, options(tempDir(), 1));
    const second = await pooled(tiny);
    assert.deepEqual(second.log.warnings, [], 'the workers switched to the user backbone');
    assert.ok(bytesOf(second.run.vectors, images).equals(bytesOf(tinyInProcess.vectors, images)));

    const baseInProcess = await extractEmbeddings(split.base, images, options(tempDir(), 1));
    const third = await pooled(split.base, { backbone: { spec: extractor.spec, fineTuneBase: true } });
    assert.equal(workerLines(third.log).length, 1);
    assert.ok(bytesOf(third.run.vectors, images).equals(bytesOf(baseInProcess.vectors, images)), 'fine-tune activations: same as in-process');

    // Back to the first backbone: loaded again on demand, same embeddings.
    const fourth = await pooled(extractor);
    assert.ok(bytesOf(fourth.run.vectors, images).equals(reference));
    assert.equal(pool.workersStarted, 2, 'no worker was started twice');
  } finally {
    split.top.dispose();
    tiny.dispose();
    await pool.dispose();
  }
  await assert.rejects(
    pool.embed(extractor, [images.slice(0, 8)], { log: silentLogger }, async () => {}),
    /already stopped/,
  );
});

test('after a failed call the pool replaces its workers and the next call works', async () => {
  const pool = EmbeddingPool.start({ workers: 2, cacheDir: tempDir(), maxPixels: 1e7 })!;
  try {
    const broken: FeatureExtractor = { ...extractor, spec: { ...extractor.spec, id: 'no_such_backbone@96', source: 'no_such_backbone' } };
    const batches = [images.slice(0, 8), images.slice(8, 16)];
    await assert.rejects(
      pool.embed(broken, batches, { log: silentLogger, fillWhileStarting: false }, async () => assert.fail('no batch can succeed')),
      WorkerLoadError,
    );
    const parts: Buffer[] = [];
    await pool.embed(
      extractor,
      [0, 1, 2, 3, 4, 5].map((b) => images.slice(b * 8, (b + 1) * 8)),
      { log: silentLogger, fillWhileStarting: false },
      async (_index, embeddings) => {
        parts.push(Buffer.from(embeddings.buffer, embeddings.byteOffset, embeddings.byteLength));
      },
    );
    assert.ok(Buffer.concat(parts).equals(reference));
    assert.equal(pool.workersStarted, 4, 'two fresh workers after the failure');
  } finally {
    await pool.dispose();
  }
});

after(() => extractor.dispose());

test('a pool warms up on its own: whenReady resolves once every worker has its backend, before any backbone is asked for', async () => {
  const pool = EmbeddingPool.start({ workers: 2, cacheDir: tempDir(), maxPixels: 1e7 })!;
  try {
    await pool.whenReady();
    await pool.whenReady(); // and at once when already warm
    assert.equal(pool.workersStarted, 2);
  } finally {
    await pool.dispose();
  }
  const broken = EmbeddingPool.start({ workers: 1, cacheDir: tempDir(), maxPixels: 1e7, backend: 'no-such-backend' })!;
  try {
    await assert.rejects(broken.whenReady(), /could not start its no-such-backend backend/);
  } finally {
    await broken.dispose();
  }
});

test('preloading: the workers load and warm up a backbone in the background, so the call finds them ready and this thread fills nothing', async () => {
  const pool = EmbeddingPool.start({ workers: 2, cacheDir: tempDir(), maxPixels: 1e7 })!;
  try {
    await pool.preload({ spec: extractor.spec });
    assert.equal(pool.warmUps, 2, 'each worker ran the backbone once on a blank batch before preload resolved');
    const batches = [0, 1, 2, 3, 4, 5].map((b) => images.slice(b * 8, (b + 1) * 8));
    const parts: Buffer[] = [];
    const stats = await pool.embed(extractor, batches, { log: silentLogger, fillWhileStarting: true }, async (_index, embeddings) => {
      parts.push(Buffer.from(embeddings.buffer, embeddings.byteOffset, embeddings.byteLength));
    });
    assert.equal(stats.inMainThread, 0, 'every worker had the backbone when the call began');
    assert.ok(Buffer.concat(parts).equals(reference), 'the warm-up changes no embedding');
    await pool.preload({ spec: extractor.spec });
    assert.equal(pool.warmUps, 2, 'a backbone a worker already has is not warmed up again');
    // A preload that fails is only reported by the call that needs the backbone.
    const broken: FeatureExtractor = { ...extractor, spec: { ...extractor.spec, id: 'no_such_backbone@96', source: 'no_such_backbone' } };
    await pool.preload({ spec: broken.spec });
    await assert.rejects(
      pool.embed(broken, batches, { log: silentLogger, fillWhileStarting: false }, async () => {}),
      WorkerLoadError,
    );
  } finally {
    await pool.dispose();
  }
});
