import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choiceOption, numberOption } from '../src/cli/options.js';

test('numberOption: absent takes the default; each rule refuses with the option, the value and what it takes', () => {
  assert.equal(numberOption(undefined, 'budget', 600), 600);
  assert.equal(numberOption('1.5', 'budget', 600), 1.5);
  assert.equal(numberOption('-3', 'seed', 42, { whole: true }), -3);
  const cases: [string, { whole?: boolean; positive?: boolean }, string][] = [
    ['ten', {}, '--x must be a number, got "ten".'],
    [' ', {}, '--x must be a number, got " ".'],
    ['1.5', { whole: true }, '--x must be a whole number, got "1.5".'],
    ['0', { whole: true, positive: true }, '--x must be a whole number above 0, got "0".'],
    ['-0.5', { positive: true }, '--x must be a number above 0, got "-0.5".'],
  ];
  for (const [value, rule, message] of cases) assert.throws(() => numberOption(value, 'x', 1, rule), { name: 'InputError', message });
});

test('choiceOption: absent takes the first; anything else is listed', () => {
  assert.equal(choiceOption(undefined, 'engine', ['auto', 'onnx', 'tfjs']), 'auto');
  assert.equal(choiceOption('tfjs', 'engine', ['auto', 'onnx', 'tfjs']), 'tfjs');
  assert.throws(() => choiceOption('gpu', 'engine', ['auto', 'onnx', 'tfjs']), { message: '--engine must be one of auto, onnx, tfjs, got "gpu".' });
});
