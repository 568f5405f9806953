/**
 * The hyperparameter round's last word, for heads on embeddings: cross-validation among the
 * models that tie within noise on validation, then the one-standard-error rule.
 *
 * Successive halving ranks trials on one validation split. On a few hundred images many
 * heads land within noise of each other there, and among them the one that fits the
 * training images most closely tends to transfer worst (score.ts). So the models whose
 * validation accuracy lies inside the 95% Wilson interval of the best one are scored again on
 * the same k stratified folds of train + validation (the bake-off's folds), as far as time
 * allows. The simplest head (fewer hidden layers, then the stronger L2) whose mean is within
 * one standard error of the best mean wins: the one-standard-error rule of CART (Breiman et
 * al.) and of glmnet's lambda.1se, which trades a difference the folds cannot resolve for a
 * model that assumes less.
 */
import type { HeadConfig } from '../result.js';
import { headSettings } from './head-settings.js';
import type { FittedModel, PreparedCandidate } from './candidates.js';
import { retrainConfig } from './head.js';
import { mergeExamples } from './refit.js';
import { compareHeads, compareScores, meanAndStandardError, scoreOf, wilsonInterval } from './score.js';
import { DEFAULT_FOLDS, foldHeadMs, trainFolds } from './selection.js';

export const ONE_STANDARD_ERROR_RULE =
  'the simplest head within one standard error of the best cross-validated mean, among the heads within noise on validation';

/** A model in the running: a trial's (index ≥ 0) or the bake-off head (-1). */
export interface Contender {
  trial: number;
  model: FittedModel;
}

/** A contender's fold accuracies, all on the same folds. */
export interface FoldScores {
  trial: number;
  config: HeadConfig;
  folds: number[];
}

export interface ChoiceContext {
  numClasses: number;
  seed: number;
  /** Folds wanted; fewer when the data is tiny. Default 5. */
  folds?: number;
  /** Clock value by which the last contender's folds must be done. */
  deadline: number;
  now: () => number;
  /** Whether a contender whose folds are expected to take `ms` may still start (the final fit after it must fit too). */
  affords?: (ms: number, model: FittedModel) => boolean;
}

export type Choice = { chosen: number; folds: number; scores: FoldScores[]; reason: string } | { chosen?: undefined; note: string; scores: FoldScores[] };

const named = (trial: number) => (trial < 0 ? 'the bake-off head' : `trial ${trial + 1}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The contenders within noise on validation, best first by the one rule of score.ts: those
 * whose accuracy reaches the low end of the 95% Wilson interval of the best one's over
 * `valImages` images.
 */
export function withinValidationNoise(models: readonly Contender[], valImages: number): Contender[] {
  const ranked = [...models].sort((a, b) => compareScores(scoreOf(a.model), scoreOf(b.model)) || a.trial - b.trial);
  if (!ranked.length) return [];
  const best = ranked[0].model.head.valAccuracy;
  const floor = wilsonInterval(Math.round(best * valImages), valImages).low;
  return ranked.filter((c) => c.model.head.valAccuracy >= floor);
}

/**
 * The one-standard-error rule over contenders scored on the same folds (at least one, each
 * with two folds or more): the best mean less its standard error is the bar; of those that
 * reach it, the simplest head wins, then the higher mean, then the earlier in `scores`.
 */
export function oneStandardErrorPick(scores: readonly FoldScores[]): { chosen: FoldScores; best: FoldScores; bar: number } {
  if (!scores.length) throw new Error('oneStandardErrorPick needs at least one contender');
  const stats = new Map(scores.map((s) => [s, meanAndStandardError(s.folds)]));
  const mean = (s: FoldScores) => stats.get(s)!.mean;
  const best = scores.reduce((a, b) => (mean(b) > mean(a) ? b : a));
  const bar = mean(best) - stats.get(best)!.error;
  // A tiny tolerance so that a mean equal to the bar is not lost to rounding.
  const eligible = scores.filter((s) => mean(s) >= bar - 1e-12);
  // A stable sort: among equals, the earlier in `scores` stays first.
  const [chosen] = [...eligible].sort((a, b) => compareHeads(a.config, b.config) || mean(b) - mean(a));
  return { chosen, best, bar };
}

/**
 * Scores `contenders` (best first) on the same k folds of train + validation, each as its
 * final fit would train it (retrainConfig), while time allows, and picks by the
 * one-standard-error rule. Fewer than two contenders scored: no choice, and a note says why.
 */
export async function chooseByCrossValidation(candidate: PreparedCandidate, contenders: readonly Contender[], ctx: ChoiceContext): Promise<Choice> {
  const all = mergeExamples(candidate.train, candidate.val);
  const k = Math.min(ctx.folds ?? DEFAULT_FOLDS, Math.floor(all.rows / 2));
  const scores: FoldScores[] = [];
  if (contenders.length < 2) return { note: 'no other head was within noise of the best on validation', scores };
  if (k < 2) return { note: 'too few images to cross-validate', scores };
  for (const { trial, model } of contenders) {
    const expectedMs = foldHeadMs(candidate, model, all.rows, k) * k;
    if (ctx.now() + expectedMs >= ctx.deadline || (ctx.affords && !ctx.affords(expectedMs, model))) continue;
    const folds: number[] = [];
    const config = retrainConfig(model.config, model.head);
    // The bake-off's fold names and seed: every contender meets the same folds it did.
    const complete = await trainFolds(
      all,
      k,
      config,
      { numClasses: ctx.numClasses, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: 'cv' },
      ({ head }) => folds.push(head.curve.at(-1)!.valAccuracy),
    );
    if (!complete) break;
    scores.push({ trial, config: model.config, folds });
  }
  if (scores.length < 2) return { note: `time allowed cross-validating ${scores.length} of the ${contenders.length} heads within noise on validation`, scores };
  const { chosen, best, bar } = oneStandardErrorPick(scores);
  const m = (s: FoldScores) => meanAndStandardError(s.folds).mean;
  // The count covers the bake-off head too, which the trials table does not list: say so.
  const bakeOffToo = scores.some((s) => s.trial < 0) ? ', the bake-off head among them' : '';
  const setup =
    scores.length < contenders.length
      ? `${k}-fold cross-validation of ${scores.length} of the ${contenders.length} heads within noise of the best on validation${bakeOffToo} (time allowed no more)`
      : `${k}-fold cross-validation of the ${scores.length} heads within noise of the best on validation${bakeOffToo}`;
  const reason =
    chosen === best
      ? `${setup}: ${named(chosen.trial)} (${headSettings(chosen.config)}) has the best mean, ${pct(m(chosen))}, and no simpler head is within one standard error of it`
      : `${setup}: ${named(chosen.trial)} (${headSettings(chosen.config)}), ${pct(m(chosen))}, is the simplest head within one standard error of the best mean (${named(best.trial)}, ${pct(m(best))}; the bar is ${pct(bar)})`;
  return { chosen: chosen.trial, folds: k, scores, reason };
}
