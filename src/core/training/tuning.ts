/**
 * The hyperparameter round on the bake-off winner: successive halving over seeded random
 * proposals. Trial 0 follows the seed rule (for Adam half the learning rate and twice the
 * batch; for a linear head fitted by L-BFGS, ten times the L2); for such a head the next two
 * walk its L2 path (a hundred times, a tenth of it), cheap fits that the choice below needs.
 * The rest are drawn from the search space, where linear heads are fitted by L-BFGS and
 * deeper ones by Adam, and none repeats a head the round already has (planRound). Rung 0
 * trains everyone briefly (an L-BFGS head, cheap, to convergence); the best third of the Adam
 * heads go on with the full epoch budget. The bake-off's own head stays in the running.
 *
 * The choice: by the one rule of score.ts on validation; or, with `crossValidate` (heads on
 * embeddings), by cross-validation among the models within noise of the best on validation
 * and the one-standard-error rule (tuning-choice.ts), time allowing.
 *
 * A CNN trained from scratch is expensive and rarely converged after its bake-off share of
 * the budget, so for it trial 0 continues the bake-off's network under the seed rule (in
 * effect a learning-rate decay) with the full epoch budget, before any new proposal.
 */
import { createRng, deriveSeed } from '../random.js';
import type { Logger } from '../ports.js';
import type { HeadConfig, Trial, Tuning } from '../result.js';
import { disposeFitted, fit, type FittedModel, type PreparedCandidate } from './candidates.js';
import { LBFGS_MAX_ITERATIONS } from './linear-solver.js';
import { compareScores, isBetter, scoreOf, tInterval } from './score.js';
import { DEFAULT_FOLDS, foldHeadMs } from './selection.js';
import { headSettings } from './head-settings.js';
import { chooseByCrossValidation, ONE_STANDARD_ERROR_RULE, withinValidationNoise, type Contender } from './tuning-choice.js';

export interface TuningContext {
  numClasses: number;
  maxTrials: number;
  maxEpochs: number;
  seed: number;
  deadline: number;
  now: () => number;
  log: Logger;
  /**
   * When a final fit of the chosen model follows: the clock value it must end by, and what it
   * would take for a model (training/refit.ts, with its margin). A trial starts only when it
   * and the final fit after it are expected to end in time (affordsTrial): a bigger config
   * that wins late can need far more than the share planned from the bake-off head.
   */
  finalFit?: { end: number; estimateMs: (model: FittedModel) => number };
  /**
   * Choose among the models within noise on validation by cross-validation (heads on
   * embeddings only), keeping time for it before each trial. Default: by validation alone.
   */
  crossValidate?: boolean;
}

export interface TuningOutcome {
  trials: Trial[];
  /** Index into trials of the best, or -1 when the bake-off head stayed best. */
  bestTrial: number;
  best: FittedModel;
  /** How the trials were proposed, in words. */
  strategy: string;
  /** How the best was chosen, when cross-validation had its say (or why it could not). */
  choice?: NonNullable<Tuning['choice']>;
}

const pick = <T>(items: readonly T[], rng: () => number): T => items[Math.floor(rng() * items.length)];
const logUniform = (low: number, high: number, rng: () => number) => Math.exp(Math.log(low) + rng() * (Math.log(high) - Math.log(low)));
const round3 = (x: number) => Number(x.toPrecision(3));

export function seedRule(base: HeadConfig): HeadConfig {
  // L-BFGS has no learning rate or batch: its neighbour is a stronger L2 (from 0, a light one).
  if (base.solver === 'lbfgs') return { ...base, weightDecay: round3(base.weightDecay ? base.weightDecay * 10 : 1e-3) };
  return { ...base, learningRate: round3(base.learningRate / 2), batchSize: base.batchSize * 2 };
}

/**
 * For a linear head fitted by L-BFGS, the two steps of its L2 path after the seed rule's: a
 * hundred times the L2 and a tenth of it (from no L2: 1e-2 and 1e-4). Nothing for Adam heads.
 * From the ensemble's 3e-2 that tries 3, which never wins; trying 1e-1 instead was measured
 * worse: the one-standard-error rule then chose 1e-1, and Fashion-MNIST fell from 86.05% to
 * 85.36% (BENCHMARKS.md, 2026-12-03 23:17 UTC).
 */
export function l2Path(base: HeadConfig): HeadConfig[] {
  if (base.solver !== 'lbfgs') return [];
  const steps = base.weightDecay ? [base.weightDecay * 100, base.weightDecay / 10] : [1e-2, 1e-4];
  return steps.map((weightDecay) => ({ ...base, weightDecay: round3(weightDecay) }));
}

