/**
 * Not losing anything: runs killed mid-way, a full disk, and two runs sharing one cache.
 * Each case drives the real CLI as child processes; signals are sent when the child's log
 * shows it is embedding, never after a sleep.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEmbedding } from '../src/core/embeddings/cache.js';
import { sampleSubset, tempDir } from './helpers/datasets.js';
import { enospcPreload, startCli, TINY_TRAIN } from './helpers/fixtures.js';

/** Every file below the cache's embeddings folder: whole entries and stray temp files. */
function cacheFiles(cache: string): { entries: string[]; temps: string[] } {
  let files: string[] = [];
  try {
    files = readdirSync(join(cache, 'embeddings'), { recursive: true }).map(String);
  } catch {
    // No embeddings folder yet.
  }
  return { entries: files.filter((f) => f.endsWith('.emb')).map((f) => join(cache, 'embeddings', f)), temps: files.filter((f) => f.endsWith('.tmp')) };
}

function assertAllReadable(entries: string[]) {
  for (const entry of entries) assert.ok(decodeEmbedding(readFileSync(entry)), `${entry} is a whole, valid entry`);
}

function embeddingCounts(err: string, display = 'MobileNetV2 @\\d+') {
  const match = new RegExp(`${display}: (\\d+) embeddings computed, (\\d+) from cache`).exec(err);
  assert.ok(match, `no embedding count in:\n${err}`);
  return { computed: Number(match[1]), cached: Number(match[2]) };
}

test('a run stopped by SIGINT, then one stopped by SIGTERM, leave a readable cache; the next run reuses what they finished', async (t) => {
  const dataset = sampleSubset(36); // 4 labels × 36: nine batches of 16 at 96 px
  const cache = join(tempDir(), 'cache');
  const args = [
    'train',
    dataset,
    '--out',
    join(tempDir(), 'out'),
    '--cache-dir',
    cache,
    '--backbones',
    'mobilenet_v2@96',
    '--trials',
    '1',
    '--epochs',
    '3',
    '--budget',
    '30',
    '--workers',
    '1',
    '--fine-tune',
    'false',
  ];

  let finished = 0;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    const run = startCli(args);
    // The first progress line is printed once the first batch is in the cache.
    await run.waitForLine(/^ {2}Embedding with MobileNetV2 @96: \d+\/\d+$/);
    run.child.kill(signal);
    const stopped = await run.done;
    assert.equal(stopped.code, code, `exit code after ${signal}:\n${stopped.err}`);
    const lastLine = stopped.err.trimEnd().split('\n').at(-1);
    assert.equal(lastLine, `classifier-ci: stopped by ${signal}. Finished work is kept in the cache; run the same command again to resume.`);
    assert.doesNotMatch(stopped.err, /\n\s+at /, 'no stack trace');
    const { entries } = cacheFiles(cache);
    assertAllReadable(entries);
    assert.ok(entries.length > finished, `${signal}: the stopped run added entries (${finished} → ${entries.length})`);
    assert.ok(entries.length < 144, `${signal}: the run was stopped mid-way (it had embedded all ${entries.length} images before the signal landed)`);
    t.diagnostic(`${signal}: ${entries.length} of 144 embeddings in the cache`);
    finished = entries.length;
  }

  const resumed = await startCli(args).done;
  assert.equal(resumed.code, 0, resumed.err);
  const counts = embeddingCounts(resumed.err);
  assert.equal(counts.cached, finished, 'every entry the stopped runs finished is reused');
  assert.equal(counts.computed + counts.cached, 144);
  assert.equal(cacheFiles(cache).entries.length, 144);
});

/** Stray temp files anywhere below `dir`: atomic writes' `.tmp` files and export's staging folders. */
function leftovers(dir: string): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir, { recursive: true }).map(String);
  } catch {
    // Nothing was written there.
  }
  return files.filter((f) => /\.tmp$|(^|\/)\.model-(new|old)-/.test(f));
}

/** The converted backbones in the cache (the first thing a run on ONNX Runtime writes there). */
function onnxFiles(cache: string): string[] {
  try {
    return readdirSync(join(cache, 'onnx'))
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => join(cache, 'onnx', f));
  } catch {
    return [];
  }
}

const DISK_FULL_ADVICE = 'Free some space \\(or point --cache-dir\\/--out elsewhere\\) and run again; finished work in the cache is kept\\.';

