/**
 * The hyperparameter round (training/tuning.ts) on typed fixtures: a frozen candidate whose
 * "embeddings" are small synthetic clusters (3 labels × 8 features), so every trial trains a
 * real head in milliseconds. The clock is the test's: it ticks 5 ms a call and the deadline
 * never comes, so runs are exactly reproducible.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../src/core/backend/select.js';
import { silentLogger } from '../src/core/ports.js';
import { Trial, type HeadConfig } from '../src/core/result.js';
import { defaultConfig, fit, type FittedModel } from '../src/core/training/candidates.js';
import { affordsTrial, planRound, runTuning, seedRule, type TuningContext } from '../src/core/training/tuning.js';
import { headSettings } from '../src/core/training/head-settings.js';
import { createRng } from '../src/core/random.js';
import { isBetter, scoreOf, type Score } from '../src/core/training/score.js';
import { LABELS, syntheticCandidate } from './helpers/synthetic-embeddings.js';

await ensureBackend();

const candidate = syntheticCandidate({ train: 90, val: 45, test: 45 });

function tickingClock(step = 5) {
  let t = 0;
  return () => (t += step);
}

function context(overrides: Partial<TuningContext> = {}): TuningContext {
  return { numClasses: LABELS, maxTrials: 6, maxEpochs: 9, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: tickingClock(), log: silentLogger, ...overrides };
}

async function bakeOffHead(maxEpochs = 9): Promise<FittedModel> {
  return fit(candidate, defaultConfig('frozen', maxEpochs), { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: tickingClock() });
}

/** The round most tests look at (seed 7, 6 trials, 9 epochs), run once for the file. */
let standardRun: Promise<{ bakeOff: FittedModel; outcome: Awaited<ReturnType<typeof runTuning>> }> | undefined;
function standard() {
  standardRun ??= bakeOffHead().then(async (bakeOff) => ({ bakeOff, outcome: await runTuning(candidate, bakeOff, context()) }));
  return standardRun;
}

/** Best first, as successive halving ranks: validation accuracy, then validation loss. */
const ranked = (trials: Trial[]) => [...trials].sort((a, b) => b.valAccuracy - a.valAccuracy || a.valLoss - b.valLoss);

/** Whether a is at least as good as b: never lower on validation, and not worse by the rule tuning picks its best by (score.ts). */
const atLeastAsGood = (a: Score, b: Score) => a.valAccuracy >= b.valAccuracy && !isBetter(b, a);

test('the seed rule halves the learning rate and doubles the batch, and nothing else', () => {
  const base: HeadConfig = {
    solver: 'adam',
    learningRate: 0.003,
    batchSize: 32,
    hiddenUnits: [128],
    dropout: 0.3,
    weightDecay: 1e-4,
    labelSmoothing: 0.1,
    epochs: 30,
  };
  assert.deepEqual(seedRule(base), { ...base, learningRate: 0.0015, batchSize: 64 });
});

test('for a linear head fitted by L-BFGS the seed rule is ten times the L2, and nothing else', () => {
  const base = defaultConfig('frozen', 30);
  assert.equal(base.solver, 'lbfgs');
  assert.deepEqual(seedRule(base), { ...base, weightDecay: base.weightDecay * 10 });
  assert.equal(seedRule({ ...base, weightDecay: 0 }).weightDecay, 1e-3, 'from no L2, a light one');
});

test('trial 0 is the seed rule applied to the bake-off head’s config', async () => {
  const {
    bakeOff,
    outcome: { trials },
  } = await standard();
  const first = trials[0];
  assert.equal(first.index, 0);
  assert.equal(first.status, 'seed');
  const { epochs: _e1, ...rule } = seedRule(bakeOff.config);
  const { epochs: _e2, ...ran } = first.config;
  assert.deepEqual(ran, rule, 'the seed rule, everything else as the bake-off');
  // The bake-off's linear head is fitted by L-BFGS: its seed neighbour has ten times the L2.
  assert.equal(first.config.weightDecay, bakeOff.config.weightDecay * 10);
  assert.ok(
    trials.slice(1).every((t) => t.status !== 'seed'),
    'only trial 0 is the seed',
  );
});

