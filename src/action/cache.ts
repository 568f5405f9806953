/**
 * Restoring and saving the embedding cache (and downloaded backbones) with @actions/cache.
 *
 * The cache directory is content-addressed (image sha256 × backbone), so any earlier snapshot
 * is safe to reuse: the restore keys fall back to the newest entry for the same backbones,
 * then for any backbones, so a commit that adds images reuses every embedding computed before.
 *
 * The primary key needs the dataset's identity before training, when no image has been
 * hashed yet, so it uses a listing fingerprint (relative paths and sizes): cheap, and it
 * changes whenever images are added, removed or resized. An edit that keeps a file's size
 * reuses the key; the new embedding is then computed again next time, which costs time only.
 *
 * Service trouble is never fatal: it is a warning and training goes on without the cache.
 */
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CACHE_KEY_VERSION } from './constants.js';
import { neutralise } from './log.js';

export interface CacheKeys {
  primary: string;
  restore: string[];
}

/** SHA-256 over the sorted (relative path, size) pairs of the dataset folder, or of the .zip file. */
export async function listingFingerprint(datasetPath: string): Promise<string> {
  const hash = createHash('sha256');
  const info = await stat(datasetPath);
  if (info.isFile()) {
    hash.update(`file\0${info.size}`);
    return hash.digest('hex');
  }
  const entries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) entries.push(`${relative(datasetPath, path).split(sep).join('/')}\0${(await stat(path)).size}`);
    }
  };
  await walk(datasetPath);
  for (const line of entries.sort()) hash.update(line + '\n');
  return hash.digest('hex');
}

/** Keys from the platform (embeddings differ slightly across backends), the backbones and the dataset listing. */
export function cacheKeys(fingerprint: string, backbones: string[], platform = `${process.platform}-${process.arch}`): CacheKeys {
  const family = `classifier-ci-${CACHE_KEY_VERSION}-${platform}`;
  const config = createHash('sha256').update([...backbones].map((b) => b.trim()).sort().join('\n')).digest('hex').slice(0, 12);
  return {
    primary: `${family}-${config}-${fingerprint.slice(0, 16)}`,
    restore: [`${family}-${config}-`, `${family}-`],
  };
}

export interface RestoreOutcome {
  /** The key that was restored, or undefined on a miss or a failure. */
  matchedKey?: string;
  /** Whether the primary key matched exactly: the same entry exists and saving is skipped. */
  exactHit: boolean;
}

export async function restoreEmbeddingCache(cacheDir: string, keys: CacheKeys): Promise<RestoreOutcome> {
  if (!cache.isFeatureAvailable()) {
    core.info('The Actions cache service is not available on this runner; embeddings will be computed.');
    return { exactHit: false };
  }
  try {
    const matchedKey = await cache.restoreCache([cacheDir], keys.primary, keys.restore);
    if (!matchedKey) core.info('No embedding cache restored; embeddings will be computed and saved after training.');
    return { matchedKey, exactHit: matchedKey === keys.primary };
  } catch (error) {
    core.warning(`The embedding cache could not be restored (${neutralise((error as Error).message)}); training goes on without it.`);
    return { exactHit: false };
  }
}

/** Returns whether the cache was saved. */
export async function saveEmbeddingCache(cacheDir: string, keys: CacheKeys, restored: RestoreOutcome): Promise<boolean> {
  if (!cache.isFeatureAvailable()) return false;
  if (restored.exactHit) {
    core.info(`The embedding cache is up to date (${keys.primary}); not saved again.`);
    return false;
  }
  try {
    const id = await cache.saveCache([cacheDir], keys.primary);
    if (id === -1) {
      // @actions/cache logs the reason (often only as info); say what it means here.
      core.warning(`The embedding cache was not saved (key ${keys.primary}); the next run computes its embeddings again.`);
      return false;
    }
    core.info(`Embedding cache saved: ${keys.primary}`);
    return true;
  } catch (error) {
    core.warning(`The embedding cache could not be saved (${neutralise((error as Error).message)}); the next run computes its embeddings again.`);
    return false;
  }
}
