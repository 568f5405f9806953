import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultJsonSchema } from '../src/core/result-json-schema.js';
import { parseRunResult, SCHEMA_VERSION, type RunResult } from '../src/core/result.js';
import { FIXTURES, schemaStamp } from './fixtures/run-results.js';

const root = join(import.meta.dirname, '..');

test('docs/result.schema.json is generated from the zod schema and up to date', () => {
  assert.equal(readFileSync(join(root, 'docs', 'result.schema.json'), 'utf8'), resultJsonSchema(), 'run: npx tsx scripts/write-result-schema.ts');
});

test('the committed fixtures are real runs of the current schema', () => {
  const stamp: unknown = JSON.parse(readFileSync(FIXTURES.stamp, 'utf8'));
  assert.deepEqual(stamp, schemaStamp(), 'test/fixtures were written for another schema: run npm run fixtures');
  for (const path of [FIXTURES.run, FIXTURES.baseline, FIXTURES.weak]) {
    const result = parseRunResult(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
    assert.equal(result.schemaVersion, SCHEMA_VERSION);
    // Written by a real `train` from relative paths: the dataset as given, the model next to result.json.
    assert.equal(result.dataset.root, 'sample-dataset');
    assert.equal(result.model.dir, 'model');
  }
});

test('a result.json that breaks the schema is refused with the field named', () => {
  const example = JSON.parse(readFileSync(FIXTURES.run, 'utf8')) as RunResult;
  assert.doesNotThrow(() => parseRunResult(example));
  const broken = structuredClone(example);
  broken.test.accuracy = 1.7;
  assert.throws(
    () => parseRunResult(broken, 'old/result.json'),
    new RegExp(`old/result\\.json is not a classifier-ci result \\(schema v${SCHEMA_VERSION}\\): test\\.accuracy:`),
  );
  assert.throws(() => parseRunResult({ ...example, schemaVersion: SCHEMA_VERSION - 1 }), /schemaVersion/);
  // A v1 result kept the split ratios in dataset.split; v2 refuses it by the missing counts.
  const v1 = structuredClone(example) as unknown as { dataset: Record<string, unknown> };
  delete v1.dataset.splitCounts;
  v1.dataset.split = { train: 0.7, val: 0.15, test: 0.15 };
  assert.throws(() => parseRunResult(v1), /dataset\.splitCounts/);
});
