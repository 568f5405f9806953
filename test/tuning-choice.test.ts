/**
 * The hyperparameter round's choice by cross-validation (training/tuning-choice.ts): the
 * one-standard-error rule on typed fold scores, the validation noise band, and real heads on
 * the synthetic clusters scored on the bake-off's folds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../src/core/backend/select.js';
import { silentLogger } from '../src/core/ports.js';
import { Tuning, type HeadConfig } from '../src/core/result.js';
import { defaultConfig, fit, type FittedModel } from '../src/core/training/candidates.js';
import { crossValidate } from '../src/core/training/selection.js';
import { wilsonInterval } from '../src/core/training/score.js';
import {
  chooseByCrossValidation,
  oneStandardErrorPick,
  withinValidationNoise,
  ONE_STANDARD_ERROR_RULE,
  type FoldScores,
} from '../src/core/training/tuning-choice.js';
import { headSettings } from '../src/core/training/head-settings.js';
import { l2Path, runTuning } from '../src/core/training/tuning.js';
import { LABELS, syntheticCandidate } from './helpers/synthetic-embeddings.js';

await ensureBackend();

const candidate = syntheticCandidate({ train: 90, val: 45, test: 45 });
const linear = (weightDecay: number): HeadConfig => ({ ...defaultConfig('frozen', 9), weightDecay });
const hidden = (weightDecay: number): HeadConfig => ({ ...linear(weightDecay), solver: 'adam', hiddenUnits: [64], epochs: 9 });
const scored = (trial: number, config: HeadConfig, folds: number[]): FoldScores => ({ trial, config, folds });

function tickingClock(step = 5) {
  let t = 0;
  return () => (t += step);
}

test('one standard error: the simplest head within one standard error of the best mean wins', () => {
  // Best mean 0.96, folds 0.94/0.96/0.98: standard error 0.01154…, so the bar is 0.9485.
  const best = scored(0, linear(1e-4), [0.94, 0.96, 0.98]);
  const cases: [string, FoldScores[], number][] = [
    ['a stronger L2 within one standard error wins', [best, scored(1, linear(1e-1), [0.95, 0.95, 0.95])], 1],
    ['a stronger L2 below the bar loses', [best, scored(1, linear(1e-1), [0.94, 0.94, 0.95])], 0],
    ['fewer hidden layers before the stronger L2', [scored(0, hidden(1e-1), [0.94, 0.96, 0.98]), scored(1, linear(1e-4), [0.95, 0.95, 0.95])], 1],
    ['no simpler head within reach: the best mean', [best, scored(1, linear(1e-5), [0.95, 0.95, 0.95])], 0],
    ['among equally simple heads, the higher mean', [best, scored(1, linear(1e-1), [0.95, 0.95, 0.95]), scored(2, linear(1e-1), [0.96, 0.95, 0.96])], 2],
  ];
  for (const [name, scores, chosen] of cases) assert.equal(oneStandardErrorPick(scores).chosen.trial, chosen, name);
  const { bar } = oneStandardErrorPick([best]);
  assert.ok(Math.abs(bar - (0.96 - 0.02 / Math.sqrt(3))) < 1e-12, `the bar is the best mean less its standard error: ${bar}`);
  assert.equal(oneStandardErrorPick([best, scored(1, linear(1e-1), [bar, bar, bar])]).chosen.trial, 1, 'a mean on the bar reaches it');
  assert.throws(() => oneStandardErrorPick([]), /at least one/);
});

test('how a head reads: every setting its solver uses, so two heads that read alike are alike', () => {
  const lbfgs = linear(1e-4);
  assert.equal(headSettings(lbfgs), 'L-BFGS, L2 0.0001');
  // Label smoothing changes an L-BFGS head's fit: heads that differ only in it must read apart.
  assert.equal(headSettings({ ...lbfgs, labelSmoothing: 0.05 }), 'L-BFGS, L2 0.0001, label smoothing 0.05');
  // L-BFGS ignores the learning rate, the batch and dropout, so they are not named.
  assert.equal(headSettings({ ...lbfgs, learningRate: 0.5, batchSize: 7, dropout: 0.4 }), headSettings(lbfgs));
  assert.equal(headSettings({ ...lbfgs, scaling: 'global' }), 'L-BFGS, L2 0.0001, one scale for all features');
  const adam: HeadConfig = { ...hidden(1e-3), learningRate: 0.002, batchSize: 16, dropout: 0.3, labelSmoothing: 0.1 };
  assert.equal(headSettings(adam), 'Adam, lr 0.002, batch 16, hidden [64], dropout 0.3, L2 0.001, label smoothing 0.1');
});

test('the validation noise band: the models inside the 95% Wilson interval of the best, best first', () => {
  const model = (valAccuracy: number, weightDecay: number): FittedModel => ({
    head: { valAccuracy, valLoss: 0.1 } as FittedModel['head'],
    config: linear(weightDecay),
    seconds: 1,
  });
  // 45 of 45 right: the Wilson interval's low end is 92.1%.
  const band = withinValidationNoise(
    [
      { trial: -1, model: model(0.9, 1e-3) },
      { trial: 0, model: model(1, 1e-3) },
      { trial: 1, model: model(0.93, 1e-3) },
      { trial: 2, model: model(1, 1e-1) },
    ],
    45,
  );
  assert.deepEqual(
    band.map((c) => c.trial),
    [2, 0, 1],
    'at 100% the stronger L2 first (score.ts); 93% is within noise of 45 images, 90% is not',
  );
  assert.deepEqual(withinValidationNoise([], 45), []);
});

test('the L2 path of a linear head: a hundred times and a tenth of its L2; none for Adam heads', () => {
  assert.deepEqual(
    l2Path(linear(1e-3)).map((c) => c.weightDecay),
    [0.1, 1e-4],
  );
  assert.deepEqual(
    l2Path(linear(0)).map((c) => c.weightDecay),
    [1e-2, 1e-4],
  );
  assert.deepEqual(l2Path(hidden(1e-3)), []);
  const [step] = l2Path(linear(1e-3));
  assert.deepEqual({ ...step, weightDecay: 1e-3 }, linear(1e-3), 'only the L2 changes');
});

test('contenders are scored on the bake-off’s folds, and the rule picks among them', async () => {
  const ctx = { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: tickingClock() };
  const heads = await Promise.all([1e-4, 1e-2, 1e-1].map((l2) => fit(candidate, linear(l2), ctx)));
  const contenders = heads.map((model, i) => ({ trial: i - 1, model }));
  const choice = await chooseByCrossValidation(candidate, contenders, ctx);
  assert.ok(choice.chosen !== undefined, 'three heads scored, one chosen');
  assert.equal(choice.folds, 5);
  assert.deepEqual(
    choice.scores.map((s) => s.trial),
    [-1, 0, 1],
  );
  // The bake-off's cross-validation of the same head gives the same fold scores: the same folds, trained the same way.
  const bakeOffCv = await crossValidate(candidate, heads[0], ctx);
  assert.deepEqual(choice.scores[0].folds, bakeOffCv.scores);
  assert.equal(choice.chosen, oneStandardErrorPick(choice.scores).chosen.trial);
  // The trials table does not list the bake-off head, so the count says it is one of them.
  assert.match(choice.reason, /^5-fold cross-validation of the 3 heads within noise of the best on validation, the bake-off head among them: /);
  const trialsOnly = await chooseByCrossValidation(candidate, contenders.slice(1), ctx);
  assert.match(trialsOnly.chosen !== undefined ? trialsOnly.reason : '', /^5-fold cross-validation of the 2 heads within noise of the best on validation: /);
});

test('without time, or with one contender, there is no choice, and the note says why', async () => {
  const ctx = { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: tickingClock() };
  const head = await fit(candidate, linear(1e-3), ctx);
  const other = await fit(candidate, linear(1e-2), ctx);
  const alone = await chooseByCrossValidation(candidate, [{ trial: -1, model: head }], ctx);
  assert.equal(alone.chosen, undefined);
  assert.ok('note' in alone && /no other head was within noise/.test(alone.note));
  const late = await chooseByCrossValidation(
    candidate,
    [
      { trial: -1, model: head },
      { trial: 0, model: other },
    ],
    { ...ctx, deadline: 0 },
  );
  assert.ok('note' in late && late.note === 'time allowed cross-validating 0 of the 2 heads within noise on validation', JSON.stringify(late));
  // The final fit's check is asked too: refused for the second head, only one is scored.
  const gated = await chooseByCrossValidation(
    candidate,
    [
      { trial: -1, model: head },
      { trial: 0, model: other },
    ],
    { ...ctx, affords: (_ms, model) => model === head },
  );
  assert.deepEqual(
    gated.scores.map((s) => s.trial),
    [-1],
  );
});

test('the round with cross-validation: its choice, the estimates on the trials, in the RunResult schema', async () => {
  const clock = tickingClock();
  const bakeOff = await fit(candidate, defaultConfig('frozen', 9), { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: clock });
  const lines: string[] = [];
  const outcome = await runTuning(candidate, bakeOff, {
    numClasses: LABELS,
    maxTrials: 6,
    maxEpochs: 9,
    seed: 7,
    deadline: Number.MAX_SAFE_INTEGER,
    now: clock,
    log: { ...silentLogger, info: (m: string) => lines.push(m) },
    crossValidate: true,
  });
  assert.deepEqual(
    outcome.trials.slice(0, 4).map((t) => [t.config.weightDecay, t.config.scaling ?? 'feature']),
    [
      [1e-2, 'feature'],
      [1e-1, 'feature'],
      [1e-4, 'feature'],
      [1e-3, 'global'],
    ],
    'the seed rule, the L2 path, then the bake-off head with one scale for all features',
  );
  assert.equal(outcome.strategy, 'successive halving over 6 seeded proposals; trial 1 by the seed rule, 2–3 on the L2 path, 4 with one scale for all features');
  const choice = outcome.choice!;
  assert.equal(choice.rule, ONE_STANDARD_ERROR_RULE);
  assert.equal(choice.folds, 5);
  Tuning.shape.choice.parse(choice);
  const scoredTrials = outcome.trials.filter((t) => t.cv);
  assert.ok(scoredTrials.length + (choice.bakeOffHead ? 1 : 0) >= 2, 'at least two heads cross-validated');
  for (const t of scoredTrials) assert.ok(t.cv!.folds === 5 && t.cv!.low <= t.cv!.mean && t.cv!.mean <= t.cv!.high);
  // The chosen model is the one behind the chosen record, and the log says why.
  if (outcome.bestTrial >= 0) {
    const chosen = outcome.trials.find((t) => t.index === outcome.bestTrial)!;
    assert.ok(chosen.cv, 'the chosen trial was cross-validated');
    assert.deepEqual([chosen.valAccuracy, chosen.config], [outcome.best.head.valAccuracy, outcome.best.config]);
  } else assert.equal(outcome.best, bakeOff);
  assert.ok(lines.includes(`Choice: ${choice.reason}`), lines.join('\n'));
});

test('with time enough, every head within noise on validation is cross-validated, and no other', async () => {
  const clock = tickingClock();
  const bakeOff = await fit(candidate, defaultConfig('frozen', 9), { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: clock });
  for (const seed of [7, 8, 11]) {
    const outcome = await runTuning(candidate, bakeOff, {
      numClasses: LABELS,
      maxTrials: 8,
      maxEpochs: 9,
      seed,
      deadline: Number.MAX_SAFE_INTEGER,
      now: clock,
      log: silentLogger,
      crossValidate: true,
    });
    const records = [{ trial: -1, valAccuracy: bakeOff.head.valAccuracy, scored: outcome.choice?.bakeOffHead !== undefined }].concat(
      outcome.trials.map((t) => ({ trial: t.index, valAccuracy: t.valAccuracy, scored: t.cv !== undefined })),
    );
    const top = Math.max(...records.map((r) => r.valAccuracy));
    const floor = wilsonInterval(Math.round(top * candidate.val.rows), candidate.val.rows).low;
    for (const r of records)
      assert.equal(r.scored, r.valAccuracy >= floor, `seed ${seed}, trial ${r.trial}: ${r.valAccuracy} against the band's floor ${floor}`);
    assert.ok(records.some((r) => !r.scored) || records.length > 2, `seed ${seed}: the band is not everything by construction`);
  }
});

test('trials stop in time for the choice’s cross-validation', async () => {
  const bakeOff = await fit(candidate, defaultConfig('frozen', 9), { numClasses: LABELS, seed: 7, deadline: Number.MAX_SAFE_INTEGER, now: tickingClock() });
  const round = async (share: number) => {
    const clock = tickingClock();
    const start = clock();
    const deadline = share === 1 ? Number.MAX_SAFE_INTEGER : start + share * unlimitedTicks;
    const outcome = await runTuning(candidate, bakeOff, {
      numClasses: LABELS,
      maxTrials: 8,
      maxEpochs: 9,
      seed: 7,
      deadline,
      now: clock,
      log: silentLogger,
      crossValidate: true,
    });
    return { outcome, ticks: clock() - start };
  };
  let unlimitedTicks = Infinity;
  const unlimited = await round(1);
  unlimitedTicks = unlimited.ticks;
  assert.equal(unlimited.outcome.trials.length, 8);
  for (const share of [0.4, 0.6]) {
    const { outcome, ticks } = await round(share);
    assert.ok(outcome.trials.length < 8, `share ${share}: fewer trials (${outcome.trials.length})`);
    assert.equal(outcome.choice?.rule, ONE_STANDARD_ERROR_RULE, `share ${share}: the choice still ran: ${JSON.stringify(outcome.choice)}`);
    assert.ok(ticks <= share * unlimitedTicks + 50, `share ${share}: ended by the deadline (${ticks} of ${share * unlimitedTicks} ticks)`);
  }
});
