import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandInputs, globToRegExp } from '../src/cli/commands/predict.js';
import { InputError } from '../src/core/errors.js';

test('globs: * and ? stay within a folder, ** crosses folders', () => {
  assert.ok(globToRegExp('photos/*.jpg').test('photos/a.jpg'));
  assert.ok(!globToRegExp('photos/*.jpg').test('photos/x/a.jpg'));
  assert.ok(globToRegExp('photos/**/*.jpg').test('photos/x/y/a.jpg'));
  assert.ok(globToRegExp('photos/**/*.jpg').test('photos/a.jpg'));
  assert.ok(globToRegExp('img-?.png').test('img-1.png') && !globToRegExp('img-?.png').test('img-12.png'));
  assert.ok(!globToRegExp('a.b').test('axb'), 'dots are literal');
});

test('predict inputs: files, folders (recursively, images only) and quoted globs, each once', async () => {
  const folder = await expandInputs(['sample-dataset/bag']);
  assert.equal(folder.length, 36);
  assert.ok(folder.every((f) => f.startsWith('sample-dataset/bag/') && f.endsWith('.png')));
  const globbed = await expandInputs(['sample-dataset/**/train-0*.png']);
  assert.ok(globbed.length > 4 && globbed.every((f) => /\/train-0[^/]*\.png$/.test(f)));
  assert.ok(new Set(globbed.map((f) => f.split('/')[1])).size > 1, 'the glob crossed label folders');
  const both = await expandInputs(['sample-dataset/bag', folder[0]!]);
  assert.equal(both.length, 36, 'a file named twice is classified once');
  await assert.rejects(expandInputs(['nothing/*.jpg']), (e: unknown) => e instanceof InputError && /No images match/.test(e.message));
  await assert.rejects(expandInputs(['missing.png']), (e: unknown) => e instanceof InputError && /was not found/.test(e.message));
});