/**
 * For a head on embeddings scaled feature by feature, the same head with one scale for all
 * features (HeadConfig.scaling): on the last block of a network trained for another task,
 * per-feature scaling blows up channels nearly silent on the training images, and one scale
 * lifted the cross-source benchmark's plain MobileNetV2 head by about 4 points (offline, 5-fold
 * cross-validation agreeing); on middle depths it lost about 1 point, and cross-validation
 * said so too. Nothing for a head already on one scale.
 */
export function globalScaling(base: HeadConfig): HeadConfig[] {
  return base.scaling === 'global' ? [] : [{ ...base, scaling: 'global' }];
}

/** A random config from the search space; `maxEpochs` (--epochs) is the budget of an Adam head on embeddings. */
export function proposeConfig(base: HeadConfig, kind: 'frozen' | 'scratch', maxEpochs: number, rng: () => number): HeadConfig {
  const config: HeadConfig = {
    solver: 'adam',
    learningRate: round3(logUniform(kind === 'frozen' ? 1e-4 : 3e-4, kind === 'frozen' ? 1e-2 : 5e-3, rng)),
    batchSize: pick([16, 32, 64, 128], rng),
    hiddenUnits: pick(kind === 'frozen' ? [[], [], [128], [256], [512], [256, 128]] : [[], [64], [128], [256]], rng),
    dropout: pick([0, 0.1, 0.2, 0.3, 0.5], rng),
    weightDecay: pick([0, 1e-5, 1e-4, 1e-3, 1e-2], rng),
    labelSmoothing: pick([0, 0, 0.05, 0.1], rng),
    ...(base.scaling ? { scaling: base.scaling } : {}),
    ...(base.schedule ? { schedule: base.schedule } : {}),
    // The small CNN keeps its bake-off budget; a head on embeddings gets --epochs (its bake-off head's cap counts L-BFGS iterations).
    epochs: kind === 'scratch' ? base.epochs : maxEpochs,
  };
  // A linear head on embeddings is fitted to convergence (training/linear-solver.ts), over a wider range of L2.
  if (kind === 'frozen' && config.hiddenUnits.length === 0)
    return { ...config, solver: 'lbfgs', weightDecay: pick([1e-4, 1e-3, 1e-2, 1e-1], rng), epochs: LBFGS_MAX_ITERATIONS };
  return config;
}

/** What a trial about to start is expected to cost: its own training, and its final fit should it win. */
export interface TrialCost {
  trialMs: number;
  finalFitMs: number;
}

/**
 * Whether a trial may start at `now`: the final fit must still end by `end` after it, whichever
 * model is best then (the best so far, whose final fit is `bestFinalFitMs`, or this trial's).
 */
export function affordsTrial(now: number, end: number, bestFinalFitMs: number, cost: TrialCost): boolean {
  return now + cost.trialMs + Math.max(bestFinalFitMs, cost.finalFitMs) < end;
}

/** Draws for one random proposal before the search space counts as used up. */
const DRAWS_PER_PROPOSAL = 50;

export interface RoundPlan {
  configs: HeadConfig[];
  /** How many of the first configs each rule made, in order: the seed rule's one first. */
  byRule: { count: number; words: string }[];
}

/**
 * The round's configs: the seed rule, then (heads on embeddings) the L2 path and one scale,
 * then random proposals, none of them a head the round already has, the bake-off's included.
 * Two configs that differ only in settings their solver ignores (an L-BFGS head's learning
 * rate) train the same head, so a repeat would be a trial wasted. Fewer than `maxTrials` when
 * the draws keep finding heads already in the round.
 */
export function planRound(base: HeadConfig, kind: 'frozen' | 'scratch', maxTrials: number, maxEpochs: number, rng: () => number): RoundPlan {
  const byRule = [
    { configs: [seedRule(base)], words: 'by the seed rule' },
    { configs: kind === 'frozen' ? l2Path(base) : [], words: 'on the L2 path' },
    { configs: kind === 'frozen' ? globalScaling(base) : [], words: 'with one scale for all features' },
  ];
  const configs = byRule.flatMap((rule) => rule.configs).slice(0, Math.max(1, maxTrials));
  const seen = new Set([base, ...configs].map(headSettings));
  while (configs.length < maxTrials) {
    let fresh: HeadConfig | undefined;
    for (let draw = 0; draw < DRAWS_PER_PROPOSAL && !fresh; draw++) {
      const proposal = proposeConfig(base, kind, maxEpochs, rng);
      const head = headSettings(proposal);
      if (!seen.has(head)) {
        seen.add(head);
        fresh = proposal;
      }
    }
    if (!fresh) break;
    configs.push(fresh);
  }
  return { configs, byRule: byRule.map((rule) => ({ count: rule.configs.length, words: rule.words })) };
}

