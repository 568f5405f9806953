/**
 * One embed job of the matrix: the images of one shard through one backbone, written as a
 * cache chunk (embedding entries + chunk.json). It loads and embeds exactly as the bake-off
 * does (loadRunBackbone, embedderOf, extractEmbeddings), so the entries carry the cache key the
 * train job will look up, and train finds them instead of computing them.
 */
import { embedderOf, type BackboneSpec } from '../backbones/zoo.js';
import type { SplitImage } from '../dataset/split.js';
import { extractEmbeddings } from '../embeddings/extract.js';
import type { InferenceEngine } from '../engine/choose.js';
import { loadRunBackbone } from '../engine/onnx-backbone.js';
import { CONVERTER_VERSION } from '../onnx/convert.js';
import type { Logger } from '../ports.js';
import { VERSION } from '../version.js';
import { formatShard, inShard, type Shard } from './assign.js';
import { chunkManifest, writeChunkManifest, type ChunkPart } from './manifest.js';

export interface EmbedShardOptions {
  spec: BackboneSpec;
  /** Every image of the dataset; only those of `shard` are embedded. */
  images: SplitImage[];
  shard: Shard;
  engine: InferenceEngine;
  /** The chunk folder written (entries and chunk.json). */
  chunkDir: string;
  /** Where models are downloaded and converted (kept out of the chunk, which travels as an artifact). */
  modelCacheDir: string;
  maxPixels: number;
  /** TF.js worker threads (ONNX Runtime uses every core itself). */
  workers: number;
  log: Logger;
  now: () => number;
}

export interface ShardEmbedding {
  part: ChunkPart;
  seconds: number;
}

export async function embedShard(o: EmbedShardOptions): Promise<ShardEmbedding> {
  const images = o.images.filter((image) => inShard(image.sha256, o.shard));
  const extractor = await loadRunBackbone(o.spec, o.engine, { cacheDir: o.modelCacheDir });
  try {
    const embedder = embedderOf(extractor);
    const onOrt = o.engine.engine === 'onnxruntime';
    // Worker threads load the backbone from the cache folder they are given, the chunk: only built-ins, which download nothing there.
    const run = await extractEmbeddings(embedder, images, {
      cacheDir: o.chunkDir,
      maxPixels: o.maxPixels,
      workers: onOrt || !o.spec.builtin ? 1 : o.workers,
      log: o.log,
      now: o.now,
    });
    const part: ChunkPart = {
      backbone: o.spec.id,
      cacheKey: embedder.cacheKey,
      featureDim: embedder.featureDim,
      // The byproducts too (the plain cut beside a multi-depth pass on ONNX Runtime): the plan counts on them (plan.ts, coveringPass).
      stores: [...(embedder.parts ?? [{ cacheKey: embedder.cacheKey, dim: embedder.featureDim }]), ...(embedder.byproducts?.parts ?? [])],
      engine: `${o.engine.engine}/${o.engine.provider}`,
      classifierCiVersion: VERSION,
      converterVersion: CONVERTER_VERSION,
      shards: [o.shard],
      images: [...run.vectors.keys()].sort(),
      computed: run.computed,
      cached: run.cached,
    };
    await writeChunkManifest(o.chunkDir, chunkManifest([part]));
    o.log.info(
      `${extractor.displayName}, shard ${formatShard(o.shard)}: ${images.length} of ${o.images.length} images, ${run.computed} embedded, ${run.cached} already in ${o.chunkDir}.`,
    );
    return { part, seconds: run.seconds };
  } finally {
    extractor.dispose();
  }
}
