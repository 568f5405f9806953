/**
 * The run context: what every stage reads and adds to. Options, ports and the budget plan
 * are fixed when the run starts; `found` fills up as the stages run, each reading what an
 * earlier stage found through `need`, which names the gap instead of failing on undefined.
 */
import type { BackboneSpec } from '../backbones/zoo.js';
import type { PreparedDataset } from '../dataset/prepare.js';
import type { InferenceEngine } from '../engine/choose.js';
import type { PlanEntry } from '../engine/cost.js';
import type { TrainOptions } from '../options.js';
import type { Logger } from '../ports.js';
import type { BackendInfo, Candidate, ModelInfo, StageTiming, TestMetrics, Trial, Tuning } from '../result.js';
import type { BudgetPlan, RoundPlan } from './budget.js';
import type { LiveModels } from './models.js';
import type { Calibration } from '../training/calibration.js';

export interface RunFindings {
  dataset?: PreparedDataset;
  /** The backbones of the bake-off, resolved with the data's typical image size. */
  specs?: BackboneSpec[];
  /** Default backbones `auto` shrank or left out to fit the budget, and why (empty when none). */
  backbonePlan?: PlanEntry[];
  /** Milliseconds kept back from the deadline for evaluation and export (set by the bake-off). */
  reserveMs?: number;
  bakeOff?: Candidate[];
  /** How the bake-off's winner was chosen (training/selection.ts). */
  selection?: { rule: string; reason: string; runnerUp: string | null };
  /** The bake-off's trained candidates (entries and examples), for the ensembles; dropped once they are tried. */
  trained?: import('../training/ensemble.js').TrainedCandidate[];
  /** The winner's temperature, fitted on validation before the final fit (training/calibration.ts). */
  calibration?: Calibration;
  /** Why no temperature was fitted, when none was. */
  calibrationSkipped?: string;
  /** Clock value when the hyperparameter round started, and its plan. */
  roundStart?: number;
  round?: RoundPlan;
  /** Why the winner's top cannot be fine-tuned, or null when it can. */
  fineTuneBlocker?: string | null;
  trials?: Trial[];
  bestTrial?: number;
  /** How the round chose its best, when cross-validation had its say. */
  tuningChoice?: Tuning['choice'];
  /** How the round proposed its trials, in words. */
  tuningStrategy?: string;
  fineTune?: Tuning['fineTune'];
  refit?: NonNullable<Tuning['refit']>;
  /** Seconds of the hyperparameter round: tuning, fine-tuning and the final fit. */
  roundSeconds?: number;
  metrics?: TestMetrics;
  model?: ModelInfo;
  /** The winner's frozen embeddings, kept for the dataset review (stages/review.ts). */
  reviewEmbeddings?: import('./stages/review.js').ReviewEmbeddings;
  review?: import('../result.js').DatasetReview;
  /** The evalDataset folder's scan, checked against the labels before training (stages/elsewhere.ts). */
  elsewhereScan?: import('../dataset/scan.js').ScanResult;
  elsewhere?: import('../result.js').Elsewhere;
}

export interface RunContext {
  readonly options: TrainOptions;
  readonly log: Logger;
  readonly now: () => number;
  readonly budget: BudgetPlan;
  readonly backend: BackendInfo;
  /** The inference engine for frozen backbones, chosen once at start. */
  readonly engine: InferenceEngine;
  readonly models: LiveModels;
  readonly timings: StageTiming[];
  readonly found: RunFindings;
  /** Runs `work` as a named stage in the log, and records its time under `stage`. */
  timed<T>(stage: StageTiming['stage'], title: string, work: () => Promise<T> | T): Promise<T>;
}

/** One step of train(): reads the context, adds to it. A new stage is a file and a line in stages/index.ts. */
export interface Stage {
  name: string;
  run(run: RunContext): Promise<void>;
}

export function createRunContext(fixed: Omit<RunContext, 'timings' | 'found' | 'timed'>): RunContext {
  const timings: StageTiming[] = [];
  return {
    ...fixed,
    timings,
    found: {},
    async timed(stage, title, work) {
      const close = fixed.log.stage(title);
      const start = fixed.now();
      try {
        return await work();
      } finally {
        timings.push({ stage, seconds: (fixed.now() - start) / 1000 });
        close();
      }
    },
  };
}

/** What an earlier stage found; an error naming it when no stage has. */
export function need<K extends keyof RunFindings>(run: RunContext, key: K): NonNullable<RunFindings[K]> {
  const value = run.found[key];
  if (value === undefined || value === null) throw new Error(`The run has no ${key} yet: the stage that finds it must come earlier in the list.`);
  return value;
}
