import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../src/core/backend/select.js';
import { createRng } from '../src/core/random.js';
import { diffDatasets } from '../src/core/review/diff.js';
import { classThresholds, findLabelIssues } from '../src/core/review/label-issues.js';
import { alignedCorrelation, findNearDuplicates } from '../src/core/review/near-duplicates.js';
import { outOfFoldProbabilities } from '../src/core/review/out-of-fold.js';
import { stratifiedFolds } from '../src/core/training/folds.js';
import { findOutliers } from '../src/core/review/outliers.js';
import { leakImpact, reviewDataset, type ReviewedImage } from '../src/core/review/review.js';

await ensureBackend();

/** Probabilities rows × 3: each row confident (0.8) in `predicted`. */
function confident(predicted: number[]): Float32Array {
  const p = new Float32Array(predicted.length * 3).fill(0.1);
  predicted.forEach((c, r) => (p[r * 3 + c] = 0.8));
  return p;
}

test('low self-confidence (the default): a given label under 5% out-of-fold probability is suspect, suggested the most probable other label', () => {
  const given = Int32Array.from({ length: 40 }, (_, r) => r % 2);
  const p = new Float32Array(40 * 2);
  given.forEach((y, r) => p.set(y === 0 ? [0.9, 0.1] : [0.1, 0.9], r * 2));
  p.set([0.03, 0.97], 4 * 2); // labelled 0, the model says 1
  p.set([0.01, 0.99], 6 * 2); // labelled 0, even surer
  p.set([0.2, 0.8], 8 * 2); // labelled 0, doubtful but above the threshold
  const issues = findLabelIssues(given, p, 2);
  assert.deepEqual(
    issues.map((i) => [i.index, i.given, i.suggested, i.confidence, i.selfConfidence].map((v) => Number(v.toFixed(2)))),
    [
      [6, 0, 1, 0.99, 0.01],
      [4, 0, 1, 0.97, 0.03],
    ],
  );
  assert.deepEqual(
    findLabelIssues(given, p, 2, { maxSelfConfidence: 0.25 }).map((i) => i.index),
    [6, 4, 8],
    'the threshold is a parameter',
  );
  // The list is as long as the data makes it: nothing on clean probabilities, whatever the cap.
  const clean = Float32Array.from(Array.from(given).flatMap((y) => (y === 0 ? [0.9, 0.1] : [0.1, 0.9])));
  assert.deepEqual(findLabelIssues(given, clean, 2, { maxFraction: 1 }), []);
});

test('confident learning: rows predicted confidently as another class are suspects, suggested that class, most suspicious first', () => {
  const given = Int32Array.from({ length: 60 }, (_, r) => r % 3);
  const predicted = Array.from(given);
  predicted[4] = 2; // labelled 1
  predicted[9] = 1; // labelled 0
  const p = confident(predicted);
  // Row 9 is the more suspicious: its given label gets even less.
  p[9 * 3 + 0] = 0.02;
  p[9 * 3 + 2] = 0.18;
  const issues = findLabelIssues(given, p, 3, { filterBy: 'confident_learning' });
  assert.deepEqual(
    issues.map((i) => [i.index, i.given, i.suggested]),
    [
      [9, 0, 1],
      [4, 1, 2],
    ],
  );
  assert.equal(issues[1].confidence, p[4 * 3 + 2]);
  // Uncertain rows (below every class threshold) are not counted off the diagonal.
  const unsure = confident(Array.from(given));
  unsure.set([0.34, 0.33, 0.33], 9 * 3);
  assert.deepEqual(findLabelIssues(given, unsure, 3, { filterBy: 'confident_learning' }), []);
});

