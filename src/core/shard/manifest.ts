/**
 * A cache chunk: a folder laid out as an embedding cache (embeddings/…) plus `chunk.json`,
 * which says what made the entries — backbone, cache key, engine, versions — and which images
 * they are. It is self-describing, so a merge can check chunks against each other before it
 * copies a single entry, and a merged folder is itself a chunk (it can be merged again).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic.js';
import { InputError } from '../errors.js';

export const CHUNK_FILE = 'chunk.json';
export const CHUNK_FORMAT = 'classifier-ci-embedding-chunk';
export const CHUNK_FORMAT_VERSION = 1;

const shardSchema = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });

const partSchema = z.object({
  /** The backbone as the bake-off names it, e.g. mobilenet_v2@224. */
  backbone: z.string(),
  /** The embedder's cache key: weights, input size, range, resize mode, engine, converter version. */
  cacheKey: z.string(),
  featureDim: z.number().int().min(1),
  /** Where the entries are: one cache key per stored part (a multi-depth vector is several taps, each under its own key, then the plain cut its pass also stores). */
  stores: z.array(z.object({ cacheKey: z.string(), dim: z.number().int().min(1) })).min(1),
  /** What embedded: engine and provider, e.g. onnxruntime/cpu. */
  engine: z.string(),
  classifierCiVersion: z.string(),
  converterVersion: z.number().int(),
  /** Shards of the plan this part holds, e.g. [{index: 1, count: 2}]. */
  shards: z.array(shardSchema),
  /** sha256 of every image whose embedding is in the chunk. */
  images: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  computed: z.number().int().min(0),
  cached: z.number().int().min(0),
});

export const chunkManifestSchema = z.object({
  format: z.literal(CHUNK_FORMAT),
  formatVersion: z.literal(CHUNK_FORMAT_VERSION),
  /** One part per backbone; a merged chunk holds several. */
  parts: z.array(partSchema),
});

export type ChunkPart = z.infer<typeof partSchema>;
export type ChunkManifest = z.infer<typeof chunkManifestSchema>;

export function chunkManifest(parts: ChunkPart[]): ChunkManifest {
  return { format: CHUNK_FORMAT, formatVersion: CHUNK_FORMAT_VERSION, parts };
}

export async function writeChunkManifest(dir: string, manifest: ChunkManifest): Promise<void> {
  await writeFileAtomic(join(dir, CHUNK_FILE), `${JSON.stringify(manifest)}\n`);
}

/** The chunk's manifest; null when the folder has none (an empty --into folder, say). */
export async function readChunkManifest(dir: string, required: boolean): Promise<ChunkManifest | null> {
  const path = join(dir, CHUNK_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`The cache chunk ${dir} cannot be read: ${(error as Error).message}`, dir);
    if (!required) return null;
    throw new InputError(`${dir} is not a cache chunk: it has no ${CHUNK_FILE}. Give the folders that "classifier-ci embed" wrote (--out).`, dir);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not valid JSON: the chunk is damaged; run its embed job again.`, path);
  }
  const parsed = chunkManifestSchema.safeParse(json);
  if (!parsed.success) {
    const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
    const format =
      version !== undefined && version !== CHUNK_FORMAT_VERSION
        ? ` (format version ${JSON.stringify(version)}; this classifier-ci reads ${CHUNK_FORMAT_VERSION})`
        : '';
    throw new InputError(
      `${path} is not a chunk manifest this classifier-ci can read${format}: ${parsed.error.issues[0]?.path.join('.') || 'format'} ${parsed.error.issues[0]?.message ?? ''}. Embed it again with this version.`,
      path,
    );
  }
  return parsed.data;
}
