/**
 * Embedding augmented views (dataset/augment.ts) through the embedding cache. A view is cached
 * like an image, under the backbone's key extended by the recipe's key, and named by the
 * image's sha256 and the view's index: another recipe (other augmentations, seed or ranges)
 * is another key, so it never reuses stale entries, and a second run computes nothing.
 * Views are rendered from the files here, so they are embedded in this thread (the worker
 * pool decodes files itself); ONNX Runtime uses every core anyway.
 */
import type { Embedder } from '../backbones/zoo.js';
import type { EmbeddableImage } from './batches.js';
import { openEmbeddingStore, openPartedStore } from './cache.js';
import { extractEmbeddings, type EmbeddingRun, type ExtractOptions } from './extract.js';

/** One view to embed: its cache name and how to make its pixels at the backbone's size. */
export interface ViewSource {
  /** Unique within one recipe key, e.g. `<sha256>-v1`. */
  id: string;
  /** The image file the view is made from (named in errors). */
  path: string;
  render(size: number, maxPixels: number): Promise<Uint8Array>;
}

/** The same backbone, its cache entries under keys extended by `recipeKey`. */
export function viewEmbedder(embedder: Embedder, recipeKey: string): Embedder {
  return {
    spec: embedder.spec,
    displayName: embedder.displayName,
    featureDim: embedder.featureDim,
    cacheKey: `${embedder.cacheKey}|${recipeKey}`,
    embed: (pixels, n) => embedder.embed(pixels, n),
    batchSize: embedder.batchSize,
    ...(embedder.parts ? { parts: embedder.parts.map((p) => ({ cacheKey: `${p.cacheKey}|${recipeKey}`, dim: p.dim })) } : {}),
    ...(embedder.byproducts
      ? { byproducts: { ...embedder.byproducts, parts: embedder.byproducts.parts.map((p) => ({ cacheKey: `${p.cacheKey}|${recipeKey}`, dim: p.dim })) } }
      : {}),
  };
}

/** Embeds `views` (through the cache) with `embedder`; vectors by view id. */
export async function embedViews(
  embedder: Embedder,
  views: ViewSource[],
  recipeKey: string,
  options: Omit<ExtractOptions, 'decode' | 'workers' | 'pool' | 'backbone'>,
): Promise<EmbeddingRun> {
  const byId = new Map(views.map((v) => [v.id, v]));
  const images: EmbeddableImage[] = views.map((v) => ({ path: v.path, sha256: v.id }));
  const decode = async (batch: EmbeddableImage[], size: number, maxPixels: number) => {
    const pixels = await Promise.all(batch.map((image) => byId.get(image.sha256)!.render(size, maxPixels)));
    const out = new Uint8Array(batch.length * size * size * 3);
    pixels.forEach((p, i) => out.set(p, i * size * size * 3));
    return out;
  };
  return extractEmbeddings(viewEmbedder(embedder, recipeKey), images, { ...options, workers: 1, decode });
}

/** How many of `ids` are cached already under `recipeKey` (what they cost is what is missing). */
export async function countCachedViews(embedder: Embedder, ids: string[], recipeKey: string, cacheDir: string): Promise<number> {
  const keyed = viewEmbedder(embedder, recipeKey);
  const store = keyed.parts ? openPartedStore(cacheDir, keyed.parts) : openEmbeddingStore(cacheDir, keyed.cacheKey, keyed.featureDim);
  let cached = 0;
  for (const id of ids) if (await store.get(id)) cached++;
  return cached;
}