test('confident learning: per-class thresholds are the mean self-confidence; the cap and the rank order are parameters', () => {
  const given = Int32Array.from([0, 0, 1, 1]);
  const p = Float32Array.from([0.9, 0.1, 0.7, 0.3, 0.4, 0.6, 0.2, 0.8]);
  assert.deepEqual(
    Array.from(classThresholds(given, p, 2), (t) => Number(t.toFixed(6))),
    [0.8, 0.7],
  );
  const labels = Int32Array.from({ length: 100 }, (_, r) => r % 3);
  const wrong = Array.from(labels, (y, r) => (r < 30 ? (y + 1) % 3 : y));
  const cl = { filterBy: 'confident_learning' } as const;
  assert.equal(findLabelIssues(labels, confident(wrong), 3, { ...cl, minExamplesPerClass: 1 }).length, 10, 'at most 10% by default');
  assert.equal(findLabelIssues(labels, confident(wrong), 3, { ...cl, maxFraction: 0.5 }).length, 30);
  // By margin: the row whose best other label leads most comes first.
  const q = confident(wrong.map((c, r) => (r === 3 ? c : r < 30 ? c : c)));
  q.set([0.3, 0.7, 0.0], 3 * 3);
  const byMargin = findLabelIssues(labels, q, 3, { ...cl, rankBy: 'normalized_margin', maxFraction: 0.5 });
  assert.notEqual(byMargin[0].index, 3, 'row 3 leads by only 0.4, the others by 0.7');
  assert.equal(byMargin.at(-1)!.index, 3);
});

test('out-of-fold: stratified folds; flipped labels in separable data are found by the review', async () => {
  const rng = createRng(3);
  const rows = 150;
  const dim = 6;
  const truth = Int32Array.from({ length: rows }, (_, r) => r % 3);
  const x = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) x[r * dim + c] = (c === truth[r] ? 3 : 0) + (rng() - 0.5);
  const given = truth.slice();
  const flipped = [7, 40, 101];
  for (const r of flipped) given[r] = (truth[r] + 1) % 3;

  const folds = stratifiedFolds(given, 5, 42);
  for (const c of [0, 1, 2]) {
    const sizes = [0, 1, 2, 3, 4].map((k) => given.filter((y, r) => y === c && folds[r] === k).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `label ${c} is spread evenly over the folds: ${sizes}`);
  }
  const foldSizes = [0, 1, 2, 3, 4].map((k) => folds.filter((f) => f === k).length);
  assert.ok(Math.max(...foldSizes) - Math.min(...foldSizes) <= 1, `fold sizes ${foldSizes}`);
  const before = tf.memory().numTensors;
  const oof = outOfFoldProbabilities({ x, y: given, rows }, { numClasses: 3, seed: 1 });
  const p = oof.probabilities;
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  assert.equal(oof.folds, 5);
  for (let r = 0; r < rows; r++) assert.ok(Math.abs(p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2] - 1) < 1e-5, 'each row is a distribution');
  // Each flipped row is judged by a model that never saw its (wrong) label: it sees the truth.
  for (const r of flipped) assert.ok(p[r * 3 + truth[r]] > 0.5, `row ${r}: ${Array.from(p.subarray(r * 3, r * 3 + 3))}`);
  // Fewer landmarks than rows (Nyström) still separates these classes.
  const few = outOfFoldProbabilities({ x, y: given, rows }, { numClasses: 3, seed: 1, landmarks: 40 }).probabilities;
  for (const r of flipped) assert.ok(few[r * 3 + truth[r]] > 0.5, `40 landmarks, row ${r}`);
  assert.deepEqual(outOfFoldProbabilities({ x, y: given, rows }, { numClasses: 3, seed: 1 }).probabilities, p, 'seeded: the same probabilities again');
  const issues = findLabelIssues(given, p, 3);
  assert.deepEqual(
    issues.map((i) => i.index).sort((a, b) => a - b),
    flipped,
  );
  assert.deepEqual(issues.map((i) => i.suggested).sort(), flipped.map((r) => truth[r]).sort());
});

