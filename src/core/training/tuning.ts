/**
 * The hyperparameter round on the bake-off winner: successive halving over seeded random
 * proposals. Trial 0 follows the seed rule (for Adam half the learning rate and twice the
 * batch; for a linear head fitted by L-BFGS, ten times the L2); the rest are drawn from the
 * search space, where linear heads are fitted by L-BFGS and deeper ones by Adam. Rung 0
 * trains everyone briefly (an L-BFGS head, cheap, to convergence); the best third of the Adam
 * heads go on with the full epoch budget. The bake-off's own head stays in the running, so tuning can
 * only improve the validation score.
 *
 * A CNN trained from scratch is expensive and rarely converged after its bake-off share of
 * the budget, so for it trial 0 continues the bake-off's network under the seed rule (in
 * effect a learning-rate decay) with the full epoch budget, before any new proposal.
 */
import { createRng, deriveSeed } from '../random.js';
import type { Logger } from '../ports.js';
import type { HeadConfig, Trial } from '../result.js';
import { disposeFitted, fit, type FittedModel, type PreparedCandidate } from './candidates.js';
import { LBFGS_MAX_ITERATIONS } from './linear-solver.js';
import { compareScores, isBetter, scoreOf } from './score.js';

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
}

export interface TuningOutcome {
  trials: Trial[];
  /** Index into trials of the best, or -1 when the bake-off head stayed best. */
  bestTrial: number;
  best: FittedModel;
}

const pick = <T>(items: readonly T[], rng: () => number): T => items[Math.floor(rng() * items.length)];
const logUniform = (low: number, high: number, rng: () => number) => Math.exp(Math.log(low) + rng() * (Math.log(high) - Math.log(low)));
const round3 = (x: number) => Number(x.toPrecision(3));

export function seedRule(base: HeadConfig): HeadConfig {
  // L-BFGS has no learning rate or batch: its neighbour is a stronger L2 (from 0, a light one).
  if (base.solver === 'lbfgs') return { ...base, weightDecay: round3(base.weightDecay ? base.weightDecay * 10 : 1e-3) };
  return { ...base, learningRate: round3(base.learningRate / 2), batchSize: base.batchSize * 2 };
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

export async function runTuning(candidate: PreparedCandidate, bakeOff: FittedModel, ctx: TuningContext): Promise<TuningOutcome> {
  const rng = createRng(deriveSeed(ctx.seed, 'tuning'));
  const configs = [seedRule(bakeOff.config)];
  while (configs.length < ctx.maxTrials) configs.push(proposeConfig(bakeOff.config, candidate.kind, ctx.maxEpochs, rng));

  const rung0Epochs = Math.max(5, Math.ceil(ctx.maxEpochs / 3));
  const trials: Trial[] = [];
  const fitted: (FittedModel | undefined)[] = [];
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
    trials[index] =
      previous && !isBetter(scoreOf(model), previous)
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
    const settings =
      config.solver === 'lbfgs'
        ? `L-BFGS, L2 ${config.weightDecay}`
        : `lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(',')}], dropout ${config.dropout}`;
    ctx.log.info(`Trial ${index + 1}${rung ? ` (rung ${rung})` : ''}: validation accuracy ${(model.head.valAccuracy * 100).toFixed(1)}% — ${settings}`);
    return model;
  };

  /** Whether a trial expected to cost `cost` may start: before the round's deadline, with the final fit still affordable after it. */
  const mayStart = (cost: TrialCost) => {
    const now = ctx.now();
    return now < ctx.deadline && (!ctx.finalFit || affordsTrial(now, ctx.finalFit.end, ctx.finalFit.estimateMs(best.fitted), cost));
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
    if (!promoted.has(trial.index) && trial.status !== 'seed') trial.status = 'pruned';
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
  return { trials: trials.filter(Boolean), bestTrial: best.trial, best: best.fitted };
}
