/**
 * Outliers: images far from every class. Each image's distance is one minus the cosine
 * similarity of its embedding to the nearest class centroid (the mean direction of a label's
 * images); its score is the robust z-score of the log of that distance (median and MAD over
 * the whole dataset), so the threshold means the same on any backbone. (Distances pile up
 * near zero with a long right tail; on the log scale they are near symmetric, as a z-score
 * assumes.) A mislabelled image is near
 * another class and is not an outlier; a wrong-folder, corrupt or off-topic one is.
 */
export interface OutlierOptions {
  /** Least robust z-score of an outlier (Iglewicz and Hoaglin's 3.5). Default 3.5. */
  minScore?: number;
  /** At most this fraction of all images is returned, highest scores first. Default 0.02. */
  maxFraction?: number;
}

export const OUTLIER_DEFAULTS = { minScore: 3.5, maxFraction: 0.02 } as const;

export interface Outlier {
  index: number;
  /** Robust z-score of the (log) distance to the nearest class centroid. */
  score: number;
  distance: number;
}

export function findOutliers(embeddings: Float32Array, labels: Int32Array, numClasses: number, options: OutlierOptions = {}): Outlier[] {
  const { minScore, maxFraction } = { ...OUTLIER_DEFAULTS, ...options };
  const rows = labels.length;
  if (rows === 0) return [];
  const dim = embeddings.length / rows;
  const unit = normalisedRows(embeddings, rows, dim);
  const centroids = normalisedRows(classMeans(unit, labels, numClasses, dim), numClasses, dim);
  const distance = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += unit[r * dim + k] * centroids[c * dim + k];
      best = Math.max(best, dot);
    }
    distance[r] = 1 - best;
  }
  const logs = Array.from(distance, (d) => Math.log(Math.max(d, 1e-9)));
  const median = medianOf([...logs]);
  // 1.4826 × MAD estimates the standard deviation of normal data; a floor keeps identical distances from dividing by zero.
  const spread = Math.max(1.4826 * medianOf(logs.map((l) => Math.abs(l - median))), 1e-9);
  const outliers: Outlier[] = [];
  distance.forEach((d, index) => {
    const score = (logs[index] - median) / spread;
    if (score >= minScore) outliers.push({ index, score, distance: d });
  });
  return outliers.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, Math.floor(rows * maxFraction));
}

function classMeans(unit: Float32Array, labels: Int32Array, numClasses: number, dim: number): Float32Array {
  const sums = new Float32Array(numClasses * dim);
  labels.forEach((y, r) => {
    for (let k = 0; k < dim; k++) sums[y * dim + k] += unit[r * dim + k];
  });
  return sums;
}

function medianOf(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Each row scaled to length 1 (a zero row stays zero, similar to nothing). */
export function normalisedRows(x: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let c = 0; c < dim; c++) sq += x[r * dim + c] ** 2;
    const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < dim; c++) out[r * dim + c] = x[r * dim + c] * scale;
  }
  return out;
}
