/** The one rule for "better than" (training/score.ts), as a table of pairs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareScores, differenceInterval, isBetter, tInterval, wilsonInterval, type Score } from '../src/core/training/score.js';

const linear = (weightDecay: number) => ({ hiddenUnits: [], weightDecay });
const rows: { a: Score; b: Score; better: 'a' | 'b' | 'tie'; why: string }[] = [
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, config: linear(1e-2) },
    b: { valAccuracy: 0.8, valLoss: 0.2, config: linear(1e-3) },
    better: 'a',
    why: 'equal accuracy: the stronger L2, before the loss',
  },
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, config: linear(1e-4) },
    b: { valAccuracy: 0.8, valLoss: 0.2, config: { hiddenUnits: [128], weightDecay: 1e-2 } },
    better: 'a',
    why: 'equal accuracy: fewer hidden layers, before the L2',
  },
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, backboneParams: 1e6, config: linear(1e-4) },
    b: { valAccuracy: 0.8, valLoss: 0.2, backboneParams: 2e6, config: linear(1e-1) },
    better: 'a',
    why: 'equal accuracy: the cheaper backbone, before the head',
  },
  {
    a: { valAccuracy: 0.81, valLoss: 0.3, config: linear(1e-4) },
    b: { valAccuracy: 0.8, valLoss: 0.2, config: linear(1e-1) },
    better: 'a',
    why: 'accuracy before the head',
  },
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, config: linear(1e-3) },
    b: { valAccuracy: 0.8, valLoss: 0.2 },
    better: 'b',
    why: 'one head unknown: the loss decides',
  },
  { a: { valAccuracy: 0.9, valLoss: 0.9 }, b: { valAccuracy: 0.8, valLoss: 0.1 }, better: 'a', why: 'accuracy first, whatever the loss' },
  { a: { valAccuracy: 0.8, valLoss: 0.3 }, b: { valAccuracy: 0.8, valLoss: 0.2 }, better: 'b', why: 'equal accuracy: the lower loss' },
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, backboneParams: 1e6 },
    b: { valAccuracy: 0.8, valLoss: 0.2, backboneParams: 2e6 },
    better: 'a',
    why: 'equal accuracy: the cheaper backbone, before the loss',
  },
  {
    a: { valAccuracy: 0.8, valLoss: 0.3, backboneParams: 1e6 },
    b: { valAccuracy: 0.8, valLoss: 0.2, backboneParams: 1e6 },
    better: 'b',
    why: 'same backbone: the loss',
  },
  { a: { valAccuracy: 0.8, valLoss: 0.2 }, b: { valAccuracy: 0.8, valLoss: 0.2 }, better: 'tie', why: 'alike: neither is better, so the incumbent stays' },
];

for (const { a, b, better, why } of rows) {
  test(`better than: ${why}`, () => {
    assert.equal(isBetter(a, b), better === 'a');
    assert.equal(isBetter(b, a), better === 'b');
    assert.equal(Math.sign(compareScores(a, b)), better === 'a' ? -1 : better === 'b' ? 1 : 0);
  });
}

// Wilson 95% intervals against published values (e.g. Newcombe 1998, and R's prop.test without continuity correction).
const wilsonRows: { successes: number; trials: number; low: number; high: number }[] = [
  { successes: 22, trials: 22, low: 0.851, high: 1 },
  { successes: 0, trials: 10, low: 0, high: 0.2775 },
  { successes: 81, trials: 263, low: 0.2553, high: 0.3662 },
  { successes: 15, trials: 148, low: 0.0624, high: 0.1605 },
];
for (const { successes, trials, low, high } of wilsonRows) {
  test(`Wilson interval: ${successes}/${trials} → [${low}, ${high}]`, () => {
    const e = wilsonInterval(successes, trials);
    assert.equal(e.method, 'wilson');
    assert.ok(Math.abs(e.low - low) < 6e-4 && Math.abs(e.high - high) < 6e-4, `[${e.low}, ${e.high}]`);
    assert.equal(e.mean, successes / trials);
  });
}

test('Wilson interval: no trials says nothing (0 to 1)', () => {
  assert.deepEqual(wilsonInterval(0, 0), { mean: 0, low: 0, high: 1, method: 'wilson' });
});

test('t-interval over folds: mean ± t(0.975, k−1)·s/√k, clamped to [0, 1]', () => {
  // Five folds: mean 0.8, sample sd 0.0158, t(4) = 2.776 → half-width 0.0196.
  const e = tInterval([0.78, 0.8, 0.82, 0.79, 0.81]);
  assert.equal(e.method, 't-interval');
  assert.ok(Math.abs(e.mean - 0.8) < 1e-12);
  assert.ok(Math.abs(e.low - (0.8 - 2.776 * Math.sqrt(0.00025 / 5))) < 1e-9 && Math.abs(e.high - (0.8 + 2.776 * Math.sqrt(0.00025 / 5))) < 1e-9);
  assert.equal(tInterval([1, 1, 0.9]).high, 1, 'clamped at 1');
  assert.equal(tInterval([0.5, 0.5]).low, 0.5, 'identical folds: zero width');
  assert.throws(() => tInterval([0.9]), /at least two/);
});

test("Difference of two accuracies: Newcombe's hybrid score interval, as published", () => {
  // Newcombe (1998), method 10, on 56/70 against 48/80: 0.2000 (0.0524 to 0.3339).
  const e = differenceInterval({ successes: 56, trials: 70 }, { successes: 48, trials: 80 });
  assert.ok(Math.abs(e.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(e.low - 0.0524) < 5e-5 && Math.abs(e.high - 0.3339) < 5e-5, `${e.low} to ${e.high}`);
  // All right on both sides: zero gap, and an interval as wide as the smaller sample leaves it.
  const perfect = differenceInterval({ successes: 1750, trials: 1750 }, { successes: 22, trials: 22 });
  assert.equal(perfect.mean, 0);
  assert.ok(Math.abs(perfect.high - (1 - wilsonInterval(22, 22).low)) < 1e-12 && perfect.low < 0 && perfect.low > -0.01);
});

test('the gap to the test split, in words: lower or higher only when its interval leaves out zero', async () => {
  const { gapBeyondNoise, gapSentence } = await import('../src/core/evaluate-folder.js');
  // The cross-source benchmark's auto model: 1,656 of 1,750 on source B against 254 of 256 on its test split.
  const atTraining = { images: 256, accuracy: 254 / 256 };
  const lower = differenceInterval({ successes: 1656, trials: 1750 }, { successes: 254, trials: 256 });
  assert.ok(gapBeyondNoise(lower));
  assert.match(
    gapSentence({ atTraining, gap: lower })!,
    /^Test split at training: 99\.2% of 256\. Here it is 4\.6 points lower \(95% interval of the gap: −5\.\d to −2\.\d points\): these images are harder/,
  );
  const same = differenceInterval({ successes: 21, trials: 22 }, { successes: 254, trials: 256 });
  assert.ok(!gapBeyondNoise(same));
  assert.match(
    gapSentence({ atTraining, gap: same }, 'Test set')!,
    /^Test set: 99\.2% of 256\. The difference is within the noise of the two samples \(95% interval of the gap: −\d+\.\d to \+\d\.\d points\)\.$/,
  );
  const higher = differenceInterval({ successes: 254, trials: 256 }, { successes: 150, trials: 200 });
  assert.match(
    gapSentence({ atTraining: { images: 200, accuracy: 0.75 }, gap: higher })!,
    /Here it is 24\.2 points higher \(95% interval of the gap: \+\d+\.\d to \+\d+\.\d points\)\.$/,
  );
  assert.equal(gapSentence({ atTraining: undefined, gap: higher }), null, 'nothing to compare with');
});
