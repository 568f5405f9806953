/** Fine-tuning the winner's top block, when it can be and the budget allows; kept only if it beats the tuned head. */
import { fineTuneTop } from '../../training/fine-tune.js';
import { planFineTune } from '../budget.js';
import { need, type Stage } from '../context.js';

export const fineTuneStage: Stage = {
  name: 'fine-tune',
  async run(run) {
    const { options, log, now } = run;
    const blocker = run.found.fineTuneBlocker;
    if (blocker === undefined) throw new Error('The run has no fine-tune decision yet: the tuning stage must come earlier in the list.');
    const round = need(run, 'round');
    // The tuning stage's blocker covers fine-tune: false.
    const plan = blocker || options.fineTune === 'false' ? null : planFineTune(run.budget, now(), round.fineTuneEnd, options.fineTune);
    if (!plan) {
      run.found.fineTune = { applied: false, reason: blocker || 'switched off (fine-tune: false)' };
    } else if (!plan.run) {
      run.found.fineTune = {
        applied: false,
        reason: `not enough of the budget left (${Math.max(0, plan.leftMs / 1000).toFixed(0)} s); raise the budget, or set fine-tune to true`,
      };
    } else {
      const { prepared, fitted } = run.models.winner;
      const outcome = await run.timed('fineTune', 'Fine-tuning the top block', () =>
        fineTuneTop(prepared, fitted, {
          dataset: need(run, 'dataset'),
          cacheDir: options.cacheDir,
          maxPixels: options.maxPixels,
          pool: run.models.pool,
          seed: options.seed,
          deadline: plan.end,
          now,
          log,
        }),
      );
      run.found.fineTune = outcome.decision;
      if (outcome.improved) run.models.crown(outcome.improved);
    }
    if (!run.found.fineTune.applied) log.info(`Fine-tuning: skipped, ${run.found.fineTune.reason}`);
  },
};