export async function runTuning(candidate: PreparedCandidate, bakeOff: FittedModel, ctx: TuningContext): Promise<TuningOutcome> {
  const rng = createRng(deriveSeed(ctx.seed, 'tuning'));
  const plan = planRound(bakeOff.config, candidate.kind, ctx.maxTrials, ctx.maxEpochs, rng);
  const { configs } = plan;

  const rung0Epochs = Math.max(5, Math.ceil(ctx.maxEpochs / 3));
  const trials: Trial[] = [];
  const fitted: (FittedModel | undefined)[] = [];
  const crossValidates = ctx.crossValidate === true && candidate.kind === 'frozen';
  // With cross-validation to come, the model behind each trial's record (heads on embeddings own no tensors).
  const recorded: FittedModel[] = [];
  let best: { fitted: FittedModel; trial: number } = { fitted: bakeOff, trial: -1 };

  const consider = (model: FittedModel, trial: number) => {
    if (isBetter(scoreOf(model), scoreOf(best.fitted))) {
      if (best.trial >= 0) disposeFitted(best.fitted);
      best = { fitted: model, trial };
      return true;
    }
    return false;
  };

  const continues = candidate.kind === 'scratch';
  const runTrial = async (index: number, config: HeadConfig, rung: number, status: Trial['status']) => {
    const warmStart = continues && index === 0 ? bakeOff : undefined;
    const model = await fit(candidate, config, {
      numClasses: ctx.numClasses,
      seed: deriveSeed(ctx.seed, `trial-${index}`),
      deadline: ctx.deadline,
      now: ctx.now,
      warmStart,
    });
    const previous = trials[index];
    const seconds = model.seconds + (previous?.seconds ?? 0);
    // A trial that ran in both rungs is recorded by its better run: the one the round may have chosen.
    const keepsPrevious = previous && !isBetter(scoreOf(model), previous);
    if (crossValidates && !keepsPrevious) recorded[index] = model;
    trials[index] = keepsPrevious
      ? { ...previous, seconds }
      : {
          index,
          config,
          valAccuracy: model.head.valAccuracy,
          valLoss: model.head.valLoss,
          epochs: model.head.curve.length,
          seconds,
          rung,
          status,
          curve: model.head.curve,
        };
    ctx.log.info(
      `Trial ${index + 1}${rung ? ` (rung ${rung})` : ''}: validation accuracy ${(model.head.valAccuracy * 100).toFixed(1)}% — ${headSettings(config)}`,
    );
    return model;
  };

  const all = candidate.train.rows + candidate.val.rows;
  /** The models in the running: the bake-off head and each trial's recorded model. */
  const contenders = (): Contender[] => [{ trial: -1, model: bakeOff }, ...recorded.flatMap((model, trial) => (model ? [{ trial, model }] : []))];
  /** What cross-validating the models within noise on validation would take now; 0 without it. */
  const choiceMs = () =>
    crossValidates
      ? withinValidationNoise(contenders(), candidate.val.rows).reduce((ms, c) => ms + foldHeadMs(candidate, c.model, all, DEFAULT_FOLDS) * DEFAULT_FOLDS, 0)
      : 0;
  /**
   * Whether a trial expected to cost `cost` may start: before the round's deadline, with the
   * final fit still affordable after it; with cross-validation to come, the trial and that
   * choice must both end by the deadline too.
   */
  const mayStart = (cost: TrialCost) => {
    const now = ctx.now();
    const reserved = { ...cost, trialMs: cost.trialMs + choiceMs() };
    if (now >= ctx.deadline || (crossValidates && now + reserved.trialMs >= ctx.deadline)) return false;
    return !ctx.finalFit || affordsTrial(now, ctx.finalFit.end, ctx.finalFit.estimateMs(best.fitted), reserved);
  };
  /** What a model cost to train, and what its final fit would take; `scale` for the same config trained longer. */
  const costOf = (model: FittedModel, scale = 1): TrialCost => ({
    trialMs: model.seconds * 1000 * scale,
    finalFitMs: (ctx.finalFit?.estimateMs(model) ?? 0) * scale,
  });

  // A continued CNN trains its full epoch budget in rung 0, and an L-BFGS head to convergence: neither runs again in rung 1.
  const runsOnce = (i: number) => (continues && i === 0) || configs[i].solver === 'lbfgs';
  // Rung 0: everyone, briefly. The next trial is expected to cost as much as the dearest so far.
  let dearest: TrialCost = { trialMs: 0, finalFitMs: 0 };
  for (let i = 0; i < configs.length && mayStart(dearest); i++) {
    const epochs = runsOnce(i) ? configs[i].epochs : Math.min(rung0Epochs, configs[i].epochs);
    const model = await runTrial(i, { ...configs[i], epochs }, 0, i === 0 ? 'seed' : 'completed');
    fitted[i] = model;
    const cost = costOf(model);
    dearest = { trialMs: Math.max(dearest.trialMs, cost.trialMs), finalFitMs: Math.max(dearest.finalFitMs, cost.finalFitMs) };
    ctx.log.progress('Hyperparameter round', i + 1, configs.length);
  }
  // Rung 1: the best third, with the full epoch budget.
  const ran = trials.filter(Boolean);
  const survivors = [...ran].sort(compareScores).slice(0, Math.max(1, Math.ceil(ran.length / 3)));
  const promoted = new Set(survivors.map((t) => t.index));
  for (const trial of ran) {
    // A trial that runs once has nothing left to prune: it keeps its status.
    if (!promoted.has(trial.index) && trial.status !== 'seed' && !runsOnce(trial.index)) trial.status = 'pruned';
  }
  // Rung-0 models compete too (a short run can be the best one).
  for (const trial of ran) {
    if (!consider(fitted[trial.index]!, trial.index)) disposeFitted(fitted[trial.index]);
  }
  if (rung0Epochs < ctx.maxEpochs) {
    for (const trial of survivors) {
      if (runsOnce(trial.index)) continue;
      // Rung 1 trains the same config for up to maxEpochs instead of rung0Epochs (its final fit likewise, at most).
      if (!mayStart(costOf(fitted[trial.index]!, ctx.maxEpochs / rung0Epochs))) break;
      const model = await runTrial(trial.index, configs[trial.index], 1, trial.status);
      if (!consider(model, trial.index)) disposeFitted(model);
    }
  }
  // Rung 1 updated the promoted trials' records: return those, not the rung-0 list.
  const recordedTrials = trials.filter(Boolean);
  const n = recordedTrials.length;
  // The trials made by rule, as far as they ran: "trial 1 by the seed rule, 2–3 on the L2 path, 4 with …".
  const rules: string[] = [];
  let next = 1;
  for (const { count, words } of plan.byRule) {
    const ran = Math.min(count, n - next + 1);
    if (ran > 0) rules.push(`${next === 1 ? 'trial ' : ''}${ran > 1 ? `${next}–${next + ran - 1}` : next} ${words}`);
    next += Math.max(0, ran);
  }
  const outcome: TuningOutcome = {
    trials: recordedTrials,
    bestTrial: best.trial,
    best: best.fitted,
    strategy: `successive halving over ${n} seeded proposals; ${rules.join(', ')}`,
  };
  return crossValidates ? chooseAmongTies(candidate, outcome, contenders(), ctx) : outcome;
}

