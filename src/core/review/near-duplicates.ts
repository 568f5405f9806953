/**
 * Near-duplicate pairs: two images whose embeddings point the same way and whose perceptual
 * hashes (perceptual-hash.ts) nearly agree; a re-encoded, resized or shifted copy passes
 * both tests, two different pictures of look-alike things rarely pass the second. Pairs that
 * straddle splits are leaks (a test image whose copy was trained on inflates the test
 * figure); pairs under different labels are conflicts.
 */
import * as tf from '@tensorflow/tfjs';
import { hashWords, popcount } from './perceptual-hash.js';

export interface DuplicateOptions {
  /** Least cosine similarity of the two embeddings. Default 0.9. */
  minCosine?: number;
  /** Most bits (of 64) in which the perceptual hashes may differ. Default 12. */
  maxHashBits?: number;
  /** Rows of the similarity matrix computed at a time (memory: rows × images floats). Default 512. */
  blockRows?: number;
}

export const DUPLICATE_DEFAULTS = { minCosine: 0.9, maxHashBits: 12, blockRows: 512 } as const;

export interface DuplicatePair {
  a: number;
  b: number;
  /** Cosine similarity of the embeddings. */
  similarity: number;
  /** Bits in which the perceptual hashes differ. */
  hashBits: number;
}

/**
 * Pairs (a < b, rows of the inputs) of near-duplicates, most similar first. `embeddings` is
 * rows × dim, row-major; `hashes` one perceptual hash per row.
 */
export function findNearDuplicates(embeddings: Float32Array, hashes: string[], options: DuplicateOptions = {}): DuplicatePair[] {
  const { minCosine, maxHashBits, blockRows } = { ...DUPLICATE_DEFAULTS, ...options };
  const rows = hashes.length;
  if (rows === 0) return [];
  const dim = embeddings.length / rows;
  if (!Number.isInteger(dim)) throw new Error(`findNearDuplicates: ${embeddings.length} embedding values for ${rows} images`);
  const words = hashWords(hashes);
  const unit = normalisedRows(embeddings, rows, dim);
  const pairs: DuplicatePair[] = [];
  const all = tf.tensor2d(unit, [rows, dim]);
  try {
    for (let start = 0; start < rows; start += blockRows) {
      const size = Math.min(blockRows, rows - start);
      // One block of the cosine matrix at a time: rows × images floats, not images².
      const block = tf.tidy(() => tf.matMul(all.slice(start, size), all, false, true).dataSync() as Float32Array);
      for (let i = 0; i < size; i++) {
        const a = start + i;
        for (let b = a + 1; b < rows; b++) {
          const similarity = block[i * rows + b]!;
          if (similarity < minCosine) continue;
          const hashBits = popcount(words[a * 2]! ^ words[b * 2]!) + popcount(words[a * 2 + 1]! ^ words[b * 2 + 1]!);
          if (hashBits <= maxHashBits) pairs.push({ a, b, similarity: Math.min(1, similarity), hashBits });
        }
      }
    }
  } finally {
    all.dispose();
  }
  return pairs.sort((p, q) => q.similarity - p.similarity || p.hashBits - q.hashBits || p.a - q.a || p.b - q.b);
}

/** Each row scaled to length 1 (a zero row stays zero, similar to nothing). */
export function normalisedRows(x: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let c = 0; c < dim; c++) sq += x[r * dim + c]! ** 2;
    const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < dim; c++) out[r * dim + c] = x[r * dim + c]! * scale;
  }
  return out;
}