/** A 32×32 RGB picture: smooth shapes from `seed`, optionally shifted right, brightened and noisy (a re-encoding). */
function picture(seed: number, shift = 0, gain = 1, noise = 0): Uint8Array {
  const rng = createRng(seed);
  const blobs = Array.from({ length: 4 }, () => ({ x: 4 + rng() * 24, y: 4 + rng() * 24, r: 3 + rng() * 6, v: 60 + rng() * 195 }));
  const jitter = createRng(seed + 1000);
  const rgb = new Uint8Array(32 * 32 * 3);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      let v = 20;
      for (const b of blobs) if ((x - shift - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) v = b.v;
      rgb.fill(Math.max(0, Math.min(255, Math.round(v * gain + (jitter() - 0.5) * noise))), (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    }
  }
  return rgb;
}

const grey = (rgb: Uint8Array) => Float64Array.from({ length: 1024 }, (_, i) => rgb[i * 3]);

test('aligned correlation: a shifted, brightened, noisy copy correlates almost perfectly; another picture does not', () => {
  const original = grey(picture(1));
  assert.ok(Math.abs(alignedCorrelation(original, original, 2) - 1) < 1e-9);
  assert.ok(alignedCorrelation(original, grey(picture(1, 2, 1.2, 10)), 2) > 0.97, 'the best shift undoes a 2-pixel shift');
  assert.ok(alignedCorrelation(original, grey(picture(1, 2)), 0) < 0.95, 'without shifts it would not');
  for (const other of [2, 3, 4]) assert.ok(alignedCorrelation(original, grey(picture(other)), 2) < 0.8);
});

test('near-duplicates: copies are found, a crowd of look-alikes is not (ratio test), and no tensor is left', () => {
  // 12 different pictures, copies of 0 and 5, and 6 near-identical look-alikes of picture 20 (one-pixel-scale differences each).
  const pictures = [...Array.from({ length: 12 }, (_, i) => picture(i)), picture(0, 1, 1.1, 12), picture(5, -1, 0.9, 12)];
  for (let k = 0; k < 6; k++) pictures.push(picture(20, 0, 1, 0).map((v, i) => (Math.floor(i / 3) % 32 === 10 + k ? Math.min(255, v + 120) : v)));
  const before = tf.memory().numTensors;
  const pairs = findNearDuplicates(pictures);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(pairs.map((p) => [p.a, p.b]).sort(), [
    [0, 12],
    [5, 13],
  ]);
  assert.ok(pairs.every((p) => p.similarity > 0.95 && p.ratio <= 0.45));
  // Without the ratio test the look-alikes pair up too.
  assert.ok(findNearDuplicates(pictures, { maxRatio: Infinity }).some((p) => p.a >= 14 && p.b >= 14));
  assert.deepEqual(findNearDuplicates(pictures, { blockRows: 3 }), pairs, 'blocks give the same pairs');
  assert.throws(() => findNearDuplicates([new Uint8Array(10), new Uint8Array(10)]), /not 32×32 RGB/);
});

test('outliers: an image far from every class centroid scores high; class members do not', () => {
  const rng = createRng(9);
  const rows = 90;
  const labels = Int32Array.from({ length: rows }, (_, r) => r % 3);
  const e = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) for (let c = 0; c < 4; c++) e[r * 4 + c] = (c === labels[r] ? 1 : 0) + 0.1 * rng();
  e.set([0, 0, 0, 1], 30 * 4); // nothing like any class
  const found = findOutliers(e, labels, 3, { maxFraction: 0.1 });
  assert.deepEqual(
    found.map((o) => o.index),
    [30],
  );
  assert.ok(found[0].score > 5, `score ${found[0].score}`);
  assert.deepEqual(findOutliers(e, labels, 3, { maxFraction: 0.1, minScore: 1e9 }), []);
});

test('diff by content hash: added, removed, relabelled; a rename is no change', () => {
  const base = [
    { file: 'cat/a.png', label: 'cat', sha256: 'A' },
    { file: 'cat/b.png', label: 'cat', sha256: 'B' },
    { file: 'dog/c.png', label: 'dog', sha256: 'C' },
  ];
  const now = [
    { file: 'cat/a-renamed.png', label: 'cat', sha256: 'A' },
    { file: 'dog/b.png', label: 'dog', sha256: 'B' },
    { file: 'dog/d.png', label: 'dog', sha256: 'D' },
  ];
  assert.deepEqual(diffDatasets(now, base), {
    added: [{ file: 'dog/d.png', label: 'dog' }],
    removed: [{ file: 'dog/c.png', label: 'dog' }],
    relabelled: [{ file: 'dog/b.png', from: 'cat', to: 'dog' }],
  });
  assert.deepEqual(diffDatasets(base, base), { added: [], removed: [], relabelled: [] });
});

