/**
 * The budget plan: how a run's time is shared out between its stages. Pure (clock values in,
 * clock values out), so every rule here is unit-tested without a clock.
 *
 * Once the data is read, a reserve is kept back for evaluation and export, so a run ends close
 * to its budget with a model rather than being cut off without one. Of the rest, the bake-off
 * gets its share, then the ensemble candidates theirs; after them, the final fit of a head on embeddings keeps its share, and tuning
 * and fine-tuning split what is left (tuning takes it all when fine-tuning cannot follow).
 */

export interface BudgetShares {
  /** Of the time left after reading the data: kept for evaluation and export (at least `reserveFloorMs`). */
  reserve: number;
  reserveFloorMs: number;
  /** Of the time left after the reserve: the bake-off's. */
  bakeOff: number;
  /** Of the time left after the bake-off (less the reserve): the ensemble candidates' (training/ensemble.ts). */
  ensemble: number;
  /**
   * Of the time left after the bake-off: the final fit's, when the winner is a head on
   * embeddings (seconds to retrain); more when its estimated cost (times `finalFitMargin`)
   * needs more, as with augmented views, up to `finalFitMax`.
   */
  finalFit: number;
  finalFitMargin: number;
  finalFitMax: number;
  /** How tuning and fine-tuning split the rest, when fine-tuning may follow. */
  tuning: number;
  fineTune: number;
  /** fine-tune: auto is skipped when less than this share of the whole budget is left for it. */
  minFineTune: number;
  /** fine-tune: true runs even when the budget is spent, for at least this share of the budget, and at least `forcedFineTuneFloorMs`. */
  forcedFineTune: number;
  forcedFineTuneFloorMs: number;
}

export const BUDGET_SHARES: BudgetShares = {
  reserve: 0.1,
  reserveFloorMs: 3000,
  bakeOff: 0.5,
  ensemble: 0.35,
  finalFit: 0.15,
  finalFitMargin: 1.25,
  finalFitMax: 0.5,
  tuning: 0.6,
  fineTune: 0.4,
  minFineTune: 0.05,
  forcedFineTune: 0.25,
  forcedFineTuneFloorMs: 30_000,
};

export interface BudgetPlan {
  budgetMs: number;
  /** Clock value by which the run should be done. */
  deadline: number;
  shares: BudgetShares;
}

export function planBudget(start: number, budgetSeconds: number, shares: BudgetShares = BUDGET_SHARES): BudgetPlan {
  return { budgetMs: budgetSeconds * 1000, deadline: start + budgetSeconds * 1000, shares };
}

export interface BakeOffPlan {
  /** Milliseconds kept back from the deadline for evaluation and export. */
  reserveMs: number;
  bakeOffEnd: number;
}

/** Once the data is read (at `now`): the reserve and the bake-off's end. */
export function planBakeOff(plan: BudgetPlan, now: number): BakeOffPlan {
  const left = Math.max(0, plan.deadline - now);
  const reserveMs = Math.max(plan.shares.reserveFloorMs, left * plan.shares.reserve);
  return { reserveMs, bakeOffEnd: now + (left - reserveMs) * plan.shares.bakeOff };
}

/**
 * After the bake-off (at `now`): when the ensembles must be done. They come before the
 * hyperparameter round, which plans with what they leave.
 */
export function planEnsemble(plan: BudgetPlan, now: number, reserveMs: number): number {
  return now + Math.max(0, plan.deadline - reserveMs - now) * plan.shares.ensemble;
}

export interface RoundPlan {
  tuningEnd: number;
  fineTuneEnd: number;
  finalFitEnd: number;
}

/**
 * After the bake-off (at `now`): when tuning, fine-tuning and the final fit must be done.
 * `refitsHead`: the winner is a head on embeddings, whose final fit takes seconds.
 * `finalFitEstimateMs`: what that final fit is expected to take (training/refit.ts).
 * `mayFineTune`: fine-tuning can follow tuning (else tuning takes its time).
 */
export function planRound(
  plan: BudgetPlan,
  now: number,
  reserveMs: number,
  winner: { refitsHead: boolean; finalFitEstimateMs?: number; mayFineTune: boolean },
): RoundPlan {
  const { shares } = plan;
  const finalFitEnd = plan.deadline - reserveMs;
  const span = Math.max(0, finalFitEnd - now);
  const needed = (winner.finalFitEstimateMs ?? 0) * shares.finalFitMargin;
  const finalFitMs = winner.refitsHead ? Math.min(Math.max(span * shares.finalFit, needed), span * shares.finalFitMax) : 0;
  const fineTuneEnd = finalFitEnd - finalFitMs;
  const tuningEnd = winner.mayFineTune ? now + (fineTuneEnd - now) * (shares.tuning / (shares.tuning + shares.fineTune)) : fineTuneEnd;
  return { tuningEnd, fineTuneEnd, finalFitEnd };
}

export type FineTunePlan = { run: true; end: number } | { run: false; leftMs: number };

/** At `now`, after tuning: whether fine-tuning starts, and until when. */
export function planFineTune(plan: BudgetPlan, now: number, fineTuneEnd: number, mode: 'auto' | 'true'): FineTunePlan {
  const { shares } = plan;
  const leftMs = fineTuneEnd - now;
  if (mode === 'true') return { run: true, end: Math.max(fineTuneEnd, now + Math.max(shares.forcedFineTuneFloorMs, plan.budgetMs * shares.forcedFineTune)) };
  if (leftMs < plan.budgetMs * shares.minFineTune) return { run: false, leftMs };
  return { run: true, end: fineTuneEnd };
}
