/** The one rule for "better than" (training/score.ts), as a table of pairs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareScores, isBetter, type Score } from '../src/core/training/score.js';

const rows: { a: Score; b: Score; better: 'a' | 'b' | 'tie'; why: string }[] = [
  { a: { valAccuracy: 0.9, valLoss: 0.9 }, b: { valAccuracy: 0.8, valLoss: 0.1 }, better: 'a', why: 'accuracy first, whatever the loss' },
  { a: { valAccuracy: 0.8, valLoss: 0.3 }, b: { valAccuracy: 0.8, valLoss: 0.2 }, better: 'b', why: 'equal accuracy: the lower loss' },
  { a: { valAccuracy: 0.8, valLoss: 0.3, backboneParams: 1e6 }, b: { valAccuracy: 0.8, valLoss: 0.2, backboneParams: 2e6 }, better: 'a', why: 'equal accuracy: the cheaper backbone, before the loss' },
  { a: { valAccuracy: 0.8, valLoss: 0.3, backboneParams: 1e6 }, b: { valAccuracy: 0.8, valLoss: 0.2, backboneParams: 1e6 }, better: 'b', why: 'same backbone: the loss' },
  { a: { valAccuracy: 0.8, valLoss: 0.2 }, b: { valAccuracy: 0.8, valLoss: 0.2 }, better: 'tie', why: 'alike: neither is better, so the incumbent stays' },
];

for (const { a, b, better, why } of rows) {
  test(`better than: ${why}`, () => {
    assert.equal(isBetter(a, b), better === 'a');
    assert.equal(isBetter(b, a), better === 'b');
    assert.equal(Math.sign(compareScores(a, b)), better === 'a' ? -1 : better === 'b' ? 1 : 0);
  });
}
