import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEmbedding, encodeEmbedding, openEmbeddingStore } from '../src/core/embeddings/cache.js';
import { tempDir } from './helpers/datasets.js';

const vector = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i));

test('entries round-trip exactly', () => {
  assert.deepEqual([...decodeEmbedding(encodeEmbedding(vector))!], [...vector]);
});

test('truncated, corrupted or mismatched entries are rejected, never trusted', () => {
  const bytes = encodeEmbedding(vector);
  assert.equal(decodeEmbedding(bytes.subarray(0, bytes.length - 1)), null, 'truncated');
  const flipped = bytes.slice();
  flipped[40]! ^= 0x10;
  assert.equal(decodeEmbedding(flipped), null, 'bit flip');
  assert.equal(decodeEmbedding(bytes, 64), null, 'wrong dimension for this backbone');
  assert.equal(decodeEmbedding(new TextEncoder().encode('not an embedding at all')), null);
});

test('the store recomputes damaged entries and counts them', async () => {
  const dir = tempDir();
  const store = openEmbeddingStore(dir, 'backbone-key', 32);
  await store.put('ab'.repeat(32), vector);
  assert.deepEqual([...(await store.get('ab'.repeat(32)))!], [...vector]);
  assert.equal(await store.get('cd'.repeat(32)), null);
  const file = join(dir, 'embeddings', readdirSync(join(dir, 'embeddings'))[0]!, 'ab', `${'ab'.repeat(32)}.emb`);
  writeFileSync(file, readFileSync(file).subarray(0, 20));
  const reopened = openEmbeddingStore(dir, 'backbone-key', 32);
  assert.equal(await reopened.get('ab'.repeat(32)), null);
  assert.equal(reopened.corrupt, 1);
  assert.deepEqual(readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
});

test('different backbone keys never share entries', async () => {
  const dir = tempDir();
  await openEmbeddingStore(dir, 'mobilenet@224', 32).put('ef'.repeat(32), vector);
  assert.equal(await openEmbeddingStore(dir, 'mobilenet@160', 32).get('ef'.repeat(32)), null);
});
