/**
 * The dataset review as file annotations: one warning per suspect file (label suspects, pairs
 * of near-duplicates across splits or labels, outliers), capped per kind and in all, so a
 * large dataset does not bury the pull request's diff; one more line says how many were left out.
 * Pure: the action turns these into `core.warning` commands (escaping the text on the way out).
 */
import type { DatasetReview } from '../result.js';
import { percent } from './format.js';

export interface ReviewAnnotation {
  /** The file the warning is shown on, relative to the dataset root (as in result.json). */
  file: string;
  title: string;
  message: string;
}

export interface AnnotationCaps {
  /** At most this many annotations of one kind. Default 10. */
  perKind: number;
  /** At most this many in all. Default 30. */
  total: number;
}

export const DEFAULT_ANNOTATION_CAPS: AnnotationCaps = { perKind: 10, total: 30 };

export interface ReviewAnnotations {
  annotations: ReviewAnnotation[];
  /** Suspect files not annotated because of the caps. */
  left: number;
  /** The line that says so, when any were left out. */
  overflow?: string;
}

/**
 * `pathOf` names a dataset file as the reader finds it in the repository (the dataset path as
 * the user gave it, then the file); every message names its file that way.
 */
export function reviewAnnotations(review: DatasetReview, pathOf: (file: string) => string, caps: AnnotationCaps = DEFAULT_ANNOTATION_CAPS): ReviewAnnotations {
  const kinds: ReviewAnnotation[][] = [
    review.labelSuspects.map((s) => ({
      file: s.file,
      title: 'classifier-ci: label suspect',
      message: `${pathOf(s.file)} is labelled "${s.label}" but looks like "${s.suggested}" (${percent(s.confidence, 0)} out-of-fold). Check its label.`,
    })),
    review.nearDuplicates
      .filter((d) => d.crossSplit || d.crossLabel)
      .map((d) => {
        const what = [
          d.crossSplit ? `in another split${d.splits ? ` (${d.splits.join(' / ')})` : ''}` : '',
          d.crossLabel ? `under another label${d.labels ? ` (${d.labels.join(' / ')})` : ''}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        const fix = d.crossLabel ? 'Keep one copy, under the right label.' : 'Keep one copy, so the test figure is not inflated.';
        return {
          file: d.files[1],
          title: 'classifier-ci: near-duplicate',
          message: `${pathOf(d.files[1])} is a near-duplicate of ${pathOf(d.files[0])} ${what} (similarity ${d.similarity.toFixed(3)}). ${fix}`,
        };
      }),
    review.outliers.map((o) => ({
      file: o.file,
      title: 'classifier-ci: outlier',
      message: `${pathOf(o.file)} is far from every label (score ${o.score.toFixed(1)}, under "${o.label}"): wrong folder, damaged, or not what the dataset is about?`,
    })),
  ];
  const annotations: ReviewAnnotation[] = [];
  for (const kind of kinds) annotations.push(...kind.slice(0, Math.min(caps.perKind, caps.total - annotations.length)));
  const left = kinds.reduce((n, k) => n + k.length, 0) - annotations.length;
  return {
    annotations,
    left,
    ...(left ? { overflow: `${left} more suspect ${left === 1 ? 'file is' : 'files are'} in the report's Dataset review and in result.json (review).` } : {}),
  };
}
