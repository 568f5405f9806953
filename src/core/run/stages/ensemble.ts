/**
 * Ensembles: after the bake-off, the best two (then three) candidates' features concatenated
 * into one head (training/ensemble.ts), each scored like a candidate and weighed together with
 * the bake-off's by the same rule. Every ensemble tried is a row of the bake-off table; one
 * that wins becomes the winner, with its members joined into one backbone for the export
 * (model/export-ensemble.ts).
 *
 * The rule's pick over everything stands even when it is not an ensemble: the best estimate
 * sets the noise band, so an ensemble with the best estimate moves the band, and can leave
 * the bake-off's pick outside it. Then the candidate the rule prefers becomes the winner, its
 * backbone loaded again (its head and examples were kept).
 */
import type { Candidate } from '../../result.js';
import { loadCandidateBackbone } from '../../training/bakeoff.js';
import { loadEnsembleBackbone, planEnsembles, trainEnsemble, type EnsemblePlan, type TrainedEnsemble } from '../../training/ensemble.js';
import { selectCandidate, WITHIN_NOISE_RULE } from '../../training/selection.js';
import { planEnsemble } from '../budget.js';
import { need, type Stage } from '../context.js';

function untriedRow(plan: EnsemblePlan, why: string): Candidate {
  return {
    backbone: plan.spec.id,
    displayName: plan.displayName,
    kind: 'frozen',
    inputSize: plan.spec.inputSize,
    featureDim: 0,
    backboneParams: plan.members.reduce((sum, m) => sum + m.candidate.entry.cost, 0),
    valAccuracy: 0,
    valLoss: Number.MAX_VALUE,
    bestEpoch: 0,
    epochs: 0,
    embedSeconds: 0,
    trainSeconds: 0,
    embeddingsComputed: 0,
    embeddingsCached: 0,
    curve: [],
    error: why,
    ensemble: { members: plan.members.map((m) => m.spec.id) },
  };
}

export const ensembleStage: Stage = {
  name: 'ensemble',
  async run(run) {
    const { options, log, now } = run;
    const trained = run.found.trained ?? [];
    // The candidates' examples are not needed past this stage.
    run.found.trained = undefined;
    const { plans, left } = planEnsembles(trained);
    if (left.length) log.info(`Ensembles: left out: ${left.join('; ')}.`);
    if (!plans.length) return;
    const end = planEnsemble(run.budget, now(), need(run, 'reserveMs'));
    const rows: Candidate[] = [];
    const tried: TrainedEnsemble[] = [];
    await run.timed('ensemble', `Ensembles: ${plans.map((p) => p.displayName).join('; ')}`, async () => {
      let lastMs = 0;
      for (const plan of plans) {
        // The next (bigger) ensemble starts only when about as much time as the last one took is left.
        if (now() + lastMs >= end) {
          const why = 'skipped: the ensembles ran out of their share of the budget before this one';
          log.info(`${plan.displayName}: ${why}`);
          rows.push(untriedRow(plan, why));
          continue;
        }
        const start = now();
        try {
          const ensemble = await trainEnsemble(plan, {
            dataset: need(run, 'dataset'),
            cacheDir: options.cacheDir,
            maxPixels: options.maxPixels,
            maxEpochs: options.epochs,
            seed: options.seed,
            deadline: end,
            now,
            log,
          });
          tried.push(ensemble);
          rows.push(ensemble.row);
          const { cv } = ensemble.row;
          const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
          log.info(
            `${plan.displayName}: ${cv!.folds ? `${cv!.folds}-fold cross-validated` : 'validation'} accuracy ${pct(cv!.mean)} [${pct(cv!.low)}–${pct(cv!.high)}]${cv!.note ? ` (${cv!.note})` : ''}`,
          );
        } catch (error) {
          log.warn(`${plan.displayName} failed: ${(error as Error).message}`);
          rows.push(untriedRow(plan, (error as Error).message));
        }
        lastMs = now() - start;
      }
    });
    run.found.bakeOff = [...need(run, 'bakeOff'), ...rows];
    if (!tried.length) return;
    const selection = selectCandidate([...trained.map((t) => t.entry), ...tried.map((t) => t.entry)], WITHIN_NOISE_RULE);
    const won = tried.find((t) => t.entry.id === selection.winner);
    const current = run.models.winner.prepared;
    if (won) {
      const extractor = await loadEnsembleBackbone(won.plan, options.cacheDir);
      run.models.crown({ prepared: { ...won.prepared, extractor }, fitted: won.fitted });
    } else if (selection.winner !== current.spec.id) {
      const preferred = trained.find((t) => t.entry.id === selection.winner)!;
      if (!preferred.fitted) {
        log.info(`Ensembles: none wins; the rule now prefers ${preferred.entry.displayName}, whose network was not kept, so the bake-off's pick stands.`);
        return;
      }
      const extractor = await loadCandidateBackbone(preferred.prepared.spec, { engine: run.engine, cacheDir: options.cacheDir });
      run.models.crown({ prepared: { ...preferred.prepared, extractor }, fitted: preferred.fitted });
      log.info(
        `Ensembles: none wins, but with their estimates the rule prefers ${preferred.entry.displayName} to the bake-off's pick, ${current.displayName}.`,
      );
    }
    // Also when the bake-off's pick stands: its reason and runner-up now weigh the ensembles, as the table lists them.
    run.found.selection = { rule: WITHIN_NOISE_RULE.name, reason: selection.reason, runnerUp: selection.runnerUp };
    if (selection.winner === current.spec.id) {
      log.info(`Ensembles: none wins by the selection rule; the bake-off's pick stands.`);
      return;
    }
    log.info(`Selection: ${selection.reason}`);
    log.info(`Winner: ${run.models.winner.prepared.displayName}`);
  },
};
