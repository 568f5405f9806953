/** The bake-off: every backbone gets the same head recipe; the best on validation becomes the winner. */
import { runBakeOff } from '../../training/bakeoff.js';
import { planBakeOff } from '../budget.js';
import { need, type Stage } from '../context.js';

export const bakeOffStage: Stage = {
  name: 'bake-off',
  async run(run) {
    const { options, log, now } = run;
    const dataset = need(run, 'dataset');
    const specs = need(run, 'specs');
    const plan = planBakeOff(run.budget, now());
    run.found.reserveMs = plan.reserveMs;
    const bakeOff = await run.timed('bakeOff', `Bake-off: ${specs.map((s) => s.id).join(', ')}`, () =>
      runBakeOff(specs, {
        dataset,
        cacheDir: options.cacheDir,
        maxPixels: options.maxPixels,
        workers: options.workers,
        pool: run.models.pool,
        engine: run.engine,
        maxEpochs: options.epochs,
        seed: options.seed,
        deadline: plan.bakeOffEnd,
        now,
        log,
      }),
    );
    run.models.crown(bakeOff.winner);
    run.found.bakeOff = bakeOff.rows;
    run.found.selection = bakeOff.selection;
    run.found.trained = bakeOff.trained;
    run.timings.push({ stage: 'embed', seconds: bakeOff.rows.reduce((s, r) => s + r.embedSeconds, 0) });
    log.info(`Winner: ${bakeOff.winner.prepared.displayName}`);
  },
};
