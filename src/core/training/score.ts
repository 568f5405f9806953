/**
 * Scores and how sure they are.
 *
 * The one rule for "better than" between two models on the same validation split, used by
 * the hyperparameter round and fine-tuning: higher validation accuracy; on a tie, the cheaper
 * backbone (fewer parameters, when the two differ); then the simpler head (fewer hidden
 * layers, then the stronger L2); then the lower validation loss. On a small validation split
 * accuracies tie often and loss gaps are mostly noise; the loss also rewards the head most
 * confident on images like the training ones, which is the one that transfers worst: on the
 * cross-source benchmark's features, a linear head with L2 1e-2 to 1e-1 scored 0.2–0.4 points
 * higher on the other source than with 1e-3, at the same in-domain accuracy. So a tie goes to
 * the backbone that is cheaper to run and the head that assumes less. (The bake-off's winner
 * is chosen on cross-validated estimates with these intervals instead: see selection.ts; and
 * the round's last word among heads that tie within noise is cross-validation: tuning-choice.ts.)
 *
 * Intervals: Wilson for a proportion of images (test accuracy, a validation score), a
 * t-interval for a mean over cross-validation folds.
 */
import type { HeadConfig } from '../result.js';

export interface Score {
  valAccuracy: number;
  valLoss: number;
  /** Parameters of the backbone the score was reached with; equal (or absent) within one backbone. */
  backboneParams?: number;
  /** The head's config, when known (a trial, a fitted model). */
  config?: Pick<HeadConfig, 'hiddenUnits' | 'weightDecay'>;
}

/** Negative when `a` is the simpler head: fewer hidden layers, then the stronger L2; 0 when either is unknown. */
export function compareHeads(a: Score['config'], b: Score['config']): number {
  if (!a || !b) return 0;
  return a.hiddenUnits.length - b.hiddenUnits.length || b.weightDecay - a.weightDecay;
}

/** Negative when `a` is better, positive when `b` is, 0 when they are alike: a sort comparator, best first. */
export function compareScores(a: Score, b: Score): number {
  return b.valAccuracy - a.valAccuracy || (a.backboneParams ?? 0) - (b.backboneParams ?? 0) || compareHeads(a.config, b.config) || a.valLoss - b.valLoss;
}

export function isBetter(a: Score, b: Score): boolean {
  return compareScores(a, b) < 0;
}

/** A fitted model's validation score, with its head's config. */
export function scoreOf(fitted: { head: { valAccuracy: number; valLoss: number }; config: HeadConfig }): Score {
  return { valAccuracy: fitted.head.valAccuracy, valLoss: fitted.head.valLoss, config: fitted.config };
}

/** A score with how sure it is: a mean and its 95% interval, and how the interval was made. */
export interface Estimate {
  mean: number;
  low: number;
  high: number;
  method: 't-interval' | 'wilson';
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959964;

/**
 * Wilson score interval (95%) for `successes` out of `trials`: unlike mean ± 1.96·se it stays
 * inside [0, 1] and is not zero-width at 0% or 100%, so "22 of 22 right" reads as [0.851, 1].
 */
export function wilsonInterval(successes: number, trials: number): Estimate {
  if (trials <= 0) return { mean: 0, low: 0, high: 1, method: 'wilson' };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { mean: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), method: 'wilson' };
}

/** Student t quantile 0.975 for 1..30 degrees of freedom; above 30, the normal 1.96 is close enough. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean of fold scores and its standard error (sample standard deviation over √n); at least two scores. */
export function meanAndStandardError(scores: readonly number[]): { mean: number; error: number } {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const variance = scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(variance / n) };
}

/**
 * Mean of fold scores with a 95% t-interval, clamped to [0, 1]. Folds share training
 * images, so the interval is, if anything, too narrow: it measures noise between folds, not
 * a guarantee on new data. Needs at least two folds.
 */
export function tInterval(scores: readonly number[]): Estimate {
  const n = scores.length;
  if (n < 2) throw new Error('a t-interval needs at least two fold scores');
  const { mean, error } = meanAndStandardError(scores);
  const half = (T975[n - 2] ?? Z95) * error;
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), method: 't-interval' };
}

/**
 * 95% interval of the difference between two accuracies measured on different images
 * (`a` minus `b`), from their Wilson intervals (Newcombe's hybrid score method): it stays
 * sensible at 0% and 100%, where a normal approximation collapses, so "22 of 22" against
 * "1,650 of 1,750" still has an honest width.
 */
export function differenceInterval(a: { successes: number; trials: number }, b: { successes: number; trials: number }): Estimate {
  const x = wilsonInterval(a.successes, a.trials);
  const y = wilsonInterval(b.successes, b.trials);
  const mean = x.mean - y.mean;
  return {
    mean,
    low: mean - Math.hypot(x.mean - x.low, y.high - y.mean),
    high: mean + Math.hypot(x.high - x.mean, y.mean - y.low),
    method: 'wilson',
  };
}