test('the review names files, flags leaks and conflicts, and says how the test accuracy changes without leaked images', () => {
  const images: ReviewedImage[] = [
    { file: 'cat/1.png', label: 'cat', sha256: '1', split: 'train' },
    { file: 'cat/2.png', label: 'cat', sha256: '2', split: 'test' },
    { file: 'dog/3.png', label: 'dog', sha256: '3', split: 'train' },
    { file: 'dog/4.png', label: 'dog', sha256: '4', split: 'test' },
    { file: 'dog/5.png', label: 'dog', sha256: '5', split: 'train' },
    { file: 'cat/6.png', label: 'cat', sha256: '6', split: 'val' },
    { file: 'cat/7.png', label: 'cat', sha256: '7', split: 'test' },
  ];
  const embeddings = Float32Array.from([1, 0, /**/ 1, 0.1, /**/ 0, 1, /**/ 0.6, 0.8, /**/ 0.6, 0.8, /**/ 0, 1, /**/ 0.7, -0.7]);
  // 1~2 and 4~5 are copies; 6 is a copy of 3 under another label; 7 is alone.
  const pictures = [picture(1), picture(1, 1, 1, 8), picture(3), picture(4), picture(4, -1, 1.05, 8), picture(3, 2, 1, 8), picture(7)];
  const probabilities = Float32Array.from([0.9, 0.1, /**/ 0.9, 0.1, /**/ 0.1, 0.9, /**/ 0.5, 0.5, /**/ 0.5, 0.5, /**/ 0.02, 0.98, /**/ 0.9, 0.1]);
  const testCorrect = new Map([
    ['cat/2.png', true],
    ['dog/4.png', false],
    ['cat/7.png', true],
  ]);
  const review = reviewDataset(
    { images, labels: ['cat', 'dog'], embeddings, pictures, probabilities, backbone: 'hog', testCorrect },
    { labelIssues: { minExamplesPerClass: 1, maxFraction: 1 } },
  );
  const byFile = (a: [string, string][], b: [string, string][]) => (a[0] < b[0] ? -1 : 1);
  assert.deepEqual(review.nearDuplicates.map((d) => [d.files, d.splits, d.crossSplit, d.crossLabel]).sort(byFile as never), [
    [['cat/1.png', 'cat/2.png'], ['train', 'test'], true, false],
    [['dog/3.png', 'cat/6.png'], ['train', 'val'], true, true],
    [['dog/4.png', 'dog/5.png'], ['test', 'train'], true, false],
  ]);
  // cat/2 and dog/4 have copies in train; without them only cat/7 is left, which the model got right.
  assert.deepEqual(review.leak, { testImages: 3, leakedTestImages: 2, accuracy: 2 / 3, accuracyWithoutLeaks: 1 });
  assert.deepEqual(
    leakImpact(
      images,
      [
        { a: 1, b: 6 },
        { a: 0, b: 2 },
      ],
      testCorrect,
    ),
    { testImages: 3, leakedTestImages: 0, accuracy: 2 / 3, accuracyWithoutLeaks: 2 / 3 },
    'test–test and train–train pairs are no leak',
  );
  assert.deepEqual(review.labelSuspects, [{ file: 'cat/6.png', label: 'cat', suggested: 'dog', confidence: 0.98, sha256: '6' }]);
  assert.match(review.method, /given label below 5% probability out of fold \(5-fold kernel ridge regression/);
  assert.equal(review.backbone, 'hog');
  assert.match(review.method, /correlating ≥ 0\.95 after the best shift of up to 2 px/);
  assert.equal(review.nearDuplicates.find((d) => d.files[0] === 'cat/1.png')!.embeddingSimilarity, 0.995, 'cosine of (1, 0) and (1, 0.1), rounded');
});