test('a full disk under the cache gives a clear error, exit 2, and leaves no temp files; the next run reuses what was written', async () => {
  const dataset = sampleSubset(5, ['bag', 'trouser']);
  const cache = join(tempDir(), 'cache');
  const args = ['train', dataset, '--out', join(tempDir(), 'out'), '--cache-dir', cache, ...TINY_TRAIN];
  const preload = enospcPreload();

  // The whole cache full: the first write, the backbone converted to ONNX, fails.
  const converting = await startCli(args, { preload: [preload], env: { CCI_TEST_FULL_DISK: cache } }).done;
  assert.equal(converting.code, 2, converting.err);
  assert.match(
    converting.err,
    new RegExp(`^error: The disk is full: could not write .*/cache/onnx/mobilenet_v2-[0-9a-f]+\\.onnx\\. ${DISK_FULL_ADVICE}$`, 'm'),
  );
  assert.doesNotMatch(converting.err, /\n\s+at /, 'no stack trace');
  assert.deepEqual(leftovers(cache), []);
  assert.deepEqual(onnxFiles(cache), []);
  assert.deepEqual(cacheFiles(cache), { entries: [], temps: [] });

  // Only the embeddings' folder full: the conversion lands, the first embedding entry fails.
  const embedding = await startCli(args, { preload: [preload], env: { CCI_TEST_FULL_DISK: join(cache, 'embeddings') } }).done;
  assert.equal(embedding.code, 2, embedding.err);
  assert.match(embedding.err, new RegExp(`^error: The disk is full: could not write .*/cache/embeddings/.+\\.emb\\. ${DISK_FULL_ADVICE}$`, 'm'));
  assert.doesNotMatch(embedding.err, /\n\s+at /, 'no stack trace');
  assert.deepEqual(leftovers(cache), []);
  assert.deepEqual(cacheFiles(cache), { entries: [], temps: [] });
  const converted = onnxFiles(cache);
  assert.equal(converted.length, 1, 'the finished conversion is kept');
  const before = statSync(converted[0]);

  // With space again the run finishes on that very file: converting again would replace it (a new inode).
  const again = await startCli(args).done;
  assert.equal(again.code, 0, again.err);
  const after = statSync(converted[0]);
  assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'the converted backbone is reused, not converted again');
  assert.deepEqual(embeddingCounts(again.err), { computed: 10, cached: 0 });
  assert.deepEqual(leftovers(cache), []);
});

test('a full disk under --out fails the export clearly; with space again, the next run reuses every embedding', async () => {
  const dataset = sampleSubset(5, ['bag', 'trouser']);
  const cache = join(tempDir(), 'cache');
  const out = join(tempDir(), 'out');
  const args = ['train', dataset, '--out', out, '--cache-dir', cache, ...TINY_TRAIN];
  const full = await startCli(args, { preload: [enospcPreload()], env: { CCI_TEST_FULL_DISK: out } }).done;
  assert.equal(full.code, 2, full.err);
  // The model is written into a new folder beside out/model/ that takes its place only when whole.
  assert.match(full.err, new RegExp(`^error: The disk is full: could not write .*/out/\\.model-new-[0-9a-f]+/\\S+\\. ${DISK_FULL_ADVICE}$`, 'm'));
  assert.doesNotMatch(full.err, /\n\s+at /, 'no stack trace');
  assert.deepEqual(leftovers(out), [], 'the half-written model folder is removed');
  assert.ok(!existsSync(join(out, 'model')), 'no half model is published');
  const stored = cacheFiles(cache);
  assert.equal(stored.temps.length, 0);
  assert.ok(stored.entries.length >= 10, 'every embedding (and fine-tuning activation) was finished before the export');
  assertAllReadable(stored.entries);

  const again = await startCli(args).done;
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(embeddingCounts(again.err), { computed: 0, cached: 10 });
  assert.ok(existsSync(join(out, 'model', 'model.json')), 'the model is exported this time');
});

test('two runs sharing one cache directory at the same time both succeed; a third computes nothing', async () => {
  const dataset = sampleSubset(8, ['bag', 'sneaker', 'trouser']);
  const cache = join(tempDir(), 'cache');
  const run = (out: string) => startCli(['train', dataset, '--out', join(tempDir(), out), '--cache-dir', cache, ...TINY_TRAIN]);
  const [first, second] = await Promise.all([run('a').done, run('b').done]);
  assert.equal(first.code, 0, first.err);
  assert.equal(second.code, 0, second.err);
  const stored = cacheFiles(cache);
  assert.equal(stored.temps.length, 0, 'no stray temp files');
  assertAllReadable(stored.entries);

  const third = await run('c').done;
  assert.equal(third.code, 0, third.err);
  assert.deepEqual(embeddingCounts(third.err), { computed: 0, cached: 24 });
  assert.doesNotMatch(third.err, /Embedding with/, 'nothing at all is embedded again (fine-tuning activations included)');
  assert.doesNotMatch(third.err, /damaged cache entr/);
});
