/**
 * The train job's side of a matrix run: the chunks the embed jobs uploaded, downloaded into one
 * folder (one subfolder per artifact, or the chunk itself), merged into the run's cache.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Logger } from '../ports.js';
import { CHUNK_FILE } from './manifest.js';
import { mergeChunks, type MergeReport } from './merge.js';

/** The chunk folders in `folder`: itself when it is one, else its subfolders that are, by name. */
export async function findChunks(folder: string): Promise<string[]> {
  if (existsSync(join(folder, CHUNK_FILE))) return [folder];
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(folder, e.name, CHUNK_FILE)))
    .map((e) => join(folder, e.name))
    .sort();
}

/**
 * Merges every chunk in `folder` into `cacheDir`. A missing folder is no error (no embed job ran,
 * so its download step was skipped): the run embeds everything itself, and says so.
 */
export async function mergeChunkFolder(
  folder: string,
  cacheDir: string,
  options: { input: string; log: Logger; now: () => number },
): Promise<MergeReport | null> {
  if (!existsSync(folder)) {
    options.log.warn(`${options.input}: ${folder} does not exist, so no embed job's chunk is used; every embedding is computed here.`);
    return null;
  }
  const chunks = await findChunks(folder);
  if (!chunks.length)
    throw new InputError(
      `${options.input}: ${folder} holds no cache chunk (a folder with ${CHUNK_FILE}). Download the embed jobs' artifacts there, e.g. actions/download-artifact with pattern: chunk-* and path: ${folder}.`,
      folder,
    );
  const report = await mergeChunks(chunks, cacheDir, options);
  for (const b of report.backbones)
    options.log.info(
      `Cache chunks: ${b.backbone}, ${b.images} images from shard${b.shards.length === 1 ? '' : 's'} ${b.shards.join(', ')} (${b.copied} new in the cache).`,
    );
  return report;
}
