/** The final fit: the chosen head trained once more on train + validation, when there is time. */
import { calibrateOnValidation } from '../../training/calibration.js';
import { refitOnTrainAndVal } from '../../training/refit.js';
import { need, type Stage } from '../context.js';

export const finalFitStage: Stage = {
  name: 'final fit',
  async run(run) {
    const { options, log, now } = run;
    const { prepared, fitted } = run.models.winner;
    // Calibrated on validation while it is still held out; the temperature is applied to the refitted head too.
    const calibration = calibrateOnValidation(prepared, fitted, need(run, 'dataset').labels.length);
    if (typeof calibration === 'string') {
      log.info(`Calibration: skipped, ${calibration}`);
      run.found.calibrationSkipped = calibration;
    } else run.found.calibration = calibration;
    const refit = await run.timed('refit', 'Final fit on train + validation', () =>
      refitOnTrainAndVal(prepared, fitted, {
        numClasses: need(run, 'dataset').labels.length,
        seed: options.seed,
        deadline: need(run, 'round').finalFitEnd,
        now,
      }),
    );
    log.info(`Final fit: ${refit.decision.applied ? '' : 'skipped, '}${refit.decision.reason}`);
    if (refit.refitted) run.models.crown({ prepared, fitted: refit.refitted });
    run.found.refit = refit.decision;
    run.found.roundSeconds = (now() - need(run, 'roundStart')) / 1000;
  },
};