/**
 * The round's choice by cross-validation (tuning-choice.ts) among the contenders within noise
 * on validation. Each cross-validated trial's record gets its estimate; when fewer than two
 * could be scored, the validation choice stands and the note says why.
 */
async function chooseAmongTies(candidate: PreparedCandidate, outcome: TuningOutcome, contenders: Contender[], ctx: TuningContext): Promise<TuningOutcome> {
  const tied = withinValidationNoise(contenders, candidate.val.rows);
  const choice = await chooseByCrossValidation(candidate, tied, {
    numClasses: ctx.numClasses,
    seed: ctx.seed,
    deadline: ctx.deadline,
    now: ctx.now,
    ...(ctx.finalFit
      ? {
          affords: (ms: number, model: FittedModel) =>
            affordsTrial(ctx.now(), ctx.finalFit!.end, 0, { trialMs: ms, finalFitMs: ctx.finalFit!.estimateMs(model) }),
        }
      : {}),
  });
  /** A contender's estimate for result.json, when it was cross-validated. */
  const cvOf = (trial: number) => {
    const folds = choice.scores.find((s) => s.trial === trial)?.folds;
    return folds ? { folds: folds.length, ...tInterval(folds) } : undefined;
  };
  const trials = outcome.trials.map((t) => {
    const cv = cvOf(t.index);
    return cv ? { ...t, cv } : t;
  });
  const bakeOffCv = cvOf(-1);
  const bakeOffHead = bakeOffCv ? { bakeOffHead: bakeOffCv } : {};
  if (choice.chosen === undefined) {
    ctx.log.info(`Choice: by validation (${choice.note})`);
    return { ...outcome, trials, choice: { rule: 'validation', reason: `chosen on validation: ${choice.note}`, ...bakeOffHead } };
  }
  ctx.log.info(`Choice: ${choice.reason}`);
  const chosen = tied.find((c) => c.trial === choice.chosen)!;
  return {
    ...outcome,
    trials,
    bestTrial: chosen.trial,
    best: chosen.model,
    choice: { rule: ONE_STANDARD_ERROR_RULE, reason: choice.reason, folds: choice.folds, ...bakeOffHead },
  };
}
