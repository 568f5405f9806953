/**
 * Merging cache chunks into one embedding cache (the folder `train --cache-dir` reads).
 *
 * Policy, checked in full before anything is written, so a refused merge leaves the target as
 * it was:
 * - Chunks of one backbone must agree on what made them: cache key (weights, size, range,
 *   resize, engine, converter), vector length, engine, classifier-ci and converter versions.
 *   A chunk that differs is refused, naming it, the field and both values.
 * - Every entry a manifest lists must be present and intact in its chunk.
 * - Two vectors for one (backbone, image), from two chunks or a chunk and the target: equal
 *   within CONFLICT_TOLERANCE (float noise of another CPU) keeps the one already there; beyond
 *   it the merge is refused, naming both. A content-addressed cache holds one vector per key,
 *   and picking one silently would make the trained model depend on the merge order.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../ports.js';
import { InputError } from '../errors.js';
import { openPartedStore, type EmbeddingStore } from '../embeddings/cache.js';
import { formatShard, type Shard } from './assign.js';
import { chunkManifest, readChunkManifest, writeChunkManifest, type ChunkPart } from './manifest.js';

/** Largest difference, relative to the vector's largest magnitude, still taken as the same vector. */
export const CONFLICT_TOLERANCE = 1e-4;

/** Entries read or written at once: enough to keep the disk busy, few enough for the file-handle limit. */
const CONCURRENCY = 64;

export interface MergedBackbone {
  backbone: string;
  images: number;
  /** Entries written into the target. */
  copied: number;
  /** Entries the target (or an earlier chunk) already had, equal or equal within the tolerance. */
  alreadyPresent: number;
  shards: string[];
  /** Shards of the plan no chunk brought, when the chunks agree on the shard count; the train job embeds those images itself. */
  missingShards: string[];
}

export interface MergeReport {
  backbones: MergedBackbone[];
  seconds: number;
}

const IDENTITY_FIELDS = [
  'cacheKey',
  'featureDim',
  'stores',
  'engine',
  'classifierCiVersion',
  'converterVersion',
] as const satisfies readonly (keyof ChunkPart)[];

interface Source {
  dir: string;
  part: ChunkPart;
}

