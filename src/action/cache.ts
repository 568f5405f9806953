/**
 * Restoring and saving the embedding cache with @actions/cache.
 *
 * Only `<cacheDir>/embeddings` goes into the cache: downloaded backbone weights and extracted
 * dataset zips are fetched (and checked against their pins) again by each run, so a cache
 * entry can never swap the code-like things a run loads, only vectors keyed by content.
 *
 * Trust: GitHub scopes caches by branch, and runs of other workflows in the default branch's
 * scope (pull_request_target, issue_comment, workflow_run) can write entries that main would
 * restore. Every key therefore starts with a family naming this workflow file and job, and
 * restore keys never leave that family. Runs started by events that may carry outside content
 * restore but never save.
 *
 * The directory is content-addressed (image sha256 × backbone), so any earlier snapshot of the
 * same family is safe to reuse: restore takes the newest entry for the same backbones, then for
 * any backbones, so a commit that adds or edits images reuses every embedding computed before.
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
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_KEY_VERSION } from './constants.js';
import { cacheServiceVariable } from './env.js';
import { neutralise } from './log.js';

/** Who may read and write a cache family: one workflow file and one job in it. */
export interface CacheScope {
  /** The workflow file, e.g. `.github/workflows/train.yml` (its name on runners that give no file). */
  workflow: string;
  /** The job id (`GITHUB_JOB`). */
  job: string;
}

export interface CacheKeys {
  /** Prefixes to restore from, most specific first: same backbones, then any; all within the scope. */
  restore: string[];
  /** The key to save under, from the dataset's content fingerprint. */
  save(fingerprint: string): string;
}

/**
 * Events whose runs may save: their code and content come from the repository itself, or (for
 * pull_request) their entries are scoped to the pull request's own ref. Anything else
 * (pull_request_target, issue_comment, workflow_run, …) runs in the base branch's scope with
 * outside input, so it restores but never saves.
 */
export const CACHE_SAVING_EVENTS: readonly string[] = ['push', 'pull_request', 'workflow_dispatch', 'schedule', 'merge_group'];

/** The folder under the engine's cache directory that is restored and saved; nothing else is. */
export const embeddingsDir = (cacheDir: string): string => join(cacheDir, 'embeddings');

/** Keys from the scope, the platform (embeddings differ slightly across backends) and the backbones; the dataset comes in at save time. */
export function cacheKeys(backbones: string[], scope: CacheScope, platform = `${process.platform}-${process.arch}`): CacheKeys {
  const scopeId = createHash('sha256').update(`${scope.workflow}\n${scope.job}`).digest('hex').slice(0, 12);
  const family = `classifier-ci-${CACHE_KEY_VERSION}-${platform}-${scopeId}`;
  const config = createHash('sha256')
    .update(
      [...backbones]
        .map((b) => b.trim())
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 12);
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
    core.warning(
      `The embedding cache is off: this job has no Actions cache service (${cacheServiceVariable()} is not set). Training goes on and computes every embedding.`,
    );
    return { available: false };
  }
  try {
    // No exact key exists before training (see above): the first restore key doubles as the
    // primary, and the service falls back to the next one as usual.
    const [primary = '', ...fallbacks] = keys.restore;
    const matchedKey = await cache.restoreCache([embeddingsDir(cacheDir)], primary, fallbacks);
    if (!matchedKey) core.info('No embedding cache restored; embeddings will be computed and saved after training.');
    return { matchedKey, available: true };
  } catch (error) {
    core.warning(`The embedding cache could not be restored (${neutralise((error as Error).message)}); training goes on without it.`);
    return { available: true };
  }
}

/** Saves the embeddings under the key of this dataset's content; returns whether they were saved. */
export async function saveEmbeddingCache(
  cacheDir: string,
  keys: CacheKeys,
  fingerprint: string,
  restored: RestoreOutcome,
  eventName = 'push',
): Promise<boolean> {
  if (!restored.available) return false;
  if (!CACHE_SAVING_EVENTS.includes(eventName)) {
    core.info(
      `The embedding cache is not saved from a ${neutralise(eventName)} run: such runs can carry content from outside the repository. It is saved by ${CACHE_SAVING_EVENTS.join(', ')} runs.`,
    );
    return false;
  }
  if (!existsSync(embeddingsDir(cacheDir))) {
    core.info('No embeddings were computed (no backbone needs them); nothing to cache.');
    return false;
  }
  const key = keys.save(fingerprint);
  if (restored.matchedKey === key) {
    core.info(`The embedding cache is up to date (${key}); not saved again.`);
    return false;
  }
  try {
    const id = await cache.saveCache([embeddingsDir(cacheDir)], key);
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
