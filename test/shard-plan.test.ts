/** Shard assignment by content hash and the size-aware plan: pure, so checked exactly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseBackboneSpec } from '../src/core/backbones/zoo.js';
import { InputError } from '../src/core/errors.js';
import { inShard, parseShard, shardOf } from '../src/core/shard/assign.js';
import { coveringPass, planShards } from '../src/core/shard/plan.js';

const hashes = Array.from({ length: 4000 }, (_, i) => createHash('sha256').update(`image ${i}`).digest('hex'));

test('every image falls in exactly one shard, and the shards are about even', () => {
  for (const count of [1, 2, 3, 7]) {
    const sizes = new Array<number>(count).fill(0);
    for (const sha of hashes) {
      const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(sha, { index, count }));
      assert.equal(owners.length, 1);
      sizes[owners[0] - 1]++;
    }
    for (const size of sizes) assert.ok(Math.abs(size - hashes.length / count) < (hashes.length / count) * 0.15, `${count} shards: ${sizes.join(', ')}`);
  }
});

test('doubling the shards splits each in two; the ends of the hash range stay in range', () => {
  // (An image's shard is a function of its hash and the count alone, so adding images moves no other.)
  for (const sha of hashes) assert.equal(Math.ceil(shardOf(sha, 4) / 2), shardOf(sha, 2));
  assert.equal(shardOf('f'.repeat(64), 5), 5);
  assert.equal(shardOf('0'.repeat(64), 5), 1);
});

test('--shard takes i/n and refuses anything else with the fix', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, count: 1 });
  for (const bad of ['0/2', '3/2', '1/0', '1/257', 'two', '1-2', '']) {
    assert.throws(
      () => parseShard(bad),
      (e: unknown) => e instanceof InputError && /--shard must be i\/n/.test(e.message) && e.message.includes(`"${bad}"`),
      bad,
    );
  }
});

const specs = ['mobilenet_v2@224', 'inception_v3@299', 'small_cnn@32'].map(parseBackboneSpec);

test('small datasets get one shard per backbone; small_cnn is a candidate but no embed job', () => {
  const plan = planShards(specs, 500);
  assert.deepEqual(plan.candidates, ['mobilenet_v2@224', 'inception_v3@299', 'small_cnn@32']);
  assert.deepEqual(plan.matrix.include, [
    { backbone: 'mobilenet_v2@224', shard: '1/1' },
    { backbone: 'inception_v3@299', shard: '1/1' },
  ]);
  assert.match(plan.rule, /120 s/);
});

test('a shard carries at least the minimum embedding, and the matrix stays within the job cap', () => {
  // 50,000 images: MobileNetV2 at 10 ms each is 500 s (4 shards of 120 s); InceptionV3 at 50 ms is 2,500 s, capped at 20 / 2 = 10.
  const plan = planShards(specs, 50_000);
  assert.deepEqual(plan.backbones, [
    { backbone: 'mobilenet_v2@224', embedSeconds: 500, shards: 4 },
    { backbone: 'inception_v3@299', embedSeconds: 2500, shards: 10 },
  ]);
  assert.equal(plan.matrix.include.length, 14);
  assert.deepEqual(
    plan.matrix.include.slice(0, 4).map((e) => e.shard),
    ['1/4', '2/4', '3/4', '4/4'],
  );
  const capped = planShards(specs, 50_000, { minShardSeconds: 60, maxJobs: 6 });
  assert.deepEqual(
    capped.backbones.map((b) => b.shards),
    [3, 3],
  );
  // Costs scale with the input's area; backbones without a measured cost count 10 ms per image at their size.
  assert.equal(planShards([parseBackboneSpec('mobilenet_v2@112')], 50_000).backbones[0].shards, 1);
  assert.equal(planShards([parseBackboneSpec('hog@64')], 36_000).backbones[0].shards, 3);
});

test('one embed job per distinct pass: on ONNX Runtime a +taps pass caches the plain cut, so the plain candidate gets no job', () => {
  const listed = ['mobilenet_v2@224+taps', 'mobilenet_v2@224', 'mobilenet_v2@160', 'hog@32', 'small_cnn@32'].map(parseBackboneSpec);
  const plan = planShards(listed, 50_000, { minShardSeconds: 120, maxJobs: 6 }, { engine: 'onnxruntime' });
  assert.deepEqual(plan.candidates, ['mobilenet_v2@224+taps', 'mobilenet_v2@224', 'mobilenet_v2@160', 'hog@32', 'small_cnn@32']);
  // Three passes share the 6 jobs (2 each); the plain @224 rides on the +taps jobs, another size does not.
  assert.deepEqual(
    plan.backbones.map((b) => [b.backbone, b.shards, b.embeddedBy]),
    [
      ['mobilenet_v2@224+taps', 2, undefined],
      ['mobilenet_v2@224', 0, 'mobilenet_v2@224+taps'],
      ['mobilenet_v2@160', 2, undefined],
      ['hog@32', 2, undefined],
    ],
  );
  assert.deepEqual(
    plan.matrix.include.map((e) => e.backbone),
    ['mobilenet_v2@224+taps', 'mobilenet_v2@224+taps', 'mobilenet_v2@160', 'mobilenet_v2@160', 'hog@32', 'hog@32'],
  );
  // On TF.js the multi-depth vector is cached whole: the plain cut needs its own pass.
  const onTfjs = planShards(listed, 50_000, { minShardSeconds: 120, maxJobs: 8 }, { engine: 'tfjs' });
  assert.deepEqual(
    onTfjs.backbones.map((b) => [b.backbone, b.shards]),
    [
      ['mobilenet_v2@224+taps', 2],
      ['mobilenet_v2@224', 2],
      ['mobilenet_v2@160', 2],
      ['hog@32', 2],
    ],
  );
  assert.equal(planShards(listed, 500).matrix.include.length, 4, 'the default engine shares no pass');
  const [taps, plain] = listed;
  assert.equal(coveringPass(plain, [plain], 'onnxruntime'), undefined, 'the plain cut alone has its own pass');
  assert.equal(coveringPass(taps, listed, 'onnxruntime'), undefined, 'nothing covers a +taps pass');
  assert.equal(coveringPass(parseBackboneSpec('inception_v3@299'), listed, 'onnxruntime'), undefined);
  const mid = parseBackboneSpec('mobilenet_v2@224+mid');
  assert.equal(coveringPass(mid, [taps, mid, plain], 'onnxruntime'), taps, 'the +taps pass caches the middle taps too');
  assert.equal(coveringPass(plain, [mid, plain], 'onnxruntime'), mid, 'a +mid pass stores the plain cut beside its taps');
  assert.equal(coveringPass(taps, [taps, mid], 'onnxruntime'), undefined, 'nor does it cover +taps');
  assert.equal(coveringPass(mid, [taps, mid], 'tfjs'), undefined);
  assert.equal(coveringPass(parseBackboneSpec('mobilenet_v2@160+mid'), [taps], 'onnxruntime'), undefined, 'another size is another pass');
  const grid = parseBackboneSpec('mobilenet_v2@224+grid');
  assert.equal(coveringPass(grid, [grid, taps], 'onnxruntime'), taps, 'a pass of standard-deviation taps stores the grid tap too');
  assert.equal(coveringPass(grid, [grid, mid], 'onnxruntime'), mid);
  assert.equal(coveringPass(grid, [grid], 'onnxruntime'), undefined, 'the grid alone has its own pass');
  assert.equal(coveringPass(mid, [grid, mid], 'onnxruntime'), undefined, 'the grid pass stores no standard-deviation taps');
  assert.equal(coveringPass(plain, [grid, plain], 'onnxruntime'), grid, 'but it does store the plain cut');
});
