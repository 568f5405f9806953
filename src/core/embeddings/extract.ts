/**
 * Embedding every image with one backbone, through the cache: only images without a valid
 * cache entry are decoded and run through the network. Decoding the next batch (sharp, on
 * its own threads) overlaps with running the current one.
 */
import type { FeatureExtractor } from '../backbones/zoo.js';
import { decodeToRgb } from '../dataset/decode.js';
import type { Logger } from '../ports.js';
import { openEmbeddingStore } from './cache.js';

export interface EmbeddableImage {
  path: string;
  sha256: string;
}

export interface EmbeddingRun {
  /** Embeddings by image sha256. */
  vectors: Map<string, Float32Array>;
  computed: number;
  cached: number;
  corrupt: number;
  seconds: number;
}

export interface ExtractOptions {
  cacheDir: string;
  maxPixels: number;
  batchSize?: number;
  log: Logger;
  now: () => number;
}

async function decodeBatch(images: EmbeddableImage[], size: number, maxPixels: number): Promise<Uint8Array> {
  const pixels = await Promise.all(images.map((image) => decodeToRgb(image.path, size, maxPixels)));
  const batch = new Uint8Array(images.length * size * size * 3);
  pixels.forEach((p, i) => batch.set(p, i * p.length));
  return batch;
}

export async function extractEmbeddings(extractor: FeatureExtractor, images: EmbeddableImage[], options: ExtractOptions): Promise<EmbeddingRun> {
  const start = options.now();
  const store = openEmbeddingStore(options.cacheDir, extractor.cacheKey, extractor.featureDim);
  const vectors = new Map<string, Float32Array>();
  const unique = [...new Map(images.map((i) => [i.sha256, i])).values()];
  const missing: EmbeddableImage[] = [];
  for (const image of unique) {
    const cached = await store.get(image.sha256);
    if (cached) vectors.set(image.sha256, cached);
    else missing.push(image);
  }
  const cached = vectors.size;
  if (store.corrupt) options.log.warn(`${store.corrupt} damaged cache entr${store.corrupt === 1 ? 'y' : 'ies'} for ${extractor.displayName} will be recomputed.`);

  const size = extractor.spec.inputSize;
  const batchSize = options.batchSize ?? 16;
  const batches: EmbeddableImage[][] = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  let next = batches.length ? decodeBatch(batches[0]!, size, options.maxPixels) : null;
  let done = 0;
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    const pixels = await next!;
    next = b + 1 < batches.length ? decodeBatch(batches[b + 1]!, size, options.maxPixels) : null;
    const flat = extractor.embed(pixels, batch.length);
    const dim = extractor.featureDim;
    // Each batch is saved before the next starts, so an interrupted run keeps what it finished.
    await Promise.all(
      batch.map((image, i) => {
        const vector = flat.slice(i * dim, (i + 1) * dim);
        vectors.set(image.sha256, vector);
        return store.put(image.sha256, vector);
      }),
    );
    done += batch.length;
    options.log.progress(`Embedding with ${extractor.displayName}`, done, missing.length);
  }
  return { vectors, computed: missing.length, cached, corrupt: store.corrupt, seconds: (options.now() - start) / 1000 };
}
