/**
 * The dataset review of one run, from what the run already has: every image's embedding from
 * the winning backbone, its 32×32 pixels decoded when the dataset was checked, and
 * out-of-fold probabilities (out-of-fold.ts).
 * Label suspects, near-duplicates (with leaks and conflicts) and outliers, with files named
 * relative to the dataset root, as result.json carries them.
 */
import type { SplitName } from '../dataset/scan.js';
import type { DatasetReview } from '../result.js';
import { findLabelIssues, LABEL_ISSUE_DEFAULTS, type LabelIssueOptions } from './label-issues.js';
import { DUPLICATE_DEFAULTS, findNearDuplicates, type DuplicateOptions } from './near-duplicates.js';
import { findOutliers, OUTLIER_DEFAULTS, type OutlierOptions } from './outliers.js';
import { OUT_OF_FOLD_DEFAULTS } from './out-of-fold.js';

export interface ReviewedImage {
  file: string;
  label: string;
  sha256: string;
  split: SplitName;
}

export interface ReviewInput {
  /** The images, in the order of the rows below. */
  images: ReviewedImage[];
  labels: string[];
  /** rows × dim, row-major. */
  embeddings: Float32Array;
  /** Each image's 32×32 RGB pixels, as decoded when the dataset was checked. */
  pictures: Uint8Array[];
  /** Out-of-fold probabilities, rows × labels. */
  probabilities: Float32Array;
  /** The backbone the embeddings came from, named in the result. */
  backbone: string;
  /** Whether the final model got each test image right, by file: for the test accuracy without leaked images. */
  testCorrect?: Map<string, boolean>;
}

export interface ReviewOptions {
  labelIssues?: LabelIssueOptions;
  duplicates?: DuplicateOptions;
  outliers?: OutlierOptions;
  /** Folds the probabilities came from, named in `method`. */
  folds?: number;
}

export function reviewDataset(input: ReviewInput, options: ReviewOptions = {}): Omit<DatasetReview, 'diff'> {
  const { images, labels } = input;
  const y = Int32Array.from(images, (i) => labels.indexOf(i.label));
  const issues = findLabelIssues(y, input.probabilities, labels.length, options.labelIssues);
  const pairs = findNearDuplicates(input.pictures, options.duplicates);
  const outliers = findOutliers(input.embeddings, y, labels.length, options.outliers);
  const dim = input.embeddings.length / images.length;
  const nearDuplicates = pairs.map(({ a, b, similarity }) => {
    const [first, second] = [images[a], images[b]];
    return {
      files: [first.file, second.file] as [string, string],
      similarity: round(similarity),
      embeddingSimilarity: round(cosine(input.embeddings.subarray(a * dim, (a + 1) * dim), input.embeddings.subarray(b * dim, (b + 1) * dim))),
      crossSplit: first.split !== second.split,
      crossLabel: first.label !== second.label,
      splits: [first.split, second.split] as [string, string],
      labels: [first.label, second.label] as [string, string],
    };
  });
  return {
    backbone: input.backbone,
    method: describeMethod(options),
    labelSuspects: issues.map((issue) => ({
      file: images[issue.index].file,
      label: labels[issue.given],
      suggested: labels[issue.suggested],
      confidence: round(issue.confidence),
      sha256: images[issue.index].sha256,
    })),
    nearDuplicates,
    outliers: outliers.map((o) => ({ file: images[o.index].file, label: images[o.index].label, score: round(o.score) })),
    ...(input.testCorrect ? { leak: leakImpact(images, pairs, input.testCorrect) } : {}),
  };
}

/** The test accuracy as measured, and without the test images that have a near-duplicate in train or val. */
export function leakImpact(images: ReviewedImage[], pairs: { a: number; b: number }[], testCorrect: Map<string, boolean>): NonNullable<DatasetReview['leak']> {
  const leaked = new Set<string>();
  for (const { a, b } of pairs) {
    const [first, second] = [images[a], images[b]];
    if (first.split === 'test' && second.split !== 'test') leaked.add(first.file);
    if (second.split === 'test' && first.split !== 'test') leaked.add(second.file);
  }
  const all = [...testCorrect.entries()];
  const kept = all.filter(([file]) => !leaked.has(file));
  const accuracy = (list: [string, boolean][]) => list.filter(([, correct]) => correct).length / list.length;
  return {
    testImages: all.length,
    leakedTestImages: all.length - kept.length,
    accuracy: all.length ? accuracy(all) : 0,
    accuracyWithoutLeaks: kept.length ? accuracy(kept) : null,
  };
}

function describeMethod(options: ReviewOptions): string {
  const l = { ...LABEL_ISSUE_DEFAULTS, ...options.labelIssues };
  const d = { ...DUPLICATE_DEFAULTS, ...options.duplicates };
  const o = { ...OUTLIER_DEFAULTS, ...options.outliers };
  return [
    `label suspects: ${
      l.filterBy === 'low_self_confidence'
        ? `given label below ${l.maxSelfConfidence * 100}% probability`
        : 'confident learning (off-diagonal of the confident joint)'
    } out of fold (${options.folds ?? OUT_OF_FOLD_DEFAULTS.folds}-fold kernel ridge regression on the embeddings, temperature-calibrated), ranked by ${l.rankBy.replace('_', '-')}, at most ${l.maxFraction * 100}% of the images`,
    `near-duplicates: smoothed 32×32 grey pictures correlating ≥ ${d.minCorrelation} after the best shift of up to ${d.maxShift} px, with a distance at most ${d.maxRatio} of either image's next closest (among its ${d.neighbours} nearest by 8×8 signature)`,
    `outliers: robust z-score ≥ ${o.minScore} of the distance to the nearest class centroid, at most ${o.maxFraction * 100}% of the images`,
  ].join('; ');
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function cosine(a: Float32Array, b: Float32Array): number {
  let [dot, na, nb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
