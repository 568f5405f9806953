/**
 * The one rule for "better than", used by the bake-off, the hyperparameter round and
 * fine-tuning: higher validation accuracy; on a tie, the cheaper backbone (fewer parameters,
 * when the two differ); then the lower validation loss. On a small validation split
 * accuracies tie often and loss gaps are mostly noise, so a tie goes to the backbone that is
 * cheaper to run.
 */

export interface Score {
  valAccuracy: number;
  valLoss: number;
  /** Parameters of the backbone the score was reached with; equal (or absent) within one backbone. */
  backboneParams?: number;
}

/** Negative when `a` is better, positive when `b` is, 0 when they are alike: a sort comparator, best first. */
export function compareScores(a: Score, b: Score): number {
  return b.valAccuracy - a.valAccuracy || (a.backboneParams ?? 0) - (b.backboneParams ?? 0) || a.valLoss - b.valLoss;
}

export function isBetter(a: Score, b: Score): boolean {
  return compareScores(a, b) < 0;
}

/** A fitted head's validation score. */
export function scoreOf(fitted: { head: { valAccuracy: number; valLoss: number } }): Score {
  return { valAccuracy: fitted.head.valAccuracy, valLoss: fitted.head.valLoss };
}
