/**
 * What a dataset change did, against the baseline run's list of images, by content hash: an
 * image whose bytes are new was added, one whose bytes are gone was removed, and one whose
 * bytes stayed under another label was relabelled (a rename or a move within a label is no change).
 */
import type { DatasetReview, RunResult } from '../result.js';

export interface ListedImage {
  file: string;
  label: string;
  sha256: string;
}

export type DatasetDiff = NonNullable<DatasetReview['diff']>;

export function diffDatasets(current: ListedImage[], baseline: ListedImage[]): DatasetDiff {
  const labelsOf = (images: ListedImage[]) => {
    const bySha = new Map<string, ListedImage[]>();
    for (const image of images) bySha.set(image.sha256, [...(bySha.get(image.sha256) ?? []), image]);
    return bySha;
  };
  const now = labelsOf(current);
  const before = labelsOf(baseline);
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const added = current.filter((i) => !before.has(i.sha256)).map(({ file, label }) => ({ file, label }));
  const removed = baseline.filter((i) => !now.has(i.sha256)).map(({ file, label }) => ({ file, label }));
  const relabelled = current.flatMap((i) => {
    const old = before.get(i.sha256);
    return old && !old.some((o) => o.label === i.label) ? [{ file: i.file, from: old[0].label, to: i.label }] : [];
  });
  return { added: added.sort(byFile), removed: removed.sort(byFile), relabelled: relabelled.sort(byFile) };
}

/**
 * The result with `review.diff` filled in against `baseline`; unchanged when either run has
 * no image list (a result written before lists were kept, or a run with the review off).
 */
export function withDatasetDiff(result: RunResult, baseline: RunResult): RunResult {
  if (!result.review || !result.dataset.files || !baseline.dataset.files) return result;
  return { ...result, review: { ...result.review, diff: diffDatasets(result.dataset.files, baseline.dataset.files) } };
}
