/**
 * Bad input, configuration: malformed backbone specs and URLs, zero/negative/non-numeric
 * budgets and counts, unknown fine-tune values. Unknown backbone names, split sums and
 * unknown options are in test/cli.test.ts; unreachable URLs in test/backbones.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULTS, validateOptions, type TrainOptions } from '../src/core/options.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { startCli } from './helpers/fixtures.js';

const VALID =
  /Valid backbones: mobilenet_v2, inception_v3, hog, small_cnn, auto, an https:\/\/ URL of a TF\.js model\.json or an \.onnx file, or a local path to either/;

function inputError(work: () => unknown, message: RegExp, subject?: string) {
  assert.throws(work, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    if (subject !== undefined) assert.equal(e.subject, subject);
    return true;
  });
}

test('malformed backbone URLs and specs: each names the spec, what is wrong, and the valid forms', () => {
  inputError(() => parseBackboneSpec('https://'), /^Backbone "https:\/\/" is not a valid URL\. /, 'https://');
  inputError(() => parseBackboneSpec('https://exa mple.com/model.json@224'), /is not a valid URL\. Valid backbones: /);
  inputError(() => parseBackboneSpec('file:///etc/model.json@224'), /only https:\/\/ URLs are supported\. Valid backbones: /);
  inputError(
    () => parseBackboneSpec('http://host/m/model.json@224'),
    /^Backbone "http:\/\/host\/m\/model\.json@224": plain http:\/\/ is refused \(anyone on the way could swap the weights\); use https:\/\/\.$/,
  );
  inputError(
    () => parseBackboneSpec('https://h/m.json@224,sha256=xyz'),
    /^Backbone "https:\/\/h\/m\.json@224,sha256=xyz": sha256 must be 64 hex digits \(the output of "sha256sum model\.json"\)\.$/,
  );
  inputError(
    () => parseBackboneSpec('./enc.onnx@224,scale=2'),
    /^Backbone "\.\/enc\.onnx@224,scale=2": unknown option "scale="\. ONNX models take range=, layout=, mean=, std=, output=, sha256=\.$/,
  );
  inputError(
    () => parseBackboneSpec('https://host/model.json'),
    /^Backbone "https:\/\/host\/model\.json": say the model's input size, e\.g\. https:\/\/host\/model\.json@224/,
  );
  inputError(() => parseBackboneSpec('https://h/m.json@224,range=1:0'), /range must be min:max with max above min/);
  inputError(
    () => parseBackboneSpec('mobilenet_v2@abc'),
    /^Backbone "mobilenet_v2@abc": the part after @ must be an input size in pixels, e\.g\. mobilenet_v2@160\.$/,
  );
  inputError(() => parseBackboneSpec('mobilenet_v2@'), /the part after @ must be an input size/);
  inputError(() => parseBackboneSpec('mobilenet_v2@8'), /mobilenet_v2 needs an input size between 32 and 1024 pixels/);
  inputError(() => parseBackboneSpec('small_cnn@500'), /small_cnn input size must be between 8 and 128 pixels/);
  inputError(() => parseBackboneSpec(''), VALID);
  for (const spec of ['https://', 'resnet50']) inputError(() => parseBackboneSpec(spec), VALID);
});

test('zero, negative and fractional numbers are refused, naming the option', () => {
  const base: TrainOptions = { datasetPath: 'd', outDir: 'o', cacheDir: 'c', workers: 1, ...DEFAULTS, fineTune: 'auto' };
  const cases: [Partial<TrainOptions>, RegExp][] = [
    [{ budgetSeconds: 0 }, /^The budget must be a positive number of seconds, got 0\.$/],
    [{ budgetSeconds: -30 }, /^The budget must be a positive number of seconds, got -30\.$/],
    [{ budgetSeconds: Number.NaN }, /The budget must be a positive number of seconds/],
    [{ trials: 0 }, /^trials must be a positive whole number, got 0\.$/],
    [{ epochs: 2.5 }, /^epochs must be a positive whole number, got 2\.5\.$/],
    [{ workers: 0 }, /^workers must be a positive whole number/],
    [{ maxPixels: -1 }, /^max-pixels must be a positive whole number/],
    [{ seed: 0.5 }, /^seed must be a whole number, got 0\.5\.$/],
    [{ fineTune: 'yes' as TrainOptions['fineTune'] }, /^fine-tune must be one of auto, true, false; got "yes"\.$/],
    [{ backbones: [] }, /^backbones is empty: name at least one backbone, or "auto"\.$/],
  ];
  for (const [change, message] of cases) inputError(() => validateOptions({ ...base, ...change }), message);
  assert.doesNotThrow(() => validateOptions(base));
});

test('classifier-ci train with bad options exits 2 with one line, before reading the dataset', async () => {
  const dataset = sampleSubset(3, ['bag', 'trouser']);
  const out = join(tempDir(), 'out');
  const cases: [string[], RegExp][] = [
    [['--budget', '0'], /^error: The budget must be a positive number of seconds, got 0\.$/],
    [['--budget=-5'], /^error: The budget must be a positive number of seconds, got -5\.$/],
    [['--budget', 'ten'], /^error: --budget must be a number, got "ten"\.$/],
    [['--fine-tune', 'yes'], /^error: fine-tune must be one of auto, true, false; got "yes"\.$/],
    [
      ['--backbones', 'https://exa mple.com/model.json@224'],
      /^error: Backbone "https:\/\/exa mple\.com\/model\.json@224" is not a valid URL\. Valid backbones: /,
    ],
    [['--backbones', 'mobilenet_v2,https://host/model.json'], /^error: Backbone "https:\/\/host\/model\.json": say the model's input size/],
  ];
  // One after another: the machine's cores are shared.
  for (const [args, message] of cases) {
    const run = await startCli(['train', dataset, '--out', out, '--cache-dir', join(tempDir(), 'cache'), ...args]).done;
    assert.equal(run.code, 2, `${args.join(' ')} → ${run.code}: ${run.err}`);
    const lines = run.err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    assert.equal(lines.length, 1, `${args.join(' ')}: one error line`);
    assert.match(lines[0], message);
    assert.doesNotMatch(run.err, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(run.err, /Checking images/, `${args.join(' ')}: refused before reading the dataset`);
  }
});
