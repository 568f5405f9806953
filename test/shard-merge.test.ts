/**
 * Merging cache chunks: what is copied, what is refused (another build, a damaged entry, two
 * different vectors for one image) and that a refused merge leaves the target as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbeddingStore, openPartedStore } from '../src/core/embeddings/cache.js';
import { InputError } from '../src/core/errors.js';
import { silentLogger, type Logger } from '../src/core/ports.js';
import { chunkManifest, readChunkManifest, writeChunkManifest, type ChunkPart } from '../src/core/shard/manifest.js';
import { CONFLICT_TOLERANCE, mergeChunks } from '../src/core/shard/merge.js';
import { tempDir } from './helpers/datasets.js';

const DIM = 8;
const sha = (i: number) => createHash('sha256').update(`image ${i}`).digest('hex');
const vectorOf = (i: number, backbone = 'hog@28') => Float32Array.from({ length: DIM }, (_, k) => Math.sin(i * 7 + k + backbone.length));
const now = () => performance.now();

function part(backbone: string, images: number[], shard: [number, number], overrides: Partial<ChunkPart> = {}): ChunkPart {
  const cacheKey = overrides.cacheKey ?? `${backbone}|key`;
  const featureDim = overrides.featureDim ?? DIM;
  return {
    backbone,
    cacheKey,
    featureDim,
    stores: [{ cacheKey, dim: featureDim }],
    engine: 'tfjs/wasm',
    classifierCiVersion: '1.0.0',
    converterVersion: 1,
    shards: [{ index: shard[0], count: shard[1] }],
    images: images.map(sha),
    computed: images.length,
    cached: 0,
    ...overrides,
  };
}

async function makeChunk(parts: { part: ChunkPart; vector?: (i: number) => Float32Array; ids: number[] }[]): Promise<string> {
  const dir = tempDir('cci-chunk-');
  for (const { part: p, vector, ids } of parts) {
    const store = openPartedStore(dir, p.stores);
    for (const i of ids) await store.put(sha(i), (vector ?? ((n) => vectorOf(n, p.backbone)))(i));
  }
  await writeChunkManifest(dir, chunkManifest(parts.map((p) => p.part)));
  return dir;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name).slice(dir.length));
    }
  };
  walk(dir);
  return out.sort();
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string) => void warnings.push(m), warnings };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test('two shards of two backbones merge into one cache that train reads, with one manifest for all', async () => {
  const a = await makeChunk([{ part: part('hog@28', range(0, 10), [1, 2]), ids: range(0, 10) }]);
  const b = await makeChunk([{ part: part('hog@28', range(10, 20), [2, 2]), ids: range(10, 20) }]);
  const c = await makeChunk([{ part: part('mobilenet_v2@64', range(0, 20), [1, 1]), ids: range(0, 20) }]);
  const into = join(tempDir(), 'merged');
  const log = recordingLog();
  const report = await mergeChunks([a, b, c], into, { log, now });
  assert.deepEqual(
    report.backbones.map(({ backbone, images, copied, alreadyPresent, shards, missingShards }) => ({
      backbone,
      images,
      copied,
      alreadyPresent,
      shards,
      missingShards,
    })),
    [
      { backbone: 'hog@28', images: 20, copied: 20, alreadyPresent: 0, shards: ['1/2', '2/2'], missingShards: [] },
      { backbone: 'mobilenet_v2@64', images: 20, copied: 20, alreadyPresent: 0, shards: ['1/1'], missingShards: [] },
    ],
  );
  assert.deepEqual(log.warnings, []);
  const hog = openEmbeddingStore(into, 'hog@28|key', DIM);
  for (const i of range(0, 20)) assert.deepEqual(await hog.get(sha(i)), vectorOf(i));
  const manifest = (await readChunkManifest(into, true))!;
  assert.deepEqual(
    manifest.parts.map((p) => [p.backbone, p.images.length, p.computed]),
    [
      ['hog@28', 20, 20],
      ['mobilenet_v2@64', 20, 20],
    ],
  );

  // Merging again (a re-run job): nothing new, nothing lost.
  const again = await mergeChunks([a], into, { log, now });
  assert.deepEqual(
    again.backbones.map((x) => [x.backbone, x.copied, x.alreadyPresent, x.images]),
    [
      ['hog@28', 0, 10, 20],
      ['mobilenet_v2@64', 0, 0, 20],
    ],
  );
});

test('a multi-depth chunk (one vector, two taps cached under their own keys) merges tap by tap', async () => {
  const taps = [
    { cacheKey: 'mobilenet|tap-a', dim: 3 },
    { cacheKey: 'mobilenet|tap-b', dim: 5 },
  ];
  const a = await makeChunk([{ part: part('mobilenet_v2@224+taps', range(0, 6), [1, 1], { cacheKey: 'mobilenet|taps', stores: taps }), ids: range(0, 6) }]);
  const into = join(tempDir(), 'merged');
  await mergeChunks([a], into, { log: silentLogger, now });
  // The plain cut's own key (tap b) is readable alone, as the plain candidate reads it.
  assert.deepEqual(await openEmbeddingStore(into, 'mobilenet|tap-b', 5).get(sha(4)), vectorOf(4, 'mobilenet_v2@224+taps').slice(3));
});

test('a missing shard is named in a warning; the train job then embeds those images itself', async () => {
  const a = await makeChunk([{ part: part('hog@28', range(0, 5), [1, 3]), ids: range(0, 5) }]);
  const log = recordingLog();
  const report = await mergeChunks([a], join(tempDir(), 'merged'), { log, now });
  assert.deepEqual(report.backbones[0].missingShards, ['2/3', '3/3']);
  assert.deepEqual(log.warnings, ['hog@28: no chunk for shards 2/3, 3/3; the train job will embed those images itself.']);
});

for (const [field, value] of [
  ['cacheKey', 'hog@28|other-build'],
  ['engine', 'onnxruntime/cpu'],
  ['classifierCiVersion', '0.9.0'],
  ['converterVersion', 2],
  ['featureDim', DIM * 2],
] as const) {
  test(`a chunk with another ${field} is refused, naming it, before anything is written`, async () => {
    const a = await makeChunk([{ part: part('hog@28', range(0, 4), [1, 2]), ids: range(0, 4) }]);
    const other = part('hog@28', range(4, 8), [2, 2], { [field]: value });
    const b = await makeChunk([{ part: other, ids: range(4, 8), vector: (i) => Float32Array.from({ length: other.featureDim }, (_, k) => i + k) }]);
    const into = join(tempDir(), 'merged');
    await assert.rejects(mergeChunks([a, b], into, { log: silentLogger, now }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.ok(e.message.startsWith(`Cannot merge ${b}: its hog@28 embeddings were made with ${field} ${JSON.stringify(value)}, but ${a} has`), e.message);
      assert.match(e.message, /run the embed jobs again alike/);
      return true;
    });
    assert.throws(() => readdirSync(into));
  });
}

test('two different vectors for one image are refused, naming both; the target stays as it was', async () => {
  const into = await makeChunk([{ part: part('hog@28', range(0, 4), [1, 2]), ids: range(0, 4) }]);
  const before = files(into).map((f) => [f, readFileSync(join(into, f))]);
  const different = await makeChunk([{ part: part('hog@28', range(2, 8), [2, 2]), ids: range(2, 8), vector: (i) => vectorOf(i).map((x) => x + 0.5) }]);
  await assert.rejects(mergeChunks([different], into, { log: silentLogger, now }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(
      e.message,
      new RegExp(
        `^Cannot merge ${different}: its hog@28 embedding of image ${sha(2)} differs from the one in ${into} \\(by .*\\), and 1 more image differs\\. The same backbone gave two results`,
      ),
    );
    return true;
  });
  assert.deepEqual(
    files(into).map((f) => [f, readFileSync(join(into, f))]),
    before,
  );
});

test('vectors equal within the tolerance (float noise of another CPU) keep the one already there', async () => {
  const nudge = (i: number) => vectorOf(i).map((x) => x * (1 + CONFLICT_TOLERANCE / 10));
  const a = await makeChunk([{ part: part('hog@28', range(0, 4), [1, 1]), ids: range(0, 4) }]);
  const b = await makeChunk([{ part: part('hog@28', range(0, 4), [1, 1]), ids: range(0, 4), vector: nudge }]);
  const into = join(tempDir(), 'merged');
  const report = await mergeChunks([a, b], into, { log: silentLogger, now });
  assert.deepEqual([report.backbones[0].copied, report.backbones[0].alreadyPresent], [4, 4]);
  assert.deepEqual(await openEmbeddingStore(into, 'hog@28|key', DIM).get(sha(3)), vectorOf(3));
});

test('a damaged or missing entry, a folder without chunk.json, and merging into a chunk itself are refused with the fix', async () => {
  const a = await makeChunk([{ part: part('hog@28', range(0, 4), [1, 1]), ids: range(0, 4) }]);
  const entry = files(a).find((f) => f.endsWith(`${sha(1)}.emb`))!;
  writeFileSync(join(a, entry), readFileSync(join(a, entry)).subarray(0, 20));
  await assert.rejects(
    mergeChunks([a], join(tempDir(), 'm1'), { log: silentLogger, now }),
    new RegExp(`The cache chunk ${a} lists image ${sha(1)} for hog@28, but its embedding is missing or damaged. Run that embed job again.`),
  );
  rmSync(join(a, entry));
  await assert.rejects(mergeChunks([a], join(tempDir(), 'm2'), { log: silentLogger, now }), /missing or damaged/);

  const empty = tempDir();
  await assert.rejects(
    mergeChunks([empty], join(tempDir(), 'm3'), { log: silentLogger, now }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message === `${empty} is not a cache chunk: it has no chunk.json. Give the folders that "classifier-ci embed" wrote (--out).`,
  );
  writeFileSync(join(empty, 'chunk.json'), '{"format":"classifier-ci-embedding-chunk","formatVersion":9,"parts":[]}');
  await assert.rejects(mergeChunks([empty], join(tempDir(), 'm4'), { log: silentLogger, now }), /format version 9; this classifier-ci reads 1/);
  await assert.rejects(mergeChunks([a], a, { log: silentLogger, now }), /is also one of the chunks to merge/);
  await assert.rejects(mergeChunks([], a, { log: silentLogger, now }), /at least one cache chunk/);
});
