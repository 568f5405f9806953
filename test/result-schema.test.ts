import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultJsonSchema } from '../src/core/result-json-schema.js';
import { parseRunResult } from '../src/core/result.js';

const root = join(import.meta.dirname, '..');

test('docs/result.schema.json is generated from the zod schema and up to date', () => {
  assert.equal(readFileSync(join(root, 'docs', 'result.schema.json'), 'utf8'), resultJsonSchema(), 'run: npx tsx scripts/write-result-schema.ts');
});

test('a result.json that breaks the schema is refused with the field named', () => {
  const example = JSON.parse(readFileSync(join(root, 'docs', 'example-report', 'result.json'), 'utf8'));
  assert.doesNotThrow(() => parseRunResult(example));
  const broken = structuredClone(example);
  broken.test.accuracy = 1.7;
  assert.throws(() => parseRunResult(broken, 'old/result.json'), /old\/result\.json is not a classifier-ci result \(schema v2\): test\.accuracy:/);
  assert.throws(() => parseRunResult({ ...example, schemaVersion: 1 }), /schemaVersion/);
});
