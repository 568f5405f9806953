/**
 * The hyperparameter round on the winner. Its share of the time depends on what follows:
 * fine-tuning (when the winner's top can be fine-tuned) and the final fit.
 */
import { fineTuneUnsupported } from '../../backbones/fine-tune-split.js';
import { depthWordsOf } from '../../backbones/zoo.js';
import { ENSEMBLE } from '../../model/export-ensemble.js';
import { estimateRefitMs } from '../../training/refit.js';
import { runTuning } from '../../training/tuning.js';
import { planRound } from '../budget.js';
import { need, type Stage } from '../context.js';

export const tuningStage: Stage = {
  name: 'tuning',
  async run(run) {
    const { options, log, now } = run;
    const { prepared, fitted } = run.models.winner;
    run.found.roundStart = now();
    // Why the winner's top cannot be fine-tuned, if it cannot; then tuning takes its time.
    const blocker =
      options.fineTune === 'false'
        ? 'switched off (fine-tune: false)'
        : prepared.kind === 'scratch'
          ? 'the winner is the small CNN, already trained end to end'
          : prepared.spec.source === ENSEMBLE
            ? 'the winner is an ensemble of several backbones; fine-tuning the top of one of them is not offered'
            : prepared.spec.taps
              ? `the winner reads its backbone at ${depthWordsOf(prepared.spec)}, and fine-tuning trains only the top block, so it is not offered`
              : fineTuneUnsupported(prepared.extractor!);
    run.found.fineTuneBlocker = blocker;
    const refitsHead = prepared.kind === 'frozen';
    const round = planRound(run.budget, now(), need(run, 'reserveMs'), {
      refitsHead,
      finalFitEstimateMs: refitsHead ? estimateRefitMs(prepared, fitted, true) : 0,
      mayFineTune: !blocker,
    });
    run.found.round = round;
    const tuning = await run.timed('tuning', `Hyperparameter round on ${prepared.displayName}`, () =>
      runTuning(prepared, fitted, {
        numClasses: need(run, 'dataset').labels.length,
        maxTrials: options.trials,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: round.tuningEnd,
        now,
        log,
        // A head on embeddings is cheap to cross-validate: the round's choice weighs its folds too.
        crossValidate: prepared.kind === 'frozen',
        ...(refitsHead
          ? { finalFit: { end: round.finalFitEnd, estimateMs: (model) => estimateRefitMs(prepared, model, true) * run.budget.shares.finalFitMargin } }
          : {}),
      }),
    );
    run.models.crown({ prepared, fitted: tuning.best });
    run.found.trials = tuning.trials;
    run.found.bestTrial = tuning.bestTrial;
    run.found.tuningChoice = tuning.choice;
    run.found.tuningStrategy = tuning.strategy;
  },
};
