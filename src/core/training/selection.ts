/**
 * Choosing the bake-off's winner so that it holds up on new data.
 *
 * A single validation split of a few hundred images is noisy and rewards features that
 * memorise style, so each head on cached embeddings is scored by stratified k-fold
 * cross-validation over train + validation (heads train in seconds). The from-scratch CNN
 * cannot be cross-validated cheaply: it keeps its one validation score, with a Wilson
 * interval over the validation images.
 *
 * The pick (selectCandidate) is one rule with its parameters: every candidate whose mean is
 * inside the 95% interval of the best mean is "not worse within noise"; among those, a
 * stated prior decides (pretrained at native resolution, then pretrained below it, then
 * hand-made features, then from scratch), then the cheaper backbone, then the higher mean.
 */
import { BUILTIN_BACKBONES, SMALL_CNN, type BackboneSpec } from '../backbones/zoo.js';
import { HOG } from '../backbones/hog.js';
import { deriveSeed } from '../random.js';
import { stratifiedFolds } from './folds.js';
import type { Candidate, HeadConfig } from '../result.js';
import type { FittedModel, PreparedCandidate } from './candidates.js';
import { retrainConfig, retrainTimeShare, trainHead, type Examples, type TrainedHead } from './head.js';
import { mergeExamples } from './refit.js';
import { tInterval, wilsonInterval, type Estimate } from './score.js';

export { stratifiedFolds } from './folds.js';

/** Kinds of candidate, most trusted to transfer first. */
export type PriorTier = 'pretrained-native' | 'pretrained-below-native' | 'hand-made' | 'from-scratch';

export const TRANSFER_PRIOR: readonly PriorTier[] = ['pretrained-native', 'pretrained-below-native', 'hand-made', 'from-scratch'];

const TIER_WORDS: Record<PriorTier, string> = {
  'pretrained-native': 'pretrained at its native resolution',
  'pretrained-below-native': 'pretrained, below its native resolution',
  'hand-made': 'hand-made features',
  'from-scratch': 'trained from scratch',
};

/** Where a backbone sits in the prior. User backbones count as native: their size is the user's choice. */
export function priorTierOf(spec: BackboneSpec): PriorTier {
  if (spec.source === SMALL_CNN) return 'from-scratch';
  if (spec.source === HOG) return 'hand-made';
  const builtin = spec.builtin ? BUILTIN_BACKBONES[spec.source] : undefined;
  return builtin && spec.inputSize < builtin.defaultSize ? 'pretrained-below-native' : 'pretrained-native';
}

export interface SelectionEntry {
  id: string;
  displayName: string;
  tier: PriorTier;
  /** Backbone parameters: among equals in the prior, the cheaper wins. */
  cost: number;
  /** Accuracy per cross-validation fold, or (when it was not cross-validated) hits on the validation images. */
  scores: { folds: number[] } | { correct: number; images: number };
}

export interface SelectionRule {
  /** Named in result.json and the report. */
  name: string;
  /** Preference among candidates that are not worse within noise, first = preferred. */
  prior: readonly PriorTier[];
  /** Extra slack below the best candidate's interval (accuracy points as a fraction). Default 0. */
  tolerance: number;
}

export const WITHIN_NOISE_RULE: SelectionRule = {
  name: 'prior among candidates within the 95% interval of the best mean',
  prior: TRANSFER_PRIOR,
  tolerance: 0,
};

export interface Selection {
  winner: string;
  runnerUp: string | null;
  /** One or two sentences: why the winner, against whom. */
  reason: string;
  /** Every candidate's estimate, by id. */
  estimates: Map<string, Estimate>;
  /** Ids not worse than the best within noise, in the order of the rule. */
  contenders: string[];
}

