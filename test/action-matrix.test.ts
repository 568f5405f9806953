/**
 * The action's side of a matrix run: the cache-chunks input, and merging the downloaded
 * chunks (one folder per artifact) into the run's cache before training.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inputs } from '../src/action/constants.js';
import { readInputs } from '../src/action/inputs.js';
import { openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { InputError } from '../src/core/errors.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { findChunks, mergeChunkFolder } from '../src/core/shard/chunk-folder.js';
import { chunkManifest, writeChunkManifest } from '../src/core/shard/manifest.js';
import { tempDir } from './helpers/datasets.js';

const sha = (i: number) => createHash('sha256').update(`image ${i}`).digest('hex');
const now = () => performance.now();

async function writeChunk(dir: string, ids: number[], shard: number): Promise<void> {
  const key = 'hog@28|key';
  const store = openEmbeddingStore(dir, key, 4);
  for (const i of ids) await store.put(sha(i), Float32Array.of(i, i + 1, i + 2, i + 3));
  await writeChunkManifest(
    dir,
    chunkManifest([
      {
        backbone: 'hog@28',
        cacheKey: key,
        featureDim: 4,
        stores: [{ cacheKey: key, dim: 4 }],
        engine: 'tfjs/wasm',
        classifierCiVersion: '1.0.0',
        converterVersion: 1,
        shards: [{ index: shard, count: 2 }],
        images: ids.map(sha),
        computed: ids.length,
        cached: 0,
      },
    ]),
  );
}

test('cache-chunks is declared in action.yml and read relative to the working directory', () => {
  const workspace = tempDir();
  mkdirSync(join(workspace, 'ml', 'dataset'), { recursive: true });
  const dirs = { outDir: join(workspace, 'out'), cacheDir: join(workspace, 'cache'), workspace };
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  assert.equal(readInputs(dirs, read({ [Inputs.WorkingDirectory]: 'ml', [Inputs.CacheChunks]: 'chunks' })).cacheChunks, join(workspace, 'ml', 'chunks'));
  assert.equal(readInputs(dirs, read({ [Inputs.WorkingDirectory]: 'ml' })).cacheChunks, undefined);
  assert.match(readFileSync(join(import.meta.dirname, '..', 'action.yml'), 'utf8'), /\n {2}cache-chunks:\n {4}description: .*chunks/);
});

test('the downloaded artifacts (one folder each) merge into the cache the training reads', async () => {
  const downloads = tempDir();
  await writeChunk(join(downloads, 'chunk-0'), [0, 1, 2], 1);
  await writeChunk(join(downloads, 'chunk-1'), [3, 4], 2);
  mkdirSync(join(downloads, 'not-a-chunk'));
  assert.deepEqual(await findChunks(downloads), [join(downloads, 'chunk-0'), join(downloads, 'chunk-1')]);
  assert.deepEqual(await findChunks(join(downloads, 'chunk-1')), [join(downloads, 'chunk-1')]);
  const cacheDir = join(tempDir(), 'cache');
  const info: string[] = [];
  const log: Logger = { ...silentLogger, info: (m) => void info.push(m) };
  const report = await mergeChunkFolder(downloads, cacheDir, { input: Inputs.CacheChunks, log, now });
  assert.deepEqual(
    report?.backbones.map((b) => [b.backbone, b.copied, b.shards]),
    [['hog@28', 5, ['1/2', '2/2']]],
  );
  assert.deepEqual(info, ['Cache chunks: hog@28, 5 images from shards 1/2, 2/2 (5 new in the cache).']);
  assert.deepEqual(await openEmbeddingStore(cacheDir, 'hog@28|key', 4).get(sha(4)), Float32Array.of(4, 5, 6, 7));
});

test('no download folder is a warning (no embed job ran); a folder without chunks is refused with the fix', async () => {
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => void warnings.push(m) };
  const missing = join(tempDir(), 'chunks');
  assert.equal(await mergeChunkFolder(missing, tempDir(), { input: Inputs.CacheChunks, log, now }), null);
  assert.deepEqual(warnings, [`cache-chunks: ${missing} does not exist, so no embed job's chunk is used; every embedding is computed here.`]);
  const empty = tempDir();
  await assert.rejects(
    mergeChunkFolder(empty, tempDir(), { input: Inputs.CacheChunks, log, now }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message.startsWith(`cache-chunks: ${empty} holds no cache chunk (a folder with chunk.json). Download the embed jobs' artifacts there`),
  );
});
