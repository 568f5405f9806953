/**
 * The training pipeline: dataset → split → bake-off → tuning → test → export → RunResult.
 * Shared by the CLI and the action. (Being written; the signature is the contract.)
 */
import type { TrainOptions } from './options.js';
import type { Logger, Clock } from './ports.js';
import type { RunResult } from './result.js';

export interface PipelineDeps {
  log: Logger;
  clock?: Clock;
}

/** Runs a whole training and writes `<outDir>/result.json` and `<outDir>/model/`. */
export async function train(options: TrainOptions, deps: PipelineDeps): Promise<RunResult> {
  void options; void deps;
  throw new Error('train(): not written yet');
}
