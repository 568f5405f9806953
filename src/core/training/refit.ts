/**
 * The final fit: once the bake-off and the hyperparameter round have chosen a backbone, a
 * config and a number of epochs on the validation split, the head is trained once more on
 * train + validation together: an Adam head for the chosen number of epochs, an L-BFGS head to
 * convergence (head.ts, retrainConfig). On small datasets the
 * validation split is a sixth of the labelled images; a model that learns from them too is
 * measurably better, and the test split stays untouched, so its figures remain honest.
 *
 * Only heads on cached embeddings are refitted (seconds). A network trained end to end (the
 * small CNN, a fine-tuned top block) would need a second full training; it is kept as it is.
 */
import { deriveSeed } from '../random.js';
import type { Tuning } from '../result.js';
import type { FittedModel, PreparedCandidate } from '../model/fitted.js';
import { retrainConfig, retrainTimeShare, trainHead, type Examples } from './head.js';

export type RefitDecision = NonNullable<Tuning['refit']>;

export interface RefitContext {
  numClasses: number;
  seed: number;
  /** Clock value by which the final fit must be done; it is skipped when it would not fit. */
  deadline: number;
  now: () => number;
}

export interface RefitOutcome {
  decision: RefitDecision;
  /** The head trained on train + validation, when it was. The caller owns it. */
  refitted?: FittedModel;
}

export function mergeExamples(a: Examples, b: Examples): Examples {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.rows + b.rows);
  y.set(a.y);
  y.set(b.y, a.rows);
  return { x, y, rows: a.rows + b.rows };
}

/**
 * What the final fit should take: the chosen head's own training time, scaled to the epochs
 * (retrainTimeShare) and rows of the final fit (`withViews`: the augmented views included, when there are any).
 */
export function estimateRefitMs(candidate: PreparedCandidate, chosen: FittedModel, withViews: boolean): number {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  const rows = candidate.train.rows + candidate.val.rows + (withViews ? (candidate.views?.rows ?? 0) : 0);
  return chosen.seconds * 1000 * retrainTimeShare(chosen.config, chosen.head) * (rows / trainedRows);
}

const iterations = (n: number) => `iteration${n === 1 ? '' : 's'}`;

export async function refitOnTrainAndVal(candidate: PreparedCandidate, chosen: FittedModel, ctx: RefitContext): Promise<RefitOutcome> {
  if (chosen.trunk) {
    const what = chosen.trunkRole === 'top' ? 'the fine-tuned top block' : 'the small CNN';
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: 'there is no validation split to add' } };
  // Augmented views of the training images (when they paid) stay in the final fit's rows, unless only a fit without them finishes in time.
  const left = ctx.deadline - ctx.now();
  const withViews = estimateRefitMs(candidate, chosen, true);
  const keepViews = Boolean(candidate.views) && withViews <= left;
  const estimateMs = keepViews ? withViews : estimateRefitMs(candidate, chosen, false);
  if (estimateMs > left) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1000)} s needed)` } };
  }
  const merged = mergeExamples(keepViews ? mergeExamples(candidate.train, candidate.views!) : candidate.train, candidate.val);
  const viewsLeftOut =
    candidate.views && !keepViews ? `; without the augmented views, which would not have finished in time (about ${Math.ceil(withViews / 1000)} s)` : '';
  const config = retrainConfig(chosen.config, chosen.head);
  const start = ctx.now();
  // The validation examples are in the training data now: their curve only shows progress.
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config,
    seed: deriveSeed(ctx.seed, 'refit'),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true,
  });
  // An L-BFGS fit that converges ends before its cap: only the deadline cuts a fit short.
  const ran = head.curve.length;
  if (head.stoppedByDeadline) {
    const progress = config.solver === 'lbfgs' ? `${ran} L-BFGS ${iterations(ran)}, before it converged` : `${ran} of ${config.epochs} epochs`;
    return { decision: { applied: false, reason: `the budget ran out after ${progress}; the chosen head was kept` } };
  }
  const refitted: FittedModel = { head, config, seconds: (ctx.now() - start) / 1000 };
  const how =
    config.solver === 'lbfgs'
      ? `by L-BFGS, ${ran < config.epochs ? `converged in ${ran} ${iterations(ran)}` : `stopped at its cap of ${ran} iterations`}`
      : `for the chosen ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`;
  return {
    decision: {
      applied: true,
      reason: `retrained on train + validation (${merged.rows} images) ${how}${viewsLeftOut}`,
      images: merged.rows,
      epochs: config.epochs,
    },
    refitted,
  };
}
