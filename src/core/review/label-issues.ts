/**
 * Label-error suspects from out-of-fold predicted probabilities (Northcutt et al., "Confident
 * Learning", JAIR 2021; cleanlab's `find_label_issues`). The caller owns cross-validation:
 * this function takes out-of-fold probabilities and states its rule and thresholds as
 * parameters.
 *
 * Two rules (`filterBy`):
 * - 'low_self_confidence' (default): the out-of-fold probability of the given label is below
 *   `maxSelfConfidence`, and another label is the most probable one. With calibrated
 *   probabilities (out-of-fold.ts fits a temperature) this reads "the model gives the given
 *   label less than a 5% chance", and the list is as long as the data makes it: short on clean
 *   data, longer with more errors.
 * - 'confident_learning': the confident joint's off-diagonal. The threshold of class j is the
 *   mean probability of j on the images labelled j; an image labelled i is counted at (i, j)
 *   for its most probable class among those reaching their threshold; j ≠ i makes it a suspect.
 *   On look-alike classes the model's own confusions land off the diagonal too (Fashion-MNIST
 *   shirts and t-shirts), so it lists about two clean images per mislabelled one there.
 * The suggested label is the most probable other label; suspects are ranked, and capped at
 * `maxFraction` of the images.
 */

export interface LabelIssueOptions {
  /** The rule, see above. Default 'low_self_confidence'. */
  filterBy?: 'low_self_confidence' | 'confident_learning';
  /** 'low_self_confidence': largest out-of-fold probability of the given label that is suspect. Default 0.05. */
  maxSelfConfidence?: number;
  /**
   * How suspects are ranked, most suspicious first: 'self_confidence' (lowest probability of
   * the given label), or 'normalized_margin' (largest lead of the best other label over it).
   * Default 'self_confidence'.
   */
  rankBy?: 'self_confidence' | 'normalized_margin';
  /** At most this fraction of all images is returned (the lowest ranked are cut). Default 0.1. */
  maxFraction?: number;
  /** Classes with fewer labelled images than this get no suspects (their probabilities are noise). Default 5. */
  minExamplesPerClass?: number;
}

export interface LabelIssue {
  /** Row of the image in the inputs. */
  index: number;
  given: number;
  suggested: number;
  /** Out-of-fold probability of the suggested label. */
  confidence: number;
  /** Out-of-fold probability of the given label. */
  selfConfidence: number;
}

export const LABEL_ISSUE_DEFAULTS = {
  filterBy: 'low_self_confidence',
  maxSelfConfidence: 0.05,
  rankBy: 'self_confidence',
  maxFraction: 0.1,
  minExamplesPerClass: 5,
} as const;

/**
 * Label issues from out-of-fold probabilities `probabilities` (rows × classes, row-major) and
 * the given labels, most suspicious first.
 */
export function findLabelIssues(labels: Int32Array, probabilities: Float32Array, numClasses: number, options: LabelIssueOptions = {}): LabelIssue[] {
  const { filterBy, maxSelfConfidence, rankBy, maxFraction, minExamplesPerClass } = { ...LABEL_ISSUE_DEFAULTS, ...options };
  const rows = labels.length;
  if (probabilities.length !== rows * numClasses)
    throw new Error(`findLabelIssues: ${probabilities.length} probabilities for ${rows} images × ${numClasses} classes`);
  const thresholds = classThresholds(labels, probabilities, numClasses);
  const counts = new Int32Array(numClasses);
  for (const y of labels) counts[y]++;

  const issues: LabelIssue[] = [];
  for (let r = 0; r < rows; r++) {
    const given = labels[r];
    if (counts[given] < minExamplesPerClass) continue;
    const p = probabilities.subarray(r * numClasses, (r + 1) * numClasses);
    let other = -1;
    for (let j = 0; j < numClasses; j++) if (j !== given && (other < 0 || p[j] > p[other])) other = j;
    if (other < 0) continue;
    if (filterBy === 'low_self_confidence') {
      if (p[given] < maxSelfConfidence && p[other] > p[given])
        issues.push({ index: r, given, suggested: other, confidence: p[other], selfConfidence: p[given] });
    } else {
      let assigned = -1;
      for (let j = 0; j < numClasses; j++) if (p[j] >= thresholds[j] && (assigned < 0 || p[j] > p[assigned])) assigned = j;
      if (assigned >= 0 && assigned !== given) issues.push({ index: r, given, suggested: assigned, confidence: p[assigned], selfConfidence: p[given] });
    }
  }
  const score = rankBy === 'self_confidence' ? (i: LabelIssue) => i.selfConfidence : (i: LabelIssue) => i.selfConfidence - i.confidence;
  issues.sort((a, b) => score(a) - score(b) || a.index - b.index);
  return issues.slice(0, Math.floor(rows * maxFraction));
}

/** Per class: the mean out-of-fold probability of the class on the images labelled with it. */
export function classThresholds(labels: Int32Array, probabilities: Float32Array, numClasses: number): Float64Array {
  const sums = new Float64Array(numClasses);
  const counts = new Float64Array(numClasses);
  labels.forEach((y, r) => {
    sums[y] += probabilities[r * numClasses + y];
    counts[y]++;
  });
  // A class with no images can never be suggested.
  return sums.map((s, j) => (counts[j] > 0 ? s / counts[j] : Infinity));
}
