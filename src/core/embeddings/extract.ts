/**
 * Embedding every image with one backbone, through the cache: only images without a valid
 * cache entry are decoded and run through the network. Decoding the next batch (sharp, on
 * libuv's threads) and writing the previous one overlap with running the current one, on
 * TF.js here or on ONNX Runtime's own threads (batches.ts). With `workers` above 1, a TF.js backbone is embedded in worker threads instead
 * (parallel.ts); ONNX Runtime never is (it uses every core itself). The cache is written here.
 *
 * Deadline: once it passes, no new batch is started (in workers, the batches already handed
 * out are finished and kept). Every finished batch is already in the cache, so the next run
 * resumes where this one stopped; the result says how many images were left (`complete`).
 */
import type { Embedder, FeatureExtractor } from '../backbones/zoo.js';
import type { Logger } from '../ports.js';
import { decodeBatch, runPipelined, tfjsBatchSize, type EmbeddableImage } from './batches.js';
import { openEmbeddingStore, openPartedStore } from './cache.js';
import { embedInWorkers, useWorkers, type EmbeddingPool, type WorkerBackbone } from './parallel.js';

export { decodeBatch, TFJS_BATCH_PIXELS, tfjsBatchSize, type EmbeddableImage } from './batches.js';

export interface EmbeddingRun {
  /** Embeddings by image sha256 (only those finished, when the deadline cut the run short). */
  vectors: Map<string, Float32Array>;
  /** Embeddings computed (and cached) by this call. */
  computed: number;
  cached: number;
  corrupt: number;
  /** Distinct images left without an embedding because the deadline passed; 0 when complete. */
  remaining: number;
  /** False when the deadline passed before every image was embedded. */
  complete: boolean;
  seconds: number;
}

export interface ExtractOptions {
  cacheDir: string;
  maxPixels: number;
  /** Images per batch. Default: the embedder's own (ONNX Runtime's), else tfjsBatchSize of its input size. */
  batchSize?: number;
  /** Worker threads to embed with (see parallel.ts); 1 embeds in this thread. Default 1. Ignored when `pool` is given. */
  workers?: number;
  /** A run's warm worker pool (see parallel.ts): embeds in its workers instead of starting new ones. */
  pool?: EmbeddingPool;
  /** How the pool's workers load this extractor. Default: the whole backbone of `extractor.spec`. */
  backbone?: WorkerBackbone;
  log: Logger;
  now: () => number;
  /**
   * Clock value (same clock as `now`) after which no new batch is started. Default: none, every
   * image is embedded.
   */
  deadline?: number;
  /** With workers: embed in this thread until the first worker is ready (default true; see parallel.ts). */
  fillWhileStarting?: boolean;
  /**
   * Makes a batch's pixels instead of decoding the files (augmented views, embeddings/views.ts).
   * The images are then embedded in this thread: workers decode files themselves.
   */
  decode?: (batch: EmbeddableImage[], size: number, maxPixels: number) => Promise<Uint8Array>;
}

/** A TF.js extractor (which worker threads can load), as opposed to an ONNX Runtime embedder. */
function workerLoadable(embedder: Embedder): embedder is FeatureExtractor {
  return 'layersModel' in embedder && !(embedder as FeatureExtractor).ort;
}

export async function extractEmbeddings(extractor: Embedder, images: EmbeddableImage[], options: ExtractOptions): Promise<EmbeddingRun> {
  const start = options.now();
  // Latched: once the deadline has passed, it stays passed even for a clock that goes back.
  let expired = false;
  const pastDeadline = () => (expired ||= options.deadline !== undefined && options.now() >= options.deadline);
  const store = extractor.parts
    ? openPartedStore(options.cacheDir, extractor.parts)
    : openEmbeddingStore(options.cacheDir, extractor.cacheKey, extractor.featureDim);
  const vectors = new Map<string, Float32Array>();
  const unique = [...new Map(images.map((i) => [i.sha256, i])).values()];
  const missing: EmbeddableImage[] = [];
  for (const image of unique) {
    const cached = await store.get(image.sha256);
    if (cached) vectors.set(image.sha256, cached);
    else missing.push(image);
  }
  const cached = vectors.size;
  if (store.corrupt)
    options.log.warn(`${store.corrupt} damaged cache entr${store.corrupt === 1 ? 'y' : 'ies'} for ${extractor.displayName} will be recomputed.`);

  const size = extractor.spec.inputSize;
  const batchSize = options.batchSize ?? extractor.batchSize ?? tfjsBatchSize(size);
  const batches: EmbeddableImage[][] = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  const dim = extractor.featureDim;
  const byproducts = extractor.byproducts && openPartedStore(options.cacheDir, extractor.byproducts.parts);
  const width = (extractor.byproducts?.parts ?? []).reduce((sum, b) => sum + b.dim, dim);
  let done = 0;
  const pending = new Set(batches.keys());
  const save = async (b: number, flat: Float32Array) => {
    const batch = batches[b];
    pending.delete(b);
    // Each batch is saved as soon as it is done (while the next one runs), so an interrupted run keeps what it finished.
    await Promise.all(
      batch.map(async (image, i) => {
        const vector = flat.slice(i * width, i * width + dim);
        vectors.set(image.sha256, vector);
        await store.put(image.sha256, vector);
        await byproducts?.put(image.sha256, flat.subarray(i * width + dim, (i + 1) * width));
      }),
    );
    done += batch.length;
    options.log.progress(`Embedding with ${extractor.displayName}`, done, missing.length);
  };
  const workers = options.pool?.size ?? options.workers;
  const decode = options.decode ?? decodeBatch;
  if (!pastDeadline() && !options.decode && workerLoadable(extractor) && useWorkers(workers, batches.length, options.log)) {
    await embedInWorkers(
      extractor,
      batches,
      {
        workers: workers!,
        pool: options.pool,
        backbone: options.backbone,
        cacheDir: options.cacheDir,
        maxPixels: options.maxPixels,
        log: options.log,
        shouldStop: pastDeadline,
        fillWhileStarting: options.fillWhileStarting,
      },
      save,
    );
  }
  // In this thread: everything, or what the workers left (a user backbone they could not load);
  // decoding, the network and the cache writes overlap (batches.ts).
  const left = pastDeadline() ? [] : [...pending];
  await runPipelined(left.length, {
    decode: (k) => decode(batches[left[k]], size, options.maxPixels),
    embed: (k, pixels) => (extractor.byproducts ?? extractor).embed(pixels, batches[left[k]].length),
    save: (k, flat) => save(left[k], flat),
    shouldStop: pastDeadline,
  });
  const remaining = missing.length - done;
  if (remaining)
    options.log.warn(
      `Embedding with ${extractor.displayName} stopped at the deadline: ${done} of ${missing.length} computed (and cached; a later run resumes from there), ${remaining} left.`,
    );
  return { vectors, computed: done, cached, corrupt: store.corrupt, remaining, complete: remaining === 0, seconds: (options.now() - start) / 1000 };
}
