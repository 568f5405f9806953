/**
 * The dataset review (review/): label suspects, near-duplicates and leaks, outliers. It reuses
 * the winner's embeddings, kept when the bake-off made them (fine-tuning later swaps the
 * winner's examples for activations), so it adds no backbone pass: only k closed-form
 * kernel regressions (review/out-of-fold.ts) and the pairwise picture comparisons.
 * Two stages in one file: the first only keeps a reference, the second runs after the test.
 */
import * as tf from '@tensorflow/tfjs';
import { splitOf } from '../../training/bakeoff.js';
import { predictProbabilities } from '../../training/candidates.js';
import type { Examples } from '../../training/head.js';
import type { FittedModel, PreparedCandidate } from '../../model/fitted.js';
import type { PreparedDataset } from '../../dataset/prepare.js';
import type { DatasetReview } from '../../result.js';
import { OUT_OF_FOLD_DEFAULTS, outOfFoldProbabilities } from '../../review/out-of-fold.js';
import { withSuspectThumbnails } from '../../review/thumbnails.js';
import { reviewDataset } from '../../review/review.js';
import { need, type Stage } from '../context.js';

/** Folds of the out-of-fold probabilities. */
export const REVIEW_FOLDS = OUT_OF_FOLD_DEFAULTS.folds;

/** The review's embeddings: train, val and test rows, in that order (the order of splitOf). */
export interface ReviewEmbeddings {
  backbone: string;
  parts: Examples[];
}

/** Keeps the winner's frozen embeddings for the review before fine-tuning may replace them. */
export const keepReviewEmbeddingsStage: Stage = {
  name: 'review embeddings',
  run(run) {
    const { prepared } = run.models.winner;
    if (run.options.review !== false && prepared.kind === 'frozen')
      run.found.reviewEmbeddings = { backbone: prepared.spec.id, parts: [prepared.train, prepared.val, prepared.test] };
    return Promise.resolve();
  },
};

export const reviewStage: Stage = {
  name: 'review',
  async run(run) {
    if (run.options.review === false) {
      run.log.info('Dataset review: switched off (review: false)');
      return;
    }
    const dataset = need(run, 'dataset');
    const { prepared, fitted } = run.models.winner;
    let review: DatasetReview;
    try {
      review = await run.timed('review', 'Reviewing the dataset', () =>
        reviewRun({
          dataset,
          embeddings: run.found.reviewEmbeddings ?? { backbone: prepared.spec.id, parts: cnnFeatures(prepared, fitted) },
          prepared,
          fitted,
          seed: run.options.seed,
        }),
      );
    } catch (error) {
      // The review is advice on the data: the model and its test figures stand without it.
      run.log.warn(`Dataset review skipped: it failed (${error instanceof Error ? error.message : String(error)}). The model and its results are unaffected.`);
      return;
    }
    run.log.info(
      `Dataset review: ${review.labelSuspects.length} label suspect${review.labelSuspects.length === 1 ? '' : 's'}, ${review.nearDuplicates.length} near-duplicate pair${review.nearDuplicates.length === 1 ? '' : 's'} (${review.nearDuplicates.filter((d) => d.crossSplit).length} across splits, ${review.nearDuplicates.filter((d) => d.crossLabel).length} across labels), ${review.outliers.length} outlier${review.outliers.length === 1 ? '' : 's'}`,
    );
    run.found.review = review;
    // The list a later run's review diffs against (review/diff.ts).
    dataset.summary.files = dataset.images.map(({ file, label, sha256, split }) => ({ file, label, sha256, split }));
  },
};

export interface ReviewRunInput {
  dataset: PreparedDataset;
  embeddings: ReviewEmbeddings;
  /** The model whose test predictions say how much leaked test images inflate the accuracy. */
  prepared: PreparedCandidate;
  fitted: FittedModel;
  seed: number;
}

/** The review of a trained run's dataset: shared by train() and `classifier-ci review`. */
export async function reviewRun({ dataset, embeddings, prepared, fitted, seed }: ReviewRunInput): Promise<DatasetReview> {
  const images = [...splitOf(dataset.images, 'train'), ...splitOf(dataset.images, 'val'), ...splitOf(dataset.images, 'test')];
  const all = concat(embeddings.parts);
  const { probabilities } = outOfFoldProbabilities(all, { numClasses: dataset.labels.length, folds: REVIEW_FOLDS, seed });
  const testImages = splitOf(dataset.images, 'test');
  const test = predictProbabilities(fitted, prepared.test);
  const classes = dataset.labels.length;
  const testCorrect = new Map(
    testImages.map((image, r) => [image.file, argmax(test.subarray(r * classes, (r + 1) * classes)) === dataset.labels.indexOf(image.label)]),
  );
  const review = reviewDataset(
    {
      images,
      labels: dataset.labels,
      embeddings: all.x,
      pictures: images.map((i) => dataset.thumbnails.get(i.sha256)!),
      probabilities,
      backbone: embeddings.backbone,
      testCorrect,
    },
    { folds: REVIEW_FOLDS },
  );
  const paths = new Map(dataset.images.map((i) => [i.file, i.path]));
  return { ...review, labelSuspects: await withSuspectThumbnails(review.labelSuspects, (file) => paths.get(file)) };
}

/**
 * The small CNN's own features, when it won (there are no frozen embeddings then). It was
 * trained on these labels, so its suspects are fewer than a frozen backbone's would be.
 */
export function cnnFeatures(prepared: PreparedCandidate, fitted: FittedModel): Examples[] {
  const trunk = fitted.trunk!;
  const shape = trunk.inputs[0].shape.slice(1) as number[];
  const per = shape.reduce((a, b) => a * b, 1);
  return [prepared.train, prepared.val, prepared.test].map((part) => {
    const chunks: Float32Array[] = [];
    for (let start = 0; start < part.rows; start += 256) {
      const rows = Math.min(256, part.rows - start);
      chunks.push(
        tf.tidy(() => (trunk.predict(tf.tensor(part.x.subarray(start * per, (start + rows) * per), [rows, ...shape])) as tf.Tensor).dataSync() as Float32Array),
      );
    }
    return { ...concat(chunks.map((x, i) => ({ x, y: new Int32Array(0), rows: Math.min(256, part.rows - i * 256) }))), y: part.y };
  });
}

function concat(parts: Examples[]): Examples {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const x = new Float32Array(parts.reduce((n, p) => n + p.x.length, 0));
  const y = new Int32Array(rows);
  let [xAt, yAt] = [0, 0];
  for (const p of parts) {
    x.set(p.x, xAt);
    y.set(p.y, yAt);
    xAt += p.x.length;
    yAt += p.y.length;
  }
  return { x, y, rows };
}

function argmax(p: Float32Array): number {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return best;
}