test('successive halving keeps the best third of rung 0 and marks the rest of the Adam trials pruned', async () => {
  // maxEpochs 5 leaves no room for rung 1 (rung 0 already trains 5 epochs), so this run's
  // trials are the rung-0 results; the run with 9 epochs trains the same rung 0, then prunes.
  const rung0Only = await runTuning(candidate, await bakeOffHead(5), context({ maxEpochs: 5 }));
  const { outcome: halving } = await standard();
  assert.equal(rung0Only.trials.length, 6);
  assert.equal(halving.trials.length, 6, 'every trial ran in rung 0');
  // Adam trials train briefly in rung 0; L-BFGS trials to convergence.
  assert.ok(rung0Only.trials.every((t) => t.rung === 0 && t.epochs <= (t.config.solver === 'adam' ? 5 : t.config.epochs)));

  const best = new Set(
    ranked(rung0Only.trials)
      .slice(0, 2)
      .map((t) => t.index),
  ); // ceil(6 / 3)
  for (const trial of halving.trials) {
    if (best.has(trial.index)) assert.notEqual(trial.status, 'pruned', `trial ${trial.index} is in the best third`);
    else if (trial.index !== 0)
      // An L-BFGS trial converged in rung 0: there is nothing left of it to prune.
      assert.equal(trial.status, trial.config.solver === 'adam' ? 'pruned' : 'completed', `trial ${trial.index} is not in the best third`);
    if (!best.has(trial.index)) {
      // A pruned trial's record is its rung-0 run, the same run as in the rung-0-only round.
      const same = rung0Only.trials[trial.index];
      assert.deepEqual([trial.valAccuracy, trial.valLoss, trial.epochs, trial.rung], [same.valAccuracy, same.valLoss, same.epochs, 0]);
    }
  }
  const prunable = halving.trials.filter((t) => t.index !== 0 && !best.has(t.index) && t.config.solver === 'adam');
  assert.ok(prunable.length > 0, 'the round has Adam trials outside the best third');
  assert.equal(halving.trials.filter((t) => t.status === 'pruned').length, prunable.length);
});

test('a promoted trial is recorded by the better of its two runs, and the chosen trial’s record is the chosen model', async () => {
  const kept = { rung0: 0, rung1: 0 };
  // Twelve trials: after the rule-made ones (seed rule, L2 path, one scale) there are enough Adam proposals for some to be promoted.
  for (const seed of [25, 9, 38, 13]) {
    const lines: string[] = [];
    const log = { ...silentLogger, info: (m: string) => lines.push(m) };
    const { trials, bestTrial, best } = await runTuning(candidate, await bakeOffHead(), context({ seed, log, maxTrials: 12 }));
    for (const trial of trials.filter((t) => t.status === 'completed')) {
      // Both runs are in the log; the record holds the better one (by accuracy here; the log rounds to 0.1).
      const runs = lines.filter((l) => l.startsWith(`Trial ${trial.index + 1}:`) || l.startsWith(`Trial ${trial.index + 1} (rung 1):`));
      const accuracies = runs.map((l) => Number(/validation accuracy ([\d.]+)%/.exec(l)![1]));
      if (accuracies.length < 2) continue;
      assert.equal((trial.valAccuracy * 100).toFixed(1), Math.max(...accuracies).toFixed(1), `seed ${seed}, trial ${trial.index}: ${runs.join(' / ')}`);
      assert.equal(trial.config.solver, 'adam', 'an L-BFGS trial converges in rung 0 and runs once');
      assert.equal(trial.config.epochs, trial.rung === 1 ? 9 : 5, 'the record’s config is its run’s');
      assert.equal(trial.curve.length, trial.epochs);
      kept[trial.rung === 1 ? 'rung1' : 'rung0']++;
    }
    if (bestTrial >= 0) {
      const chosen = trials.find((t) => t.index === bestTrial)!;
      assert.deepEqual([chosen.valAccuracy, chosen.valLoss], [best.head.valAccuracy, best.head.valLoss], `seed ${seed}: the record is the model that was kept`);
    }
  }
  assert.ok(kept.rung0 > 0 && kept.rung1 > 0, `both cases were met: ${JSON.stringify(kept)}`);
});