async function inParallel<T>(items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

export function largestDifference(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Refuses a part that another (first seen) part of the same backbone contradicts. */
function checkIdentity(reference: Source, other: Source): void {
  for (const field of IDENTITY_FIELDS) {
    if (JSON.stringify(reference.part[field]) !== JSON.stringify(other.part[field])) {
      throw new InputError(
        `Cannot merge ${other.dir}: its ${other.part.backbone} embeddings were made with ${field} ${JSON.stringify(other.part[field])}, but ${reference.dir} has ${JSON.stringify(reference.part[field])}. ` +
          'Every embed job of a run must use the same classifier-ci version, engine and backbone; run the embed jobs again alike.',
        other.dir,
      );
    }
  }
}

function missingShards(shards: Shard[]): string[] {
  const count = shards[0]?.count;
  if (count === undefined || shards.some((s) => s.count !== count)) return [];
  const have = new Set(shards.map((s) => s.index));
  return Array.from({ length: count }, (_, i) => i + 1)
    .filter((i) => !have.has(i))
    .map((index) => formatShard({ index, count }));
}

export async function mergeChunks(chunkDirs: string[], into: string, options: { log: Logger; now: () => number }): Promise<MergeReport> {
  const start = options.now();
  if (!chunkDirs.length) throw new InputError('Give at least one cache chunk to merge, e.g. classifier-ci cache merge chunks/* --into merged.', 'chunks');
  if (chunkDirs.some((dir) => resolve(dir) === resolve(into)))
    throw new InputError(`--into ${into} is also one of the chunks to merge; merge into another folder.`, into);
  const target = await readChunkManifest(into, false);
  // A fresh folder (the usual train job) holds nothing to compare with: skip looking up every entry in it.
  const intoExists = existsSync(into);
  const sources: Source[] = [];
  for (const dir of chunkDirs) for (const part of (await readChunkManifest(dir, true))!.parts) sources.push({ dir, part });

  const byBackbone = new Map<string, { reference: Source; sources: Source[] }>();
  for (const part of target?.parts ?? []) byBackbone.set(part.backbone, { reference: { dir: into, part }, sources: [] });
  for (const source of sources) {
    const group = byBackbone.get(source.part.backbone);
    if (group) {
      checkIdentity(group.reference, source);
      group.sources.push(source);
    } else byBackbone.set(source.part.backbone, { reference: source, sources: [source] });
  }

  // Pass 1, reading only: every entry intact, every duplicate equal; which source supplies which image.
  const plans = [...byBackbone.values()].map(async ({ reference, sources: group }) => {
    const { backbone } = reference.part;
    const targetStore = openPartedStore(into, reference.part.stores);
    const stores = new Map<string, EmbeddingStore>(group.map((s) => [s.dir, openPartedStore(s.dir, s.part.stores)]));
    const firstSource = new Map<string, Source>();
    const copies: { sha: string; source: Source }[] = [];
    let alreadyPresent = 0;
    const read = async (source: Source, sha: string) => {
      const vector = await stores.get(source.dir)!.get(sha);
      if (!vector)
        throw new InputError(
          `The cache chunk ${source.dir} lists image ${sha} for ${backbone}, but its embedding is missing or damaged. Run that embed job again.`,
          source.dir,
        );
      return vector;
    };
    const entries = group.flatMap((source) => source.part.images.map((sha) => ({ sha, source })));
    // Claimed in order before any read, so the first chunk naming an image supplies it whatever the read order.
    for (const { sha, source } of entries) if (!firstSource.has(sha)) firstSource.set(sha, source);
    // Conflicts are collected and the first in chunk order is named, so the message does not depend on which read finished first.
    const conflicts: { at: number; dir: string; message: string }[] = [];
    await inParallel(
      entries.map((entry, at) => ({ ...entry, at })),
      async ({ sha, source, at }) => {
        const vector = await read(source, sha);
        const first = firstSource.get(sha)!;
        const existing = first !== source ? await read(first, sha) : intoExists ? await targetStore.get(sha) : null;
        const holder = first === source ? into : first.dir;
        if (existing) {
          const difference = largestDifference(existing, vector);
          if (difference > CONFLICT_TOLERANCE) {
            conflicts.push({
              at,
              dir: source.dir,
              message: `Cannot merge ${source.dir}: its ${backbone} embedding of image ${sha} differs from the one in ${holder} (by ${difference.toExponential(1)} of its scale; the limit is ${CONFLICT_TOLERANCE})`,
            });
          }
          alreadyPresent++;
        } else if (first === source) copies.push({ sha, source });
      },
    );
    if (conflicts.length) {
      conflicts.sort((a, b) => a.at - b.at);
      const more = conflicts.length > 1 ? `, and ${conflicts.length - 1} more image${conflicts.length === 2 ? ' differs' : 's differ'}` : '';
      throw new InputError(
        `${conflicts[0].message}${more}. The same backbone gave two results for one image: check that every embed job ran the same engine on alike machines, then merge into an empty folder.`,
        conflicts[0].dir,
      );
    }
    const shards = group.flatMap((s) => s.part.shards);
    const distinct = [...new Map([...(reference.dir === into ? reference.part.shards : []), ...shards].map((s) => [formatShard(s), s])).values()];
    return { reference, group, copies, alreadyPresent, distinct, targetStore, stores };
  });
  const checked = await Promise.all(plans);

  // Pass 2: copy the checked entries' files as they are, then record the chunk's contents; a crash between leaves extra entries, never a manifest that lies.
  const backbones: MergedBackbone[] = [];
  const parts: ChunkPart[] = [];
  for (const { reference, group, copies, alreadyPresent, distinct, targetStore, stores } of checked) {
    await inParallel(copies, ({ sha, source }) => targetStore.adopt(sha, stores.get(source.dir)!.files(sha)));
    const images = new Set([...(reference.dir === into ? reference.part.images : []), ...group.flatMap((s) => s.part.images)]);
    const sum = (field: 'computed' | 'cached') => group.reduce((n, s) => n + s.part[field], reference.dir === into ? reference.part[field] : 0);
    parts.push({ ...reference.part, shards: distinct, images: [...images], computed: sum('computed'), cached: sum('cached') });
    const missing = missingShards(distinct);
    backbones.push({
      backbone: reference.part.backbone,
      images: images.size,
      copied: copies.length,
      alreadyPresent,
      shards: distinct.map(formatShard),
      missingShards: missing,
    });
    if (missing.length)
      options.log.warn(
        `${reference.part.backbone}: no chunk for shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')}; the train job will embed those images itself.`,
      );
  }
  await writeChunkManifest(into, chunkManifest(parts));
  return { backbones, seconds: (options.now() - start) / 1000 };
}