/** Fold scores → t-interval (two folds or more); validation hits → Wilson interval. */
export function estimateOf(scores: SelectionEntry['scores']): Estimate {
  return 'folds' in scores ? tInterval(scores.folds) : wilsonInterval(scores.correct, scores.images);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const described = (e: Estimate) => `${pct(e.mean)} [${pct(e.low)}–${pct(e.high)}]`;

/**
 * Picks the winner among `entries` (at least one) by `rule`: the best mean sets the noise
 * band (its interval's low end, less `rule.tolerance`); candidates whose mean reaches the band
 * are ordered by the prior, then cost, then mean, and the first wins. A candidate clearly
 * better than all others wins whatever its kind.
 */
export function selectCandidate(entries: readonly SelectionEntry[], rule: SelectionRule = WITHIN_NOISE_RULE): Selection {
  if (!entries.length) throw new Error('selectCandidate needs at least one candidate');
  const estimates = new Map(entries.map((e) => [e.id, estimateOf(e.scores)]));
  const est = (e: SelectionEntry) => estimates.get(e.id)!;
  const rank = (e: SelectionEntry) => {
    const i = rule.prior.indexOf(e.tier);
    return i < 0 ? rule.prior.length : i;
  };
  const byPrior = (a: SelectionEntry, b: SelectionEntry) => rank(a) - rank(b) || a.cost - b.cost || est(b).mean - est(a).mean;
  const best = [...entries].sort((a, b) => est(b).mean - est(a).mean || byPrior(a, b))[0];
  const floor = est(best).low - rule.tolerance;
  const contenders = entries.filter((e) => est(e).mean >= floor).sort(byPrior);
  const others = entries.filter((e) => est(e).mean < floor).sort((a, b) => est(b).mean - est(a).mean);
  const order = [...contenders, ...others];
  const winner = order[0];
  const runnerUp = order[1] ?? null;
  let reason: string;
  if (winner === best) {
    reason =
      contenders.length > 1
        ? `${winner.displayName} has the best estimate, ${described(est(winner))}; ${contenders.length - 1} other candidate${contenders.length > 2 ? 's are' : ' is'} within its interval, none preferred by the prior.`
        : `${winner.displayName} has the best estimate, ${described(est(winner))}, and is the only candidate within its interval.`;
  } else {
    reason = `${winner.displayName} (${TIER_WORDS[winner.tier]}), ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}), and the prior prefers ${TIER_WORDS[winner.tier]} over ${TIER_WORDS[best.tier]}.`;
    if (winner.tier === best.tier)
      reason = `${winner.displayName}, ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}) and is the cheaper backbone.`;
  }
  return { winner: winner.id, runnerUp: runnerUp?.id ?? null, reason, estimates, contenders: contenders.map((e) => e.id) };
}

/** The rows of `examples` that `keep` accepts, in order. */
function rowsWhere(examples: Examples, keep: (row: number) => boolean): Examples {
  const dim = examples.x.length / Math.max(1, examples.rows);
  const rows: number[] = [];
  for (let r = 0; r < examples.rows; r++) if (keep(r)) rows.push(r);
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(examples.x.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, y: Int32Array.from(rows, (r) => examples.y[r]), rows: rows.length };
}

export const DEFAULT_FOLDS = 5;

export interface CrossValidationContext {
  numClasses: number;
  seed: number;
  /** Folds wanted. Default 5. Fewer run when time is short; fewer than 2 means no cross-validation. */
  folds?: number;
  /** Clock value by which cross-validation must be done. */
  deadline: number;
  now: () => number;
}

export interface CrossValidation {
  /** Accuracy on each held-out fold that ran; empty when none could. */
  scores: number[];
  /** Folds asked for. */
  planned: number;
  /** Why fewer folds than planned ran (or none), when they did. */
  note?: string;
}

/**
 * k-fold cross-validation of a head on a frozen candidate's cached embeddings, over train +
 * validation. Each fold trains the candidate's config as a retrain would (retrainConfig: Adam
 * for the epochs the candidate's own fit chose, with no early stopping on the held-out fold,
 * which would peek at it; L-BFGS to convergence). The number of folds is cut to
 * what the time left allows, from the candidate's own training time.
 */
export async function crossValidate(candidate: PreparedCandidate, fitted: FittedModel, ctx: CrossValidationContext): Promise<CrossValidation> {
  const planned = ctx.folds ?? DEFAULT_FOLDS;
  const all = mergeExamples(candidate.train, candidate.val);
  const perFoldMs = foldHeadMs(candidate, fitted, all.rows, planned);
  const affordable = Math.floor((ctx.deadline - ctx.now()) / Math.max(1, perFoldMs));
  // Each fold needs a few images of its own to score on.
  const k = Math.min(planned, affordable, Math.floor(all.rows / 2));
  if (k < 2) {
    return {
      scores: [],
      planned,
      note:
        all.rows < 4 ? 'too few images to cross-validate' : `no time left to cross-validate (about ${Math.ceil((2 * perFoldMs) / 1000)} s needed for 2 folds)`,
    };
  }
  const scores: number[] = [];
  // A fold cut short by the deadline would understate the candidate: it is left out.
  await trainFolds(all, k, retrainConfig(fitted.config, fitted.head), { ...ctx, name: 'cv' }, ({ head }) => scores.push(head.curve.at(-1)!.valAccuracy));
  if (scores.length < 2) return { scores: [], planned, note: `the bake-off's time ran out after ${scores.length} fold${scores.length === 1 ? '' : 's'}` };
  const note = scores.length < planned ? `${scores.length} of ${planned} folds: the bake-off's time is short` : undefined;
  return { scores, planned, ...(note ? { note } : {}) };
}

/**
 * What one fold's head should take: the fitted head's own training time (on its training rows
 * and any augmented views), scaled by retrainTimeShare and to a fold's share of `rows`.
 */
export function foldHeadMs(candidate: PreparedCandidate, fitted: FittedModel, rows: number, k: number): number {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  return (fitted.seconds * 1000 * retrainTimeShare(fitted.config, fitted.head) * (rows * (1 - 1 / k))) / trainedRows;
}

/**
 * One head per stratified fold of `all`, each trained on the other folds with `config` for
 * exactly its epochs (no early stopping on the held-out fold, which would peek at it). `name`
 * seeds the folds and the heads. Each finished fold goes to `onFold` with its held-out rows
 * (indices into `all`); a fold the deadline cuts short ends the loop, and false is returned.
 */
export async function trainFolds(
  all: Examples,
  k: number,
  config: HeadConfig,
  ctx: { numClasses: number; seed: number; deadline: number; now: () => number; name: string },
  onFold: (fold: { heldOut: Examples; rows: number[]; head: TrainedHead }) => void,
): Promise<boolean> {
  const folds = stratifiedFolds(all.y, k, deriveSeed(ctx.seed, `${ctx.name}-folds`));
  for (let fold = 0; fold < k; fold++) {
    const heldOut = rowsWhere(all, (r) => folds[r] === fold);
    const head = await trainHead(
      rowsWhere(all, (r) => folds[r] !== fold),
      heldOut,
      { numClasses: ctx.numClasses, config, seed: deriveSeed(ctx.seed, `${ctx.name}-fold-${fold}`), deadline: ctx.deadline, now: ctx.now, keepLastEpoch: true },
    );
    if (head.stoppedByDeadline) return false;
    onFold({ heldOut, rows: [...folds.keys()].filter((r) => folds[r] === fold), head });
  }
  return true;
}

export interface CandidateScore {
  /** What selectCandidate weighs. */
  scores: SelectionEntry['scores'];
  /** The candidate's `cv` in result.json. */
  cv: NonNullable<Candidate['cv']>;
}

/**
 * A trained candidate's estimate for selection: cross-validated when it is a head on
 * embeddings and time allows two folds or more; otherwise its validation accuracy with a
 * Wilson interval over the validation images, and a note saying why.
 */
export async function scoreCandidate(candidate: PreparedCandidate, fitted: FittedModel, ctx: CrossValidationContext): Promise<CandidateScore> {
  const cv: CrossValidation =
    candidate.kind === 'frozen'
      ? // The candidate has trained: a failed extra measurement falls back to its validation score rather than losing it.
        await crossValidate(candidate, fitted, ctx).catch((error: unknown) => ({
          scores: [],
          planned: ctx.folds ?? DEFAULT_FOLDS,
          note: `cross-validation failed (${error instanceof Error ? error.message : String(error)})`,
        }))
      : { scores: [], planned: 0, note: 'trained end to end, too slow to cross-validate: its validation score, with a Wilson interval' };
  if (cv.scores.length >= 2) {
    const scores = { folds: cv.scores };
    return { scores, cv: { folds: cv.scores.length, ...estimateOf(scores), ...(cv.note ? { note: cv.note } : {}) } };
  }
  const scores = { correct: Math.round(fitted.head.valAccuracy * candidate.val.rows), images: candidate.val.rows };
  return { scores, cv: { folds: 0, ...estimateOf(scores), note: cv.note ?? 'not cross-validated' } };
}