test('every trial has its config, score and time recorded, in the RunResult schema', async () => {
  const { trials } = (await standard()).outcome;
  assert.deepEqual(
    trials.map((t) => t.index),
    [0, 1, 2, 3, 4, 5],
  );
  for (const trial of trials) {
    Trial.parse(trial); // config (all seven fields), scores, epochs, seconds, rung, status, curve
    assert.ok(trial.seconds > 0, `trial ${trial.index} took time on the clock`);
    assert.ok(Number.isFinite(trial.valLoss) && trial.valLoss > 0);
    assert.equal(trial.curve.length, trial.epochs);
    assert.ok(trial.epochs >= 1 && trial.epochs <= trial.config.epochs);
    // The score is the best epoch's, as early stopping restores it; an L-BFGS head's is its last iterate's.
    const bestPoint = trial.config.solver === 'lbfgs' ? trial.curve.at(-1)! : trial.curve.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
    assert.deepEqual([trial.valAccuracy, trial.valLoss], [bestPoint.valAccuracy, bestPoint.valLoss]);
  }
  assert.ok(new Set(trials.map((t) => JSON.stringify(t.config))).size >= 5, 'the search proposes different configs');
});

test('the outcome is never worse than the bake-off head, and keeps it when no trial beats it', async () => {
  const { bakeOff, outcome } = await standard();
  assert.ok(
    atLeastAsGood(scoreOf(outcome.best), scoreOf(bakeOff)),
    `tuned ${outcome.best.head.valAccuracy}/${outcome.best.head.valLoss} vs bake-off ${bakeOff.head.valAccuracy}/${bakeOff.head.valLoss}`,
  );
  for (const trial of outcome.trials) assert.ok(atLeastAsGood(scoreOf(outcome.best), trial), `the kept model is at least as good as trial ${trial.index}`);
  if (outcome.bestTrial === -1) assert.equal(outcome.best, bakeOff);

  // A bake-off head no trial can beat (perfect on validation, with an L2 stronger than any proposal's) is kept, as the same object.
  const unbeatable: FittedModel = { ...bakeOff, config: { ...bakeOff.config, weightDecay: 10 }, head: { ...bakeOff.head, valAccuracy: 1, valLoss: 0 } };
  const kept = await runTuning(candidate, unbeatable, context());
  assert.equal(kept.bestTrial, -1);
  assert.equal(kept.best, unbeatable);
  assert.equal(kept.trials.length, 6, 'the trials are still recorded');
});

