/**
 * Augmentation of the winner (a head on embeddings), between the bake-off and tuning: the
 * flip check, the augmented views of its training images, the head with them kept only when
 * better on validation, and the test-time view measured (training/augmentation.ts). Only the
 * winner gets views: one backbone's views are what the budget can afford, and tuning and the
 * final fit then train on them. Its time is the policy's named share of what is left before
 * the reserve (dataset/augment-policy.ts); tuning and the final fit plan with the rest.
 */
import { AUGMENT_POLICY } from '../../dataset/augment-policy.js';
import { augmentCandidate } from '../../training/augmentation.js';
import { need, type Stage } from '../context.js';

export const augmentStage: Stage = {
  name: 'augment',
  async run(run) {
    const { options, log, now } = run;
    const setting = options.augment ?? 'off';
    const { prepared, fitted } = run.models.winner;
    if (setting === 'off' || prepared.kind !== 'frozen' || !prepared.extractor) return;
    const row = need(run, 'bakeOff').find((c) => c.backbone === prepared.spec.id);
    const start = now();
    const left = Math.max(0, run.budget.deadline - need(run, 'reserveMs') - start);
    await run.timed('augment', `Augmentation of ${prepared.displayName}`, async () => {
      try {
        const outcome = await augmentCandidate(prepared, fitted, {
          dataset: need(run, 'dataset'),
          setting,
          cacheDir: options.cacheDir,
          maxPixels: options.maxPixels,
          seed: options.seed,
          viewsDeadline: start + left * AUGMENT_POLICY.share,
          deadline: start + left * (AUGMENT_POLICY.share + AUGMENT_POLICY.fitShare),
          now,
          log,
        });
        run.models.crown({
          prepared: { ...prepared, ...(outcome.views ? { views: outcome.views } : {}), ...(outcome.tta ? { tta: outcome.tta } : {}) },
          fitted: outcome.fitted,
        });
        if (row) Object.assign(row, { augment: outcome.augment, ...(outcome.tta ? { tta: outcome.tta } : {}) });
      } catch (error) {
        // A view that cannot be made costs the augmentation, not the run.
        log.warn(`Augmentation of ${prepared.displayName} skipped: ${(error as Error).message}`);
      }
    });
  },
};
