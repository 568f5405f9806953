/**
 * On the WASM path, train() has its embedding workers load the bake-off's first backbone while
 * the dataset is still being checked (run/stages/scan.ts), not when the bake-off begins; the
 * embeddings are the same bit for bit as a run without workers. Order is read from the run's
 * own log (no clock); that a preload really loads the workers is parallel-embedding.test.ts's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../src/core/backend/select.js';
import { parseBackboneSpec, SMALL_CNN } from '../src/core/backbones/zoo.js';
import { DEFAULTS, type TrainOptions } from '../src/core/options.js';
import { train } from '../src/core/pipeline.js';
import type { Logger } from '../src/core/ports.js';
import { firstPooledBackbone } from '../src/core/run/stages/scan.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';

await ensureBackend();

/** Every info line and every stage opened, in order. */
function orderLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    stage: (title) => (lines.push(`stage: ${title}`), () => {}),
    progress: () => {},
  };
}

/** Every cached embedding file's bytes, by its path under the cache's embeddings folder. */
function cachedEmbeddings(cacheDir: string): Map<string, Buffer> {
  const root = join(cacheDir, 'embeddings');
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.emb'));
  return new Map(files.map((e) => [join(e.parentPath, e.name).slice(root.length), readFileSync(join(e.parentPath, e.name))]));
}

test('the first backbone the workers can load: not the small CNN, not an ONNX model', () => {
  const specs = ['small_cnn@16', 'hog@32', 'mobilenet_v2@96'].map((s) => parseBackboneSpec(s));
  assert.equal(firstPooledBackbone(specs)?.id, 'hog@32');
  assert.equal(firstPooledBackbone([parseBackboneSpec(`${SMALL_CNN}@16`)]), null);
});

test('train() on WASM asks its workers for the first backbone while the images are checked, before the bake-off; same embeddings as without workers', async () => {
  const dataset = sampleSubset(6, ['bag', 'trouser', 'sneaker']);
  const options: Omit<TrainOptions, 'outDir' | 'cacheDir' | 'workers'> = {
    ...DEFAULTS,
    datasetPath: dataset,
    engine: 'tfjs',
    backbones: ['small_cnn@16', 'mobilenet_v2@32'],
    budgetSeconds: 40,
    trials: 1,
    epochs: 3,
    fineTune: 'false',
  };
  const log = orderLogger();
  const pooledCache = tempDir();
  const pooled = await train({ ...options, outDir: join(tempDir(), 'run'), cacheDir: pooledCache, workers: 2 }, { log });
  const asked = log.lines.indexOf('Embedding workers: loading mobilenet_v2@32 while the images are checked');
  const scanned = log.lines.findIndex((l) => /^\d+ images, 3 labels; split/.test(l));
  const bakeOff = log.lines.findIndex((l) => l.startsWith('stage: Bake-off'));
  assert.ok(asked >= 0, `the scan asked the workers for the first backbone they can load:\n${log.lines.join('\n')}`);
  assert.ok(asked < scanned, 'while the dataset was being read');
  assert.ok(scanned < bakeOff);
  assert.ok(
    log.lines.slice(bakeOff).some((l) => /^Embedding \d+ batches with MobileNetV2 @32 in 2 worker threads/.test(l)),
    'the bake-off embedded it in the workers',
  );

  const inProcessCache = tempDir();
  await train({ ...options, outDir: join(tempDir(), 'run'), cacheDir: inProcessCache, workers: 1 }, { log: orderLogger() });
  const [a, b] = [cachedEmbeddings(pooledCache), cachedEmbeddings(inProcessCache)];
  assert.ok(a.size >= pooled.dataset.images, 'every image embedded');
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [file, bytes] of a) assert.ok(bytes.equals(b.get(file)!), `${file}: bit-identical`);
});
