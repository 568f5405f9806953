/**
 * Near-duplicate pairs from the decoded pixels: the 32×32 grey picture of each image (the
 * thumbnail decoded while the dataset is checked), smoothed by a 3×3 binomial kernel, compared
 * by correlation after the best shift of up to `maxShift` pixels, so a re-encoded, resized (the thumbnail undoes the scale)
 * or shifted copy still correlates almost perfectly.
 *
 * On a dataset of centred, look-alike objects (Fashion-MNIST: plain trousers) two different
 * images can correlate as well as a JPEG copy does, so a pair must also stand out: its
 * distance (1 − correlation) at most `maxRatio` of the distance of either image's next
 * closest candidate (Lowe's ratio test). A copy is much closer to its original than to
 * anything else; one of twenty look-alikes is not.
 *
 * Efficient for thousands of images: each image's candidates are its `neighbours` nearest
 * by the cosine of 8×8 mean-centred grey signatures (blockwise matrix products); only those
 * are aligned. Pairs that straddle splits are leaks, pairs under different labels conflicts.
 */
import * as tf from '@tensorflow/tfjs';

export interface DuplicateOptions {
  /** Least correlation of the aligned 32×32 grey pictures. Default 0.95. */
  minCorrelation?: number;
  /** Most distance (1 − correlation) of the pair, as a share of the distance to either image's next candidate. Default 0.45. */
  maxRatio?: number;
  /** Largest shift tried, in pixels of the 32×32 picture, each way. Default 2. */
  maxShift?: number;
  /** Candidates aligned per image: its nearest by signature. Default 20. */
  neighbours?: number;
  /** Rows of the signature similarity matrix computed at a time (memory: rows × images floats). Default 512. */
  blockRows?: number;
}

export const DUPLICATE_DEFAULTS = { minCorrelation: 0.95, maxRatio: 0.45, maxShift: 2, neighbours: 20, blockRows: 512 } as const;

/** Side of the grey pictures compared (the dataset's thumbnails). */
export const PICTURE_SIDE = 32;
const SIGNATURE_SIDE = 8;

export interface DuplicatePair {
  a: number;
  b: number;
  /** Correlation of the aligned grey pictures. */
  similarity: number;
  /** Distance of the pair over the distance to the nearest other candidate of either image. */
  ratio: number;
}

/** Pairs (a < b, indices of `pictures`) of near-duplicates, most similar first. `pictures`: 32×32 RGB each. */
export function findNearDuplicates(pictures: Uint8Array[], options: DuplicateOptions = {}): DuplicatePair[] {
  const { minCorrelation, maxRatio, maxShift, neighbours, blockRows } = { ...DUPLICATE_DEFAULTS, ...options };
  const count = pictures.length;
  if (count < 2) return [];
  // Smoothed once: a re-encoded copy differs from its original mostly in fine detail (resampling,
  // JPEG blocks); look-alikes differ in shape, which the smoothing keeps.
  const greys = pictures.map((p) => smoothed(greyOf(p)));
  const candidates = nearestBySignature(greys, Math.min(neighbours, count - 1), blockRows);
  // Each candidate pair aligned once; every image's scores kept for the ratio test.
  const scored = new Map<string, number>();
  const best = Array.from({ length: count }, () => [] as number[]);
  for (let a = 0; a < count; a++) {
    for (const b of candidates[a]) {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (scored.has(key)) continue;
      const c = alignedCorrelation(greys[a], greys[b], maxShift);
      scored.set(key, c);
      best[a].push(c);
      best[b].push(c);
    }
  }
  const nextBest = (i: number, own: number) => {
    const sorted = best[i].sort((x, y) => y - x);
    const at = sorted.indexOf(own);
    return sorted[at === 0 ? 1 : 0] ?? -1;
  };
  const pairs: DuplicatePair[] = [];
  for (const [key, similarity] of scored) {
    if (similarity < minCorrelation) continue;
    const [a, b] = key.split(',').map(Number) as [number, number];
    const ratio = (1 - similarity) / Math.max(1e-9, 1 - Math.max(nextBest(a, similarity), nextBest(b, similarity)));
    if (ratio <= maxRatio) pairs.push({ a, b, similarity: Math.min(1, similarity), ratio });
  }
  return pairs.sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b);
}

