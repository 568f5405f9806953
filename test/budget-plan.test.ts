/**
 * The budget plan is pure: clock values in, clock values out. These rows pin each named
 * share to what it does, so a changed share shows up as a changed row here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_SHARES, planBakeOff, planBudget, planEnsemble, planFineTune, planRound } from '../src/core/run/budget.js';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual}, expected ${expected}`);

test('the plan ends at start + budget', () => {
  const plan = planBudget(1000, 60);
  assert.equal(plan.deadline, 61_000);
  assert.equal(plan.budgetMs, 60_000);
  assert.equal(plan.shares, BUDGET_SHARES);
});

test('after reading the data: a reserve of a tenth (at least 3 s), then half of the rest for the bake-off', () => {
  const plan = planBudget(0, 100);
  // 90 s left after a 10 s scan: reserve 9 s; bake-off gets (90 − 9) / 2 = 40.5 s.
  const roomy = planBakeOff(plan, 10_000);
  close(roomy.reserveMs, 9_000, 'reserve');
  close(roomy.bakeOffEnd, 10_000 + 40_500, 'bake-off end');
  // 20 s left: a tenth would be 2 s, so the 3 s floor holds.
  const tight = planBakeOff(plan, 80_000);
  close(tight.reserveMs, 3_000, 'reserve floor');
  close(tight.bakeOffEnd, 80_000 + 8_500, 'bake-off end');
  // Past the deadline: nothing left, the bake-off's end is already behind (it trains one candidate and stops).
  const late = planBakeOff(plan, 120_000);
  assert.equal(late.reserveMs, 3_000);
  assert.ok(late.bakeOffEnd < 120_000);
});

test('after the bake-off: the ensembles get 35% of the time until the reserve, and nothing once it is spent', () => {
  const plan = planBudget(0, 100);
  // 60 s from the end of the bake-off (30 s) to the reserve (10 s before the deadline): 21 s.
  close(planEnsemble(plan, 30_000, 10_000), 51_000, 'ensembles end');
  close(planEnsemble({ ...plan, shares: { ...BUDGET_SHARES, ensemble: 0.5 } }, 30_000, 10_000), 60_000, 'a bigger share');
  close(planEnsemble(plan, 95_000, 10_000), 95_000, 'past the reserve: no time');
});

test('after the bake-off: the final fit keeps 15% for a head on embeddings; tuning gets 60% of the rest when fine-tuning may follow', () => {
  const plan = planBudget(0, 100);
  const reserveMs = 10_000;
  // 60 s until the reserve: final fit 9 s; fine-tuning ends at 81 s; tuning at 30 + 51 · 0.6 = 60.6 s.
  const frozen = planRound(plan, 30_000, reserveMs, { refitsHead: true, mayFineTune: true });
  close(frozen.finalFitEnd, 90_000, 'final fit end');
  close(frozen.fineTuneEnd, 81_000, 'fine-tune end');
  close(frozen.tuningEnd, 60_600, 'tuning end');
  // No fine-tuning to follow: tuning takes its time too.
  const hog = planRound(plan, 30_000, reserveMs, { refitsHead: true, mayFineTune: false });
  close(hog.tuningEnd, 81_000, 'tuning end without fine-tuning');
  // A small CNN is not refitted: no final-fit share, tuning runs up to the reserve.
  const cnn = planRound(plan, 30_000, reserveMs, { refitsHead: false, mayFineTune: false });
  assert.deepEqual(cnn, { tuningEnd: 90_000, fineTuneEnd: 90_000, finalFitEnd: 90_000 });
});

test('after the bake-off: a final fit estimated dearer than its share (augmented views) gets its estimate with a margin, up to half the time', () => {
  const plan = planBudget(0, 100);
  const reserveMs = 10_000;
  // 60 s until the reserve; the 15% share is 9 s. An estimate of 6 s fits in it.
  close(planRound(plan, 30_000, reserveMs, { refitsHead: true, finalFitEstimateMs: 6_000, mayFineTune: false }).tuningEnd, 81_000, 'cheap final fit');
  // 20 s estimated: 25 s kept (margin 1.25), tuning ends at 65 s.
  close(planRound(plan, 30_000, reserveMs, { refitsHead: true, finalFitEstimateMs: 20_000, mayFineTune: false }).tuningEnd, 65_000, 'dear final fit');
  // 100 s estimated: at most half of the 60 s.
  close(planRound(plan, 30_000, reserveMs, { refitsHead: true, finalFitEstimateMs: 100_000, mayFineTune: false }).tuningEnd, 60_000, 'capped');
});

test('fine-tune: auto needs 5% of the budget left; true runs anyway, for at least a quarter of the budget or 30 s', () => {
  const plan = planBudget(0, 100);
  assert.deepEqual(planFineTune(plan, 70_000, 81_000, 'auto'), { run: true, end: 81_000 });
  assert.deepEqual(planFineTune(plan, 77_000, 81_000, 'auto'), { run: false, leftMs: 4_000 });
  // true, with the time spent: the larger of 30 s and 25 s from now.
  assert.deepEqual(planFineTune(plan, 77_000, 81_000, 'true'), { run: true, end: 107_000 });
  // true, with a big budget: a quarter of it.
  const big = planBudget(0, 1000);
  assert.deepEqual(planFineTune(big, 900_000, 910_000, 'true'), { run: true, end: 1_150_000 });
  // true, with plenty of time left: its planned end.
  assert.deepEqual(planFineTune(big, 100_000, 900_000, 'true'), { run: true, end: 900_000 });
});

test('the shares are named and add up: tuning and fine-tuning split their time between them', () => {
  assert.equal(BUDGET_SHARES.tuning + BUDGET_SHARES.fineTune, 1);
  for (const [name, share] of Object.entries(BUDGET_SHARES)) if (!/(Ms|Margin)$/.test(name)) assert.ok(share > 0 && share < 1, `${name}: ${share}`);
  assert.ok(BUDGET_SHARES.finalFitMargin >= 1, 'a margin on an estimate adds time');
  assert.ok(BUDGET_SHARES.finalFit < BUDGET_SHARES.finalFitMax, 'the cap is above the share');
  // Other shares change the plan as named: a bigger bake-off share moves its end.
  const plan = planBudget(0, 100, { ...BUDGET_SHARES, bakeOff: 0.8 });
  close(planBakeOff(plan, 10_000).bakeOffEnd, 10_000 + 81_000 * 0.8, 'bake-off end with 0.8');
});
