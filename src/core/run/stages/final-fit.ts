/**
 * The final fit: the chosen head trained once more on train + validation, when there is time;
 * before it, the temperature that calibrates the model (training/calibration.ts).
 */
import { calibrateOutOfFold } from '../../training/calibration.js';
import { estimateRefitMs, refitOnTrainAndVal } from '../../training/refit.js';
import { need, type Stage } from '../context.js';

export const finalFitStage: Stage = {
  name: 'final fit',
  async run(run) {
    const { options, log, now } = run;
    const { prepared, fitted } = run.models.winner;
    const classes = need(run, 'dataset').labels.length;
    const finalFitEnd = need(run, 'round').finalFitEnd;
    const { calibration, refit } = await run.timed('refit', 'Final fit on train + validation', async () => {
      // Calibrated on held-out predictions (out-of-fold, else validation's while it is still
      // held out) and applied to the refitted head. The folds leave the final fit its time.
      const calibration = await calibrateOutOfFold(prepared, fitted, classes, {
        seed: options.seed,
        deadline: finalFitEnd - estimateRefitMs(prepared, fitted, true),
        now,
      });
      const refit = await refitOnTrainAndVal(prepared, fitted, { numClasses: classes, seed: options.seed, deadline: finalFitEnd, now });
      return { calibration, refit };
    });
    if (typeof calibration === 'string') {
      log.info(`Calibration: skipped, ${calibration}`);
      run.found.calibrationSkipped = calibration;
    } else {
      const on = calibration.source === 'out-of-fold' ? 'out-of-fold predictions for' : 'the predictions for';
      const images = calibration.source === 'out-of-fold' ? 'training and validation images' : 'validation images';
      log.info(`Calibration: temperature fitted on ${on} ${calibration.images} ${images}`);
      run.found.calibration = calibration;
    }
    log.info(`Final fit: ${refit.decision.applied ? '' : 'skipped, '}${refit.decision.reason}`);
    if (refit.refitted) run.models.crown({ prepared, fitted: refit.refitted });
    run.found.refit = refit.decision;
    run.found.roundSeconds = (now() - need(run, 'roundStart')) / 1000;
  },
};