function greyOf(rgb: Uint8Array): Float64Array {
  const pixels = PICTURE_SIDE * PICTURE_SIDE;
  if (rgb.length !== pixels * 3) throw new Error(`findNearDuplicates: a picture of ${rgb.length} bytes is not ${PICTURE_SIDE}×${PICTURE_SIDE} RGB`);
  return Float64Array.from({ length: pixels }, (_, i) => 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]);
}

/** Each image's `k` nearest others by the cosine of its 8×8 mean-centred grey signature. */
function nearestBySignature(greys: Float64Array[], k: number, blockRows: number): number[][] {
  const count = greys.length;
  const dim = SIGNATURE_SIDE * SIGNATURE_SIDE;
  const signatures = new Float32Array(count * dim);
  const cell = PICTURE_SIDE / SIGNATURE_SIDE;
  greys.forEach((grey, i) => {
    const s = signatures.subarray(i * dim, (i + 1) * dim);
    for (let y = 0; y < PICTURE_SIDE; y++)
      for (let x = 0; x < PICTURE_SIDE; x++) s[Math.floor(y / cell) * SIGNATURE_SIDE + Math.floor(x / cell)] += grey[y * PICTURE_SIDE + x];
    const mean = s.reduce((t, v) => t + v, 0) / dim;
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (s[j] -= mean) ** 2;
    // A flat picture has no signature: similar to nothing.
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) s[j] *= scale;
  });
  const nearest: number[][] = [];
  const all = tf.tensor2d(signatures, [count, dim]);
  try {
    for (let start = 0; start < count; start += blockRows) {
      const size = Math.min(blockRows, count - start);
      // One block of the similarity matrix at a time: rows × images floats, not images².
      const block = tf.tidy(() => tf.matMul(all.slice(start, size), all, false, true).dataSync() as Float32Array);
      for (let i = 0; i < size; i++) {
        const row = block.subarray(i * count, (i + 1) * count);
        const order = topK(row, k, start + i);
        nearest.push(order);
      }
    }
  } finally {
    all.dispose();
  }
  return nearest;
}

/** Indices of the k largest values of `row`, leaving out `self`. */
function topK(row: Float32Array, k: number, self: number): number[] {
  const kept: number[] = [];
  for (let j = 0; j < row.length; j++) {
    if (j === self) continue;
    if (kept.length < k) {
      kept.push(j);
      if (kept.length === k) kept.sort((x, y) => row[y] - row[x]);
    } else if (row[j] > row[kept[k - 1]]) {
      let at = k - 1;
      while (at > 0 && row[kept[at - 1]] < row[j]) at--;
      kept.splice(at, 0, j);
      kept.pop();
    }
  }
  return kept;
}

/** The largest Pearson correlation of the overlapping parts of two grey pictures, over shifts of up to `maxShift` each way. */
export function alignedCorrelation(p: Float64Array, q: Float64Array, maxShift: number): number {
  const side = PICTURE_SIDE;
  let best = -1;
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      let [sp, sq, spp, sqq, spq, n] = [0, 0, 0, 0, 0, 0];
      for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
        for (let x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
          const a = p[y * side + x];
          const b = q[(y - dy) * side + (x - dx)];
          sp += a;
          sq += b;
          spp += a * a;
          sqq += b * b;
          spq += a * b;
          n++;
        }
      }
      const varP = spp - (sp * sp) / n;
      const varQ = sqq - (sq * sq) / n;
      if (varP > 0 && varQ > 0) best = Math.max(best, (spq - (sp * sq) / n) / Math.sqrt(varP * varQ));
    }
  }
  return best;
}

/** The picture smoothed by a 3×3 binomial kernel (edge pixels repeated). */
function smoothed(g: Float64Array): Float64Array {
  const side = PICTURE_SIDE;
  const at = (y: number, x: number) => g[Math.min(side - 1, Math.max(0, y)) * side + Math.min(side - 1, Math.max(0, x))];
  const out = new Float64Array(g.length);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += (dy ? 1 : 2) * (dx ? 1 : 2) * at(y + dy, x + dx);
      out[y * side + x] = s / 16;
    }
  return out;
}
