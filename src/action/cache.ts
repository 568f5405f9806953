/**
 * Restoring and saving the embedding cache (and downloaded backbones) with @actions/cache.
 *
 * The cache directory is content-addressed (image sha256 × backbone), so any earlier snapshot
 * is safe to reuse: restore takes the newest entry for the same backbones, then for any
 * backbones, so a commit that adds or edits images reuses every embedding computed before.
 *
 * The key an entry is saved under ends in the engine's dataset fingerprint (a hash of every
 * image's content and label), known only after training. A restore therefore never asks for an
 * exact key, only for prefixes; the entry is saved again unless the one restored already has
 * this very fingerprint. A file-size listing would not do: an edit that keeps an image's size
 * would keep the key, the cache would never be saved again, and the new embedding would be
 * computed on every run.
 *
 * Service trouble is never fatal: it is a warning and training goes on without the cache.
 */
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { CACHE_KEY_VERSION } from './constants.js';
import { cacheServiceVariable } from './env.js';
import { neutralise } from './log.js';

export interface CacheKeys {
  /** Prefixes to restore from, most specific first: same backbones, then any. */
  restore: string[];
  /** The key to save under, from the dataset's content fingerprint. */
  save(fingerprint: string): string;
}

/** Keys from the platform (embeddings differ slightly across backends) and the backbones; the dataset comes in at save time. */
export function cacheKeys(backbones: string[], platform = `${process.platform}-${process.arch}`): CacheKeys {
  const family = `classifier-ci-${CACHE_KEY_VERSION}-${platform}`;
  const config = createHash('sha256').update([...backbones].map((b) => b.trim()).sort().join('\n')).digest('hex').slice(0, 12);
  return {
    restore: [`${family}-${config}-`, `${family}-`],
    save: (fingerprint) => `${family}-${config}-${fingerprint.slice(0, 16)}`,
  };
}

export interface RestoreOutcome {
  /** The key that was restored, or undefined on a miss or a failure. */
  matchedKey?: string;
  /** False when the service is missing: saving is then skipped without a second warning. */
  available: boolean;
}

export async function restoreEmbeddingCache(cacheDir: string, keys: CacheKeys): Promise<RestoreOutcome> {
  if (!cache.isFeatureAvailable()) {
    core.warning(`The embedding cache is off: this job has no Actions cache service (${cacheServiceVariable()} is not set). Training goes on and computes every embedding.`);
    return { available: false };
  }
  try {
    // No exact key exists before training (see above): the first restore key doubles as the
    // primary, and the service falls back to the next one as usual.
    const [primary, ...fallbacks] = keys.restore;
    const matchedKey = await cache.restoreCache([cacheDir], primary!, fallbacks);
    if (!matchedKey) core.info('No embedding cache restored; embeddings will be computed and saved after training.');
    return { matchedKey, available: true };
  } catch (error) {
    core.warning(`The embedding cache could not be restored (${neutralise((error as Error).message)}); training goes on without it.`);
    return { available: true };
  }
}

/** Saves the cache under the key of this dataset's content; returns whether it was saved. */
export async function saveEmbeddingCache(cacheDir: string, keys: CacheKeys, fingerprint: string, restored: RestoreOutcome): Promise<boolean> {
  if (!restored.available) return false;
  const key = keys.save(fingerprint);
  if (restored.matchedKey === key) {
    core.info(`The embedding cache is up to date (${key}); not saved again.`);
    return false;
  }
  try {
    const id = await cache.saveCache([cacheDir], key);
    if (id === -1) {
      // @actions/cache logs the reason (often only as info); say what it means here.
      core.warning(`The embedding cache was not saved (key ${key}); the next run computes its embeddings again.`);
      return false;
    }
    core.info(`Embedding cache saved: ${key}`);
    return true;
  } catch (error) {
    core.warning(`The embedding cache could not be saved (${neutralise((error as Error).message)}); the next run computes its embeddings again.`);
    return false;
  }
}
