/**
 * Content-addressed embedding cache on disk: one small file per (backbone key, image sha256).
 *
 * The backbone key covers the weights, input size, value range, resize mode and the libvips
 * that decodes (decode.ts DECODING_KEY), so an entry is only ever reused for exactly the same
 * computation. Each file carries its length and a checksum; a truncated or corrupt entry is
 * detected, counted and recomputed, never trusted. Writes are atomic, so runs sharing one
 * cache, or killed mid-way, leave it readable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { explainWriteError, writeFileAtomic } from '../atomic.js';

const MAGIC = 0x31454343; // "CCE1"
const HEADER_BYTES = 12;

function checksum(bytes: Uint8Array): number {
  // FNV-1a: enough to catch truncation and bit rot; this is not a security boundary.
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

export function encodeEmbedding(vector: Float32Array): Uint8Array {
  const payload = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, vector.length, true);
  view.setUint32(8, checksum(payload), true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** Returns the vector, or null when the bytes are not a whole, intact entry. */
export function decodeEmbedding(bytes: Uint8Array, expectedDim?: number): Float32Array | null {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return null;
  const dim = view.getUint32(4, true);
  if (expectedDim !== undefined && dim !== expectedDim) return null;
  if (bytes.length !== HEADER_BYTES + dim * 4) return null;
  const payload = bytes.slice(HEADER_BYTES);
  if (checksum(payload) !== view.getUint32(8, true)) return null;
  return new Float32Array(payload.buffer, payload.byteOffset, dim);
}

export interface EmbeddingStore {
  get(imageSha: string): Promise<Float32Array | null>;
  put(imageSha: string, vector: Float32Array): Promise<void>;
  /**
   * Takes an entry as it is from another store of the same layout, given its `files` (a hard
   * link where the file system allows, else a copy), without decoding it: merging shard chunks
   * moves tens of thousands of entries the merge has already checked. Atomic per file, like put.
   */
  adopt(imageSha: string, files: string[]): Promise<void>;
  /** Where the entry's files are, one per part. */
  files(imageSha: string): string[];
  /** Entries found damaged since this store was opened. */
  readonly corrupt: number;
}

/** `madeDirs`: the folders this store has made, so adopting makes one per folder instead of one per entry. */
async function adoptFile(source: string, path: string, madeDirs: Set<string>): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    // A link shares the chunk's file: safe, as every write here replaces a file (rename) and never writes into one.
    await link(source, temp).catch(() => copyFile(source, temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw explainWriteError(error, path);
  }
}

export function openEmbeddingStore(cacheDir: string, backboneKey: string, dim: number): EmbeddingStore {
  const dir = join(cacheDir, 'embeddings', createHash('sha256').update(backboneKey).digest('hex').slice(0, 16));
  const pathOf = (sha: string) => join(dir, sha.slice(0, 2), `${sha}.emb`);
  let corrupt = 0;
  const madeDirs = new Set<string>();
  return {
    get corrupt() {
      return corrupt;
    },
    async get(sha) {
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(sha));
      } catch {
        return null;
      }
      const vector = decodeEmbedding(bytes, dim);
      if (!vector) corrupt++;
      return vector;
    },
    async put(sha, vector) {
      await writeFileAtomic(pathOf(sha), encodeEmbedding(vector));
    },
    files: (sha) => [pathOf(sha)],
    adopt(sha, files) {
      if (files.length !== 1) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of one.`);
      return adoptFile(files[0], pathOf(sha), madeDirs);
    },
  };
}

/**
 * One store over several: a vector is the parts concatenated, each part kept in its own store
 * (see Embedder.parts). An image counts as cached only when every part is.
 */
export function openPartedStore(cacheDir: string, parts: { cacheKey: string; dim: number }[]): EmbeddingStore {
  const stores = parts.map((p) => ({ store: openEmbeddingStore(cacheDir, p.cacheKey, p.dim), dim: p.dim }));
  const total = parts.reduce((sum, p) => sum + p.dim, 0);
  return {
    get corrupt() {
      return stores.reduce((sum, s) => sum + s.store.corrupt, 0);
    },
    async get(sha) {
      const vector = new Float32Array(total);
      let offset = 0;
      for (const { store, dim } of stores) {
        const part = await store.get(sha);
        if (!part) return null;
        vector.set(part, offset);
        offset += dim;
      }
      return vector;
    },
    async put(sha, vector) {
      let offset = 0;
      for (const { store, dim } of stores) {
        await store.put(sha, vector.slice(offset, offset + dim));
        offset += dim;
      }
    },
    files: (sha) => stores.flatMap(({ store }) => store.files(sha)),
    async adopt(sha, files) {
      if (files.length !== stores.length) throw new Error(`Cannot adopt an entry of ${files.length} files into a store of ${stores.length}.`);
      for (let i = 0; i < stores.length; i++) await stores[i].store.adopt(sha, [files[i]]);
    },
  };
}