test('no trial starts once the final fit after it would not end in time', async () => {
  // Seed 25 with twelve trials promotes an Adam trial to rung 1 (an L-BFGS trial converges in rung 0 and runs once).
  const bakeOff = await bakeOffHead();
  const round = (overrides: Partial<TuningContext> = {}) => runTuning(candidate, bakeOff, context({ seed: 25, maxTrials: 12, ...overrides }));
  const outcome = await round();
  assert.ok(
    outcome.trials.some((t) => t.rung === 1),
    'without the final fit, the promoted trials run rung 1',
  );

  // The bake-off head refits at once, every trial's model would take forever: the first trial
  // runs (nothing is known of a trial's cost yet), then the next is expected to cost as much and
  // no other starts, whichever model is best.
  const gated = await round({ finalFit: { end: Number.MAX_SAFE_INTEGER, estimateMs: (m) => (m === bakeOff ? 0 : Infinity) } });
  assert.deepEqual(
    gated.trials.map((t) => [t.index, t.rung]),
    [[0, 0]],
  );

  // Every trial's final fit takes 3/5 of the time to the end: rung 0 (5 epochs) affords it, rung 1
  // (9 epochs, so 9/5 the final fit: 27/25 of the time) does not start.
  const threeFifths = Math.floor(Number.MAX_SAFE_INTEGER * 0.6);
  const shortOnly = await round({ finalFit: { end: Number.MAX_SAFE_INTEGER, estimateMs: (m) => (m === bakeOff ? 0 : threeFifths) } });
  assert.deepEqual(
    shortOnly.trials.map((t) => t.rung),
    Array(12).fill(0),
  );

  // Not even the bake-off head's final fit is affordable: no trial at all, the bake-off head stays.
  const none = await round({ finalFit: { end: 0, estimateMs: () => 1 } });
  assert.deepEqual([none.trials.length, none.bestTrial], [0, -1]);
  assert.equal(none.best, bakeOff);
});

test('no two configs of a round train the same head, nor the bake-off’s: settings the solver ignores do not make a new trial', () => {
  const base = defaultConfig('frozen', 9);
  // A draw that never changes proposes one head over and over: it is tried once, or not at
  // all when a rule already made it (0: the linear head at L2 1e-4, the L2 path's second step).
  const onPath = planRound(base, 'frozen', 12, 9, () => 0);
  const fixed = onPath.byRule.reduce((sum, rule) => sum + rule.count, 0);
  assert.equal(onPath.configs.length, fixed, onPath.configs.map(headSettings).join(' | '));
  const stuck = planRound(base, 'frozen', 12, 9, () => 0.5);
  assert.equal(stuck.configs.length, fixed + 1, stuck.configs.map(headSettings).join(' | '));
  // Seeded draws over a round far bigger than the L-BFGS part of the space: every head once.
  for (const seed of [1, 7, 42]) {
    const { configs } = planRound(base, 'frozen', 40, 9, createRng(seed));
    const settings = [base, ...configs].map(headSettings);
    assert.equal(new Set(settings).size, settings.length, `seed ${seed}: ${settings.join(' | ')}`);
    assert.ok(configs.length > 20, `seed ${seed}: ${configs.length} configs`);
  }
});

test('a trial starts only when it and the final fit after it end in time, for the best model then', () => {
  const cost = { trialMs: 30, finalFitMs: 20 };
  assert.equal(affordsTrial(0, 100, 10, cost), true, '30 + 20 < 100');
  assert.equal(affordsTrial(60, 100, 10, cost), false, 'the trial would leave 10 ms for a final fit of 20');
  assert.equal(affordsTrial(0, 100, 75, cost), false, 'the best so far needs 75 after the trial');
  assert.equal(affordsTrial(0, 100, 10, { trialMs: 30, finalFitMs: 70 }), false, 'this trial, should it win, needs 70 after itself');
  assert.equal(affordsTrial(0, 100, 0, { trialMs: 0, finalFitMs: 0 }), true, 'a first trial of unknown cost starts while the best model refits in time');
});

test('the same seed gives the same trials; another seed proposes others', async () => {
  const { bakeOff, outcome: a } = await standard();
  const b = await runTuning(candidate, bakeOff, context({ seed: 7 }));
  assert.deepEqual(b.trials, a.trials);
  assert.equal(b.bestTrial, a.bestTrial);
  assert.deepEqual([...b.best.head.weights.dense[0].kernel], [...a.best.head.weights.dense[0].kernel], 'the same model');
  const other = await runTuning(candidate, bakeOff, context({ seed: 8 }));
  assert.notDeepEqual(
    other.trials.slice(1).map((t) => t.config),
    a.trials.slice(1).map((t) => t.config),
  );
  assert.deepEqual(other.trials[0].config, a.trials[0].config, 'trial 0 is the seed rule whatever the seed');
});
